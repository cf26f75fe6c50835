/**
 * Run every benchmark (bench/<name>/run.ts) one after another, or only the
 * named ones: `npm run bench -- s3-sync ecr-push`. Each prints its own table
 * with times and ratios against the tool users would otherwise use.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const all = readdirSync(join(root, 'bench'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'bench', d.name, 'run.ts')))
  .map((d) => d.name)
  .sort();
const selected = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of selected) {
  if (!all.includes(name)) {
    console.error(`No benchmark '${name}'. Benchmarks: ${all.join(', ')}`);
    process.exit(1);
  }
  console.log(`\n=== bench/${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', name, 'run.ts')], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
