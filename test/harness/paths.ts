import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distPath = (action: string, entry: 'main' | 'post' = 'main'): string =>
  entry === 'main' ? join(repoRoot, 'dist', action, 'index.js') : join(repoRoot, 'dist', action, 'post', 'index.js');
