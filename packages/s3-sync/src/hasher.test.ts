import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentHasher, WHOLE_FILE_MAX } from './hasher.js';

const MIB = 1024 * 1024;
let dir: string;
let hasher: ContentHasher;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baepo-hash-'));
  hasher = new ContentHasher(2);
});
afterEach(async () => {
  await hasher.close();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, size: number, fill: number): { path: string; size: number; md5: string; sha256: string } {
  const bytes = Buffer.alloc(size, fill);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, size, md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('ContentHasher', () => {
  it('hashes small files whole and large ones streamed in worker threads, more files than threads', async () => {
    const files = [
      write('empty', 0, 0),
      write('small', WHOLE_FILE_MAX, 1),
      ...[1, 2, 3, 4, 5].map((n) => write(`big-${n}`, 3 * MIB + n, n)),
    ];
    const hashes = await Promise.all(files.map((f) => hasher.hash(f.path, f.size, 'sha256')));
    expect(hashes).toEqual(files.map((f) => f.sha256));
  });

  it('computes MD5 and SHA-256 of the same file separately, each once', async () => {
    const big = write('both', 3 * MIB, 4);
    const small = write('both.txt', 100, 4);
    const [bigMd5, bigSha, smallMd5, smallSha] = await Promise.all([
      hasher.hash(big.path, big.size, 'md5'),
      hasher.hash(big.path, big.size, 'sha256'),
      hasher.hash(small.path, small.size, 'md5'),
      hasher.hash(small.path, small.size, 'sha256'),
    ]);
    expect([bigMd5, bigSha, smallMd5, smallSha]).toEqual([big.md5, big.sha256, small.md5, small.sha256]);
  });

  it('computes each file once', async () => {
    const big = write('big', 2 * MIB, 9);
    const first = hasher.hash(big.path, big.size, 'md5');
    expect(hasher.hash(big.path, big.size, 'md5')).toBe(first);
    await expect(first).resolves.toBe(big.md5);
  });

  it('rejects with the path when a file cannot be read, and keeps working after', async () => {
    await expect(hasher.hash(join(dir, 'gone.bin'), 5 * MIB, 'sha256')).rejects.toThrow(/Reading .*gone\.bin: ENOENT/);
    await expect(hasher.hash(join(dir, 'gone.txt'), 10, 'sha256')).rejects.toThrow(/ENOENT/);
    const big = write('big', 2 * MIB, 3);
    await expect(hasher.hash(big.path, big.size, 'sha256')).resolves.toBe(big.sha256);
  });

  it('hashes queued files on the calling thread when asked to help (here with no worker thread at all)', async () => {
    const none = new ContentHasher(0);
    const files = [1, 2, 3].map((n) => write(`h-${n}`, 2 * MIB + n, n));
    const pending = files.map((f) => none.hash(f.path, f.size, 'sha256'));
    const missing = none.hash(join(dir, 'missing.bin'), 3 * MIB, 'md5');
    await none.help();
    expect(await Promise.all(pending)).toEqual(files.map((f) => f.sha256));
    await expect(missing).rejects.toThrow(/Reading .*missing\.bin: ENOENT/);
    await none.close();
  });

  it('hashes on this thread when worker threads cannot run', async () => {
    const broken = new ContentHasher(2, 'throw new Error("no threads here")');
    const files = [1, 2, 3].map((n) => write(`b-${n}`, 2 * MIB + n, n));
    expect(await Promise.all(files.map((f) => broken.hash(f.path, f.size, 'md5')))).toEqual(files.map((f) => f.md5));
    await broken.close();
  });

  it('rejects work queued or running when closed', async () => {
    const one = new ContentHasher(1);
    const files = [1, 2, 3].map((n) => write(`q-${n}`, 2 * MIB, n));
    const pending = files.map((f) => one.hash(f.path, f.size, 'sha256'));
    await one.close();
    for (const hash of pending) await expect(hash).rejects.toThrow('The hasher was closed');
  });
});
