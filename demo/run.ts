/**
 * npm run demo: the whole baepo pipeline (.github/workflows/deploy.yml) on this machine.
 * Starts moto, a registry and the ECS simulator, seeds a sample app's AWS, then runs the
 * workflow for a `develop` push and a `v1.0.0` tag with the real action bundles.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/harness/paths.js';
import type { GitHubContext } from '../test/harness/run-action.js';
import { runWorkflow } from '../test/pipeline/executor.js';
import { checkout, ECR_REPOSITORY, type Seeded, seed } from '../test/pipeline/seed.js';
import { type PipelineStack, startPipelineStack } from '../test/pipeline/stack.js';
import type { JobRecord, StepRecord, WorkflowRecord } from '../test/pipeline/types.js';
import { MissingToolError } from '../test/stack/process.js';

const started = performance.now();
const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
const INPUTS = {
  'test-command': 'node --test',
  'ecr-repository': ECR_REPOSITORY,
  'site-dir': 'web/dist',
  'site-build-command': 'bash web/build.sh',
};
const SHA = 'd3adbeef0123456789abcdef0123456789abcdef';
const ICON = { success: '✔', failure: '✘', skipped: '·', cancelled: '⊘' } as const;

let stack: PipelineStack | undefined;
const workspaces: string[] = [];

async function cleanup(): Promise<void> {
  await stack?.stop();
  stack = undefined;
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping the local stack...`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** One line per output, long values shortened: what a reader wants to see of a step. */
function outputLines(step: StepRecord): string[] {
  return Object.entries(step.outputs)
    .filter(([, value]) => value !== '' && !value.startsWith('[{') && !value.startsWith('{"'))
    .map(([name, value]) => {
      const flat = value.replace(/\n/g, ', ');
      return `      ${name}: ${flat.length > 110 ? `${flat.slice(0, 107)}...` : flat}`;
    });
}

function printJob(job: JobRecord): void {
  const where = job.environment ? `  [environment ${job.environment.name}${job.environment.url ? ` ${job.environment.url}` : ''}]` : '';
  console.log(`  ${ICON[job.result]} ${job.name} (${job.id}): ${job.result}${where}`);
  if (job.result === 'skipped') return;
  for (const step of job.steps) {
    const took = step.durationMs >= 100 ? ` (${(step.durationMs / 1000).toFixed(1)} s)` : '';
    console.log(`    ${ICON[step.outcome]} ${step.name.replace(/@[0-9a-f]{40}$/, '')}${took}`);
    for (const line of outputLines(step)) console.log(line);
    if (step.outcome === 'failure') console.log(step.log.replace(/^/gm, '      | '));
  }
}

/** The summary job's markdown as plain text: table rows become `name: value`. */
function summaryText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !/^\|[\s|-]*\|$/.test(line) && !/^\| \| \|$/.test(line))
    .map((line) => {
      const row = /^\| (.+?) \| (.+) \|$/.exec(line);
      if (row) return `  ${row[1]}: ${row[2]?.replace(/`/g, '')}`;
      return `  ${line.replace(/^#+ /, '').replace(/_/g, '')}`;
    })
    .join('\n');
}

async function pipeline(title: string, github: GitHubContext, seeded: Seeded): Promise<WorkflowRecord> {
  const from = performance.now();
  console.log(`\n=== ${title} ===`);
  const workspace = checkout(seeded);
  workspaces.push(workspace);
  if (!stack) throw new Error('the stack is not running');
  const run = await runWorkflow({
    workflow: join(repoRoot, '.github', 'workflows', 'deploy.yml'),
    inputs: INPUTS,
    github: { sha: SHA, repository: 'octo-org/shop', ...github },
    workspace,
    env: stack.env,
    inputOverrides: stack.inputOverrides,
    onJob: (job, phase) => phase === 'end' && printJob(job),
  });
  console.log(`\n  Job summary:\n${summaryText(run.summaries.at(-1) ?? '(none)')}`);
  console.log(`  (${title}: ${seconds(from)})`);
  return run;
}

async function main(): Promise<void> {
  console.log('baepo demo: deploy.yml with the real actions against a local AWS (moto, a registry, the ECS simulator)');
  let from = performance.now();
  stack = await startPipelineStack({ tickMs: Number(process.env.DEMO_TICK_MS ?? 1) });
  console.log(`Stack up in ${seconds(from)}: moto ${stack.moto.endpoint}, registry ${stack.registry.endpoint}, ECS ${stack.ecs.endpoint}`);
  from = performance.now();
  const seeded = await seed(stack);
  console.log(
    `Seeded in ${seconds(from)}: SSM /shop/{dev,production,preview}, ECR ${ECR_REPOSITORY}, ECS clusters ${Object.values(seeded.clusters).join(', ')}, buckets ${Object.values(seeded.buckets).join(', ')}, CloudFront ${Object.values(seeded.distributions).join(', ')}`,
  );
  const runs = [
    await pipeline('push to develop', { eventName: 'push', ref: 'refs/heads/develop' }, seeded),
    await pipeline('tag v1.0.0', { eventName: 'push', ref: 'refs/tags/v1.0.0' }, seeded),
  ];
  const failed = runs.some((run) => Object.values(run.jobs).some((job) => job.result === 'failure'));
  console.log(`\n${failed ? 'A job failed (see above).' : 'Both pipelines deployed.'} Total time: ${seconds(started)}`);
  process.exitCode = failed ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    // A missing tool is said in one line with its install command; anything else keeps its stack.
    const text =
      error instanceof MissingToolError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`demo failed: ${text}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
