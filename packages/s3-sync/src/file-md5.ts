import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

const SMALL = 256 * 1024;

/** Hex MD5 of a file, streamed so memory stays flat whatever its size. */
export async function fileMd5(path: string, size: number): Promise<string> {
  const hash = createHash('md5');
  if (size <= SMALL) return hash.update(await readFile(path)).digest('hex');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
