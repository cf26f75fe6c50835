import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommands } from '../harness/file-commands.js';
import { repoRoot } from '../harness/paths.js';
import { type GitHubContext, runAction } from '../harness/run-action.js';
import { type Contexts, evaluateCondition, interpolate, interpolateAll, type Status } from './expressions.js';
import { orderJobs } from './order.js';
import { SECRETS } from './seed.js';
import { standIn } from './stand-ins.js';
import type { JobRecord, JobResult, RunOptions, StepRecord, WorkflowRecord } from './types.js';
import type { Job, Step, Workflow } from './workflow.js';

const BAEPO_ACTION = /^[^/]+\/baepo\/actions\/([a-z0-9-]+)@/;

/** Inputs with their action.yml defaults, as the runner passes them (INPUT_* for every declared input). */
function actionDefaults(action: string): Record<string, string> {
  const yml = parse(readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(yml.inputs ?? {})
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [name, String(spec.default)]),
  );
}

function githubContext(github: GitHubContext, workspace: string): Record<string, unknown> {
  const ref = github.ref ?? 'refs/heads/main';
  const refName = github.refName ?? ref.replace(/^refs\/(heads|tags)\//, '');
  return {
    event_name: github.eventName ?? 'push',
    event: github.payload ?? {},
    ref,
    ref_name: refName,
    ref_type: github.refType ?? (ref.startsWith('refs/tags/') ? 'tag' : 'branch'),
    head_ref: github.headRef ?? '',
    base_ref: github.baseRef ?? '',
    sha: github.sha ?? '0123456789abcdef0123456789abcdef01234567',
    repository: github.repository ?? 'octo-org/shop',
    repository_owner: (github.repository ?? 'octo-org/shop').split('/')[0],
    run_id: String(github.runId ?? 123456),
    run_number: String(github.runNumber ?? 7),
    actor: 'octocat',
    workspace,
    server_url: 'https://github.com',
  };
}

/** `bash --noprofile --norc -eo pipefail {0}`, the runner's default for `run:` on Linux. */
async function runShell(script: string, env: Record<string, string>, cwd: string, timeoutMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'baepo-step-'));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_PATH: join(dir, 'path'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  writeFileSync(join(dir, 'script.sh'), script);
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'script.sh')], {
    cwd,
    env: { ...env, ...files },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const read = (file: string) => readFileSync(file, 'utf8');
  const result = {
    exitCode,
    log,
    outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
    env: parseFileCommands(read(files.GITHUB_ENV)),
    summary: read(files.GITHUB_STEP_SUMMARY),
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** Execute a reusable workflow (on.workflow_call) job by job, step by step, as the runner would. */
export async function runWorkflow(options: RunOptions): Promise<WorkflowRecord> {
  const workflow = parse(readFileSync(options.workflow, 'utf8')) as Workflow;
  const declared = workflow.on?.workflow_call?.inputs ?? {};
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared))
    inputs[name] = spec.default ?? (spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : '');
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (!(name in declared)) throw new Error(`input '${name}' is not declared by ${options.workflow}`);
    inputs[name] = value;
  }
  const github = githubContext(options.github, options.workspace);
  const record: WorkflowRecord = { jobs: {}, outputs: {}, summaries: [] };
  const runnerTemp = mkdtempSync(join(tmpdir(), 'baepo-runner-'));
  try {
    for (const id of orderJobs(workflow.jobs)) {
      const job = workflow.jobs[id] as Job;
      record.jobs[id] = await runJob(id, job, { workflow, inputs, github, record, runnerTemp, options });
    }
    const jobsContext = Object.fromEntries(Object.entries(record.jobs).map(([id, j]) => [id, { result: j.result, outputs: j.outputs }]));
    for (const [name, spec] of Object.entries(workflow.on?.workflow_call?.outputs ?? {})) {
      record.outputs[name] = interpolate(spec.value, { github, inputs, jobs: jobsContext, vars: {}, secrets: {} });
    }
  } finally {
    rmSync(runnerTemp, { recursive: true, force: true });
  }
  return record;
}

interface JobScope {
  workflow: Workflow;
  inputs: Record<string, unknown>;
  github: Record<string, unknown>;
  record: WorkflowRecord;
  runnerTemp: string;
  options: RunOptions;
}

/** Results of every job this one needs, directly or not. */
function ancestors(id: string, jobs: Record<string, Job>, seen = new Set<string>()): Set<string> {
  for (const need of needsOf(jobs[id] as Job)) {
    if (seen.has(need)) continue;
    seen.add(need);
    ancestors(need, jobs, seen);
  }
  return seen;
}

export function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

async function runJob(id: string, job: Job, scope: JobScope): Promise<JobRecord> {
  const { record, options } = scope;
  const results = [...ancestors(id, scope.workflow.jobs)].map((need) => record.jobs[need]?.result as JobResult);
  const jobStatus: Status = {
    success: results.every((r) => r === 'success'),
    failure: results.some((r) => r === 'failure'),
    cancelled: false,
  };
  const needs = Object.fromEntries(
    needsOf(job).map((need) => [need, { result: record.jobs[need]?.result, outputs: record.jobs[need]?.outputs ?? {} }]),
  );
  const runnerTemp = mkdtempSync(join(scope.runnerTemp, `${id}-`));
  const base: Contexts = {
    github: scope.github,
    inputs: scope.inputs,
    needs,
    vars: {},
    secrets: {},
    matrix: {},
    strategy: {},
    runner: { temp: runnerTemp, os: 'Linux', arch: 'X64' },
  };
  const jobRecord: JobRecord = { id, name: job.name ?? id, result: 'skipped', outputs: {}, steps: [] };
  options.onJob?.(jobRecord, 'start');
  if (!evaluateCondition(job.if, base, jobStatus)) {
    options.onJob?.(jobRecord, 'end');
    return jobRecord;
  }
  const environment = typeof job.environment === 'string' ? { name: job.environment } : job.environment;
  if (environment) jobRecord.environment = { name: interpolate(environment.name, base) };
  if (job.concurrency)
    jobRecord.concurrency = interpolate(typeof job.concurrency === 'string' ? job.concurrency : job.concurrency.group, base);
  if (jobRecord.environment && options.approve && !(await options.approve(jobRecord.environment.name, id))) {
    jobRecord.result = 'failure';
    jobRecord.rejected = true;
    options.onJob?.(jobRecord, 'end');
    return jobRecord;
  }

  let env: Record<string, string> = { ...interpolateAll(scope.workflow.env ?? {}, base), ...interpolateAll(job.env ?? {}, base) };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  let failed = false;
  for (const [index, step] of job.steps.entries()) {
    const contexts = { ...base, env, steps, job: { status: failed ? 'failure' : 'success' } };
    const stepStatus: Status = { success: !failed, failure: failed, cancelled: false };
    const stepRecord: StepRecord = {
      id: step.id ?? `__${index}`,
      name: step.name ?? step.uses ?? step.run?.split('\n')[0] ?? '',
      uses: step.uses,
      outcome: 'skipped',
      inputs: {},
      outputs: {},
      exitCode: null,
      log: '',
      durationMs: 0,
    };
    jobRecord.steps.push(stepRecord);
    if (evaluateCondition(step.if, contexts, stepStatus)) {
      const stepEnv = { ...env, ...interpolateAll(step.env ?? {}, contexts) };
      const started = performance.now();
      const ran = await runStep(step, stepRecord, { ...contexts, env: stepEnv }, stepEnv, runnerTemp, scope);
      stepRecord.durationMs = Math.round(performance.now() - started);
      env = { ...env, ...ran.exported };
      if (stepRecord.outcome === 'failure' && !step['continue-on-error']) failed = true;
    }
    const conclusion = stepRecord.outcome === 'failure' && step['continue-on-error'] ? 'success' : stepRecord.outcome;
    steps[stepRecord.id] = { outputs: stepRecord.outputs, outcome: stepRecord.outcome, conclusion };
    options.onStep?.(jobRecord, stepRecord);
  }
  const after = { ...base, env, steps };
  jobRecord.result = failed ? 'failure' : 'success';
  jobRecord.outputs = interpolateAll(job.outputs ?? {}, after);
  if (jobRecord.environment && environment?.url) jobRecord.environment.url = interpolate(environment.url, after);
  options.onJob?.(jobRecord, 'end');
  return jobRecord;
}

async function runStep(
  step: Step,
  record: StepRecord,
  contexts: Contexts,
  env: Record<string, string>,
  runnerTemp: string,
  scope: JobScope,
): Promise<{ exported: Record<string, string> }> {
  const { options } = scope;
  const workspace = options.workspace;
  try {
    if (step.run !== undefined) {
      const script = interpolate(step.run, contexts);
      record.inputs = { run: script };
      const result = await runShell(script, { ...baseEnv(scope, runnerTemp), ...env }, workspace, options.stepTimeoutMs ?? 120_000);
      Object.assign(record, {
        exitCode: result.exitCode,
        outputs: result.outputs,
        log: result.log,
        outcome: result.exitCode === 0 ? 'success' : 'failure',
      });
      if (result.summary) scope.record.summaries.push(result.summary);
      return { exported: result.env };
    }
    const uses = step.uses ?? '';
    const withInputs = Object.fromEntries(Object.entries(interpolateAll(step.with ?? {}, contexts)).map(([k, v]) => [k, String(v)]));
    const baepo = BAEPO_ACTION.exec(uses);
    if (baepo?.[1]) {
      const action = baepo[1];
      record.inputs = { ...actionDefaults(action), ...withInputs, ...options.inputOverrides?.[action] };
      const result = await runAction({
        action,
        inputs: record.inputs,
        env: { ...options.env, ...env, RUNNER_TEMP: runnerTemp },
        github: options.github,
        workspace,
        timeoutMs: options.stepTimeoutMs ?? 120_000,
        // The harness scans every run for the seeded secrets: ssm-load exports them (env, outputs) and
        // writes the files its step asks for; no other action may show or write them anywhere.
        secrets: Object.values(SECRETS),
        ...(action === 'ssm-load'
          ? {
              secretsMayAppearIn: ['env', 'output'] as const,
              writes: [record.inputs['dotenv-file'], record.inputs['json-file']].filter((path): path is string => !!path),
            }
          : {}),
      });
      Object.assign(record, {
        exitCode: result.exitCode,
        outputs: result.outputs,
        log: result.visibleLog,
        outcome: result.exitCode === 0 ? 'success' : 'failure',
      });
      record.masks = result.masks;
      if (result.summary) scope.record.summaries.push(result.summary);
      return { exported: result.env };
    }
    record.inputs = withInputs;
    const result = standIn(uses)(withInputs, workspace);
    Object.assign(record, { exitCode: 0, outputs: result.outputs, log: result.log, outcome: 'success' });
    return { exported: result.env };
  } catch (error) {
    Object.assign(record, {
      exitCode: 1,
      outcome: 'failure',
      log: `${record.log}\n${error instanceof Error ? error.message : String(error)}`,
    });
    if (error instanceof Error && /no stand-in/.test(error.message)) throw error;
    return { exported: {} };
  }
}

/** What the runner puts in every step's environment. */
function baseEnv(scope: JobScope, runnerTemp: string): Record<string, string> {
  const g = scope.github;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: scope.options.workspace,
    GITHUB_EVENT_NAME: String(g.event_name),
    GITHUB_REF: String(g.ref),
    GITHUB_REF_NAME: String(g.ref_name),
    GITHUB_SHA: String(g.sha),
    GITHUB_REPOSITORY: String(g.repository),
    ...scope.options.env,
  };
}
