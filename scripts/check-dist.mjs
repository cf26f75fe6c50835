#!/usr/bin/env node
// Fails when dist/ differs from a fresh bundle of the sources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const fresh = mkdtempSync(join(tmpdir(), 'baepo-dist-'));

function files(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path));
    }
  };
  try {
    walk(dir);
  } catch {
    /* missing dir: no files */
  }
  return found.sort();
}

try {
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), '--out', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  const committed = files(join(root, 'dist'));
  const expected = files(fresh);
  const problems = [];
  for (const f of expected) {
    if (!committed.includes(f)) problems.push(`missing: dist/${f}`);
    else if (!readFileSync(join(root, 'dist', f)).equals(readFileSync(join(fresh, f)))) problems.push(`stale:   dist/${f}`);
  }
  for (const f of committed) if (!expected.includes(f)) problems.push(`extra:   dist/${f}`);
  if (problems.length) {
    console.error(`dist/ does not match the sources:\n  ${problems.join('\n  ')}\nRun 'npm run bundle' and commit dist/.`);
    process.exit(1);
  }
  console.log(`dist/ is up to date (${expected.length} files).`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
