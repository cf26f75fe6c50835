import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MB = 1000 * 1000;

/** Deterministic bytes: a SHA-512 stream seeded by the file name. */
function bytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha512').update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    if (offset % (64 * 1024) === 0) block = createHash('sha512').update(block).digest();
  }
  return out;
}

export interface Dataset {
  files: string[];
  bytes: number;
}

/** 2,000 files of 1-4 KB in a Vite-like tree, 20 files of 1-5 MB, two 50 MB files. */
export function writeDataset(root: string): Dataset {
  const files: Record<string, number> = {};
  for (let i = 0; i < 2000; i++) files[`assets/${i % 20}/chunk-${i}.${i % 3 === 0 ? 'css' : 'js'}`] = 1024 + ((i * 1543) % 3072);
  for (let i = 0; i < 20; i++) files[`media/photo-${i}.jpg`] = MB + ((i * 211_111) % (4 * MB));
  files['downloads/app-1.bin'] = 50 * MB;
  files['downloads/app-2.bin'] = 50 * MB;
  let total = 0;
  for (const [path, size] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes(path, size));
    total += size;
  }
  writeFileSync(join(root, 'index.html'), '<!doctype html><h1>bench</h1>');
  return { files: [...Object.keys(files), 'index.html'], bytes: total + 29 };
}

/** Change `count` small files in place, keeping their size (a same-size edit defeats --size-only). */
export function changeSmallFiles(root: string, count: number): string[] {
  const changed: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = `assets/${(i * 100) % 20}/chunk-${i * 100}.${(i * 100) % 3 === 0 ? 'css' : 'js'}`;
    const content = readFileSync(join(root, path));
    content[0] = (content[0] ?? 0) ^ 0xff;
    writeFileSync(join(root, path), content);
    changed.push(path);
  }
  return changed;
}
