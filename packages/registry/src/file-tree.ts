import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { indexTar, type TarEntry } from './tar-index.js';

/** Read access to the files of an image source: a directory or a tar archive. */
export interface FileTree {
  /** For messages: the directory or archive path. */
  label: string;
  /** Size in bytes, or undefined when the file does not exist. */
  size(path: string): Promise<number | undefined>;
  read(path: string, offset: number, length: number): Promise<Buffer>;
  stream(path: string, offset: number, length: number): Readable;
}

const streamRange = (file: string, offset: number, length: number): Readable =>
  createReadStream(file, { start: offset, end: offset + length - 1, highWaterMark: 1024 * 1024 });

export async function readWhole(tree: FileTree, path: string): Promise<Buffer> {
  const size = await tree.size(path);
  if (size === undefined) throw new Error(`${path} is missing in ${tree.label}`);
  return tree.read(path, 0, size);
}

async function readRange(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
      if (bytesRead === 0) throw new Error(`${file} ended after ${offset + done} bytes (expected ${offset + length})`);
      done += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

export function directoryTree(root: string): FileTree {
  return {
    label: root,
    size: async (path) => {
      const info = await stat(join(root, path)).catch(() => undefined);
      return info?.isFile() ? info.size : undefined;
    },
    read: (path, offset, length) => readRange(join(root, path), offset, length),
    stream: (path, offset, length) => streamRange(join(root, path), offset, length),
  };
}

/** The files of a tar archive; undefined when the file is not a tar archive. */
export async function tarTree(file: string, label = file): Promise<FileTree | undefined> {
  const handle = await open(file, 'r');
  let entries: Map<string, TarEntry> | undefined;
  try {
    entries = await indexTar(handle);
  } finally {
    await handle.close();
  }
  if (!entries || entries.size === 0) return undefined;
  const index = entries;
  const locate = (path: string, offset: number, length: number): number => {
    const entry = index.get(path);
    if (!entry) throw new Error(`${path} is missing in ${label}`);
    if (offset + length > entry.size) throw new Error(`${path} in ${label} is shorter than ${offset + length} bytes`);
    return entry.offset + offset;
  };
  return {
    label,
    size: async (path) => index.get(path)?.size,
    read: async (path, offset, length) => readRange(file, locate(path, offset, length), length),
    stream: (path, offset, length) => streamRange(file, locate(path, offset, length), length),
  };
}
