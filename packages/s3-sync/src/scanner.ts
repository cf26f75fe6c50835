import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ConfigurationError, quote } from '@baepo/action-kit';
import pLimit from 'p-limit';
import { fileMd5 } from './file-md5.js';
import type { KeyFilter } from './globs.js';

/** A file to publish: its key relative to the prefix, where it is, its size and content hash. */
export interface LocalFile {
  key: string;
  path: string;
  size: number;
  md5: string;
}

export interface ScanOptions {
  filter: KeyFilter;
  /** The full key prefix, to check the 1,024-byte key limit. */
  prefix: string;
  concurrency: number;
  hash?: (path: string, size: number) => Promise<string>;
}

const MAX_KEY_BYTES = 1024;

/**
 * Walk `source` and hash every file the filter covers. Symlinks are followed only
 * while they stay inside `source`; one that leaves it (or dangles) is refused.
 */
export async function scanSource(source: string, options: ScanOptions): Promise<LocalFile[]> {
  const root = await sourceRoot(source);
  const found: { key: string; path: string; size: number }[] = [];
  // Real paths of the directories being walked: a link back to one of them is a loop and is skipped.
  async function walk(dir: string, keyPrefix: string, ancestors: readonly string[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const key = keyPrefix + entry.name;
      const path = join(dir, entry.name);
      const target = await resolveEntry(entry, path, key, root, source);
      if (target.kind === 'dir') {
        if (ancestors.includes(target.real)) continue;
        await walk(path, `${key}/`, [...ancestors, target.real]);
      } else if (target.kind === 'file' && options.filter.covers(key)) {
        found.push({ key, path, size: target.size });
      }
    }
  }
  await walk(root, '', [root]);

  for (const file of found) checkKeyLength(options.prefix + file.key);
  const limit = pLimit(options.concurrency);
  const hash = options.hash ?? fileMd5;
  return Promise.all(found.map((file) => limit(async () => ({ ...file, md5: await hash(file.path, file.size) }))));
}

async function sourceRoot(source: string): Promise<string> {
  const info = await stat(source).catch(() => undefined);
  if (!info) {
    throw new ConfigurationError(
      `Input 'source' ${quote(source)} does not exist. Build the site first (e.g. 'npm run build') and point 'source' at its output directory.`,
      { input: 'source' },
    );
  }
  if (!info.isDirectory()) {
    throw new ConfigurationError(`Input 'source' ${quote(source)} is a file; it must be the directory to publish.`, { input: 'source' });
  }
  return realpath(source);
}

type Entry = { kind: 'dir'; real: string } | { kind: 'file'; size: number } | { kind: 'other' };

async function resolveEntry(entry: Dirent, path: string, key: string, root: string, source: string): Promise<Entry> {
  if (entry.isDirectory()) return { kind: 'dir', real: await realpath(path) };
  if (entry.isFile()) return { kind: 'file', size: (await stat(path)).size };
  if (!entry.isSymbolicLink()) return { kind: 'other' };
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) {
    throw new ConfigurationError(`Symlink ${quote(key)} in 'source' points to nothing. Remove it or fix its target.`, { input: 'source' });
  }
  const inside = relative(root, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ConfigurationError(
      `Symlink ${quote(key)} points outside 'source' (${quote(source)}) to ${quote(real)}; refusing to publish files from outside the site. Copy the file into 'source' or remove the link.`,
      { input: 'source' },
    );
  }
  const info = await stat(real);
  if (info.isDirectory()) return { kind: 'dir', real };
  return info.isFile() ? { kind: 'file', size: info.size } : { kind: 'other' };
}

function checkKeyLength(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new ConfigurationError(
      `The key ${quote(key, 80)} is ${bytes} bytes long in UTF-8; S3 keys are at most ${MAX_KEY_BYTES} bytes. Shorten the file's path or the 'prefix'.`,
      { input: 'source' },
    );
  }
}
