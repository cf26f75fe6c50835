#!/usr/bin/env node
// Bundles every actions/<name>/src/main.ts (and post.ts) with ncc into
// <out>/<name>/index.js (+ post/index.js, licenses.txt), clearing stale files first.
//   node scripts/bundle.mjs [--out DIR] [name ...]
// Output is reproducible byte for byte; check-dist.mjs compares it with dist/.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
let out = join(root, 'dist');
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = resolve(args[++i]);
  else names.push(args[i]);
}

export function actionNames() {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'src', 'main.ts')))
    .map((d) => d.name)
    .sort();
}

const all = actionNames();
const selected = names.length ? names : all;
for (const name of selected) {
  if (!all.includes(name)) {
    console.error(`No action '${name}': expected actions/${name}/src/main.ts. Actions: ${all.join(', ')}`);
    process.exit(1);
  }
}
mkdirSync(out, { recursive: true });
if (!names.length) {
  // A full bundle also removes bundles of actions that no longer exist.
  for (const entry of existsSync(out) ? readdirSync(out) : []) {
    if (!all.includes(entry) && !entry.startsWith('.')) rmSync(join(out, entry), { recursive: true, force: true });
  }
}

const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

/**
 * ncc writes one license file per chunk; with a single name, a lazily loaded chunk's file would
 * overwrite the main one. Each chunk gets its own ('[name].licenses.txt'), merged here into
 * licenses.txt: the main chunk's first, then the others in name order.
 */
function mergeLicenses(dir) {
  const parts = readdirSync(dir)
    .filter((file) => file.endsWith('.licenses.txt'))
    .sort((a, b) => (a === 'main.licenses.txt' ? -1 : b === 'main.licenses.txt' ? 1 : a < b ? -1 : 1));
  const texts = parts.map((file) => readFileSync(join(dir, file), 'utf8'));
  for (const file of parts) rmSync(join(dir, file));
  if (texts.length) writeFileSync(join(dir, 'licenses.txt'), texts.join('\n'));
}
for (const name of selected) {
  // Build beside the target and swap it in only when every entry built: a failed
  // build never leaves a half-written or deleted bundle behind.
  const target = join(out, name);
  const staging = mkdtempSync(join(out, `.${name}-`));
  try {
    for (const [entry, dir] of [
      ['main.ts', staging],
      ['post.ts', join(staging, 'post')],
    ]) {
      const source = join('actions', name, 'src', entry);
      if (!existsSync(join(root, source))) continue;
      execFileSync(process.execPath, [ncc, 'build', source, '-o', dir, '--license', '[name].licenses.txt', '--target', 'es2023', '-q'], {
        cwd: root,
        stdio: 'inherit',
      });
      mergeLicenses(dir);
    }
    rmSync(target, { recursive: true, force: true });
    chmodSync(staging, 0o755);
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true });
    console.error(`bundling ${name} failed; dist/${name} is unchanged`);
    process.exit(1);
  }
  console.log(`bundled ${name}`);
}
