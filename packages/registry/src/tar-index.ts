import type { FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';

/** Where a regular file lives inside a tar archive. */
export interface TarEntry {
  offset: number;
  size: number;
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function numeric(header: Buffer, start: number, length: number): number {
  const first = header[start] ?? 0;
  if (first & 0x80) {
    // base-256 (GNU) for sizes of 8 GiB and more
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + (header[i] ?? 0);
    return value;
  }
  const text = field(header, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function normalise(name: string): string {
  return posix
    .normalize(name)
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}

function paxValues(data: Buffer): Record<string, string> {
  const values: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(data.subarray(at, space).toString());
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) values[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return values;
}

/**
 * Index the regular files of a tar archive (ustar, pax and GNU long names) without reading
 * their contents. Symbolic and hard links (docker save links repeated layers) are resolved.
 * Returns undefined when the file is not a tar archive.
 */
export async function indexTar(handle: FileHandle): Promise<Map<string, TarEntry> | undefined> {
  const entries = new Map<string, TarEntry>();
  const links = new Map<string, string>();
  const header = Buffer.alloc(BLOCK);
  let offset = 0;
  let longName: string | undefined;
  for (;;) {
    const { bytesRead } = await handle.read(header, 0, BLOCK, offset);
    if (bytesRead < BLOCK) break;
    if (header.every((b) => b === 0)) break;
    if (field(header, 257, 5) !== 'ustar' && !verifyChecksum(header)) return undefined;
    const size = numeric(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataOffset = offset + BLOCK;
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'L') {
      const data = Buffer.alloc(size);
      await handle.read(data, 0, size, dataOffset);
      longName = type === 'L' ? field(data, 0, size) : (paxValues(data).path ?? longName);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name = normalise(longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100)));
    longName = undefined;
    if (type === '0' || type === '\0' || type === '7') entries.set(name, { offset: dataOffset, size });
    else if (type === '2') links.set(name, normalise(posix.join(posix.dirname(name), field(header, 157, 100))));
    else if (type === '1') links.set(name, normalise(field(header, 157, 100)));
  }
  for (const [name, target] of links) {
    let resolved: string | undefined = target;
    for (let hops = 0; resolved !== undefined && !entries.has(resolved) && hops < 8; hops++) resolved = links.get(resolved);
    const entry = resolved === undefined ? undefined : entries.get(resolved);
    if (entry) entries.set(name, entry);
  }
  return entries;
}

function verifyChecksum(header: Buffer): boolean {
  const stored = numeric(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return stored === sum;
}
