import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommands } from '../harness/file-commands.js';
import { repoRoot } from '../harness/paths.js';
import { type GitHubContext, runAction } from '../harness/run-action.js';
import { ConcurrencyGroups } from './concurrency.js';
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
async function runShell(script: string, env: Record<string, string>, cwd: string, timeoutMs: number, signal: AbortSignal, graceMs: number) {
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
  // A cancelled job: the runner sends SIGINT, then SIGTERM after 7.5 s.
  const cancel = () => {
    child.kill('SIGINT');
    setTimeout(() => child.exitCode === null && child.kill('SIGTERM'), graceMs).unref();
  };
  if (signal.aborted) cancel();
  signal.addEventListener('abort', cancel, { once: true });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  signal.removeEventListener('abort', cancel);
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

/**
 * Execute a reusable workflow (on.workflow_call) job by job, step by step, as the runner would.
 * Jobs run one at a time in `needs` order; several runWorkflow calls sharing `concurrency`
 * interleave as runs of one repository do.
 */
export async function runWorkflow(options: RunOptions): Promise<WorkflowRecord> {
  const workflow = parse(readFileSync(options.workflow, 'utf8')) as Workflow;
  const declared = workflow.on?.workflow_call?.inputs ?? {};
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared))
    inputs[name] = spec.default ?? (spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : '');
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (!(name in declared)) throw new Error(`input '${name}' is not declared by ${options.workflow}`);
    inputs[name] = declared[name]?.type === 'number' ? Number(value) : value;
  }
  const github = githubContext(options.github, options.workspace);
  const record: WorkflowRecord = { jobs: {}, outputs: {}, summaries: [] };
  const runnerTemp = mkdtempSync(join(tmpdir(), 'baepo-runner-'));
  const scope: RunScope = {
    workflow,
    inputs,
    github,
    record,
    runnerTemp,
    options,
    concurrency: options.concurrency ?? new ConcurrencyGroups(),
    cancelled: options.signal ?? new AbortController().signal,
    environments: new Set(),
  };
  let release: (() => void) | undefined;
  try {
    // Workflow-level concurrency (in a called workflow: held from its first job to its last).
    if (workflow.concurrency) {
      const spec = typeof workflow.concurrency === 'string' ? { group: workflow.concurrency } : workflow.concurrency;
      const contexts = { github, inputs, vars: {} };
      record.concurrency = interpolate(spec.group, contexts);
      release = await scope.concurrency.acquire(
        record.concurrency,
        `${options.label ?? String(github.run_id)}/${workflowName(options.workflow)}`,
        {
          cancelInProgress: interpolate(String(spec['cancel-in-progress'] ?? false), contexts) === 'true',
          leave: scope.cancelled,
        },
      );
      if (!release) {
        record.cancelled = true;
        return record;
      }
    }
    for (const id of orderJobs(workflow.jobs)) {
      const job = workflow.jobs[id] as Job;
      record.jobs[id] = await runJob(id, job, scope);
    }
    const jobsContext = Object.fromEntries(Object.entries(record.jobs).map(([id, j]) => [id, { result: j.result, outputs: j.outputs }]));
    for (const [name, spec] of Object.entries(workflow.on?.workflow_call?.outputs ?? {})) {
      record.outputs[name] = interpolate(spec.value, { github, inputs, jobs: jobsContext, vars: {}, secrets: {} });
    }
  } finally {
    release?.();
    rmSync(runnerTemp, { recursive: true, force: true });
  }
  return record;
}

const workflowName = (file: string) => file.split('/').at(-1) ?? file;

interface RunScope {
  workflow: Workflow;
  inputs: Record<string, unknown>;
  github: Record<string, unknown>;
  record: WorkflowRecord;
  runnerTemp: string;
  options: RunOptions;
  concurrency: ConcurrencyGroups;
  /** Aborted when the run is cancelled ("Cancel workflow"). */
  cancelled: AbortSignal;
  /** The GitHub Environments its jobs entered. */
  environments: Set<string>;
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

/** `./.github/workflows/x.yml` or `<owner>/baepo/.github/workflows/x.yml@ref`: the sibling of the calling workflow file. */
function calledWorkflow(uses: string, caller: string): string {
  const match = /^(?:\.\/|[\w.-]+\/baepo\/)\.github\/workflows\/([\w.-]+\.ya?ml)(?:@.+)?$/.exec(uses);
  if (!match?.[1]) throw new Error(`the executor runs only baepo's own reusable workflows, not '${uses}'`);
  return join(dirname(caller), match[1]);
}

async function runJob(id: string, job: Job, scope: RunScope): Promise<JobRecord> {
  const { record, options } = scope;
  const results = [...ancestors(id, scope.workflow.jobs)].map((need) => record.jobs[need]?.result as JobResult);
  // "Status check functions": success() is false once the run is cancelled; cancelled() is true.
  const jobStatus = (): Status => ({
    success: results.every((r) => r === 'success'),
    failure: results.some((r) => r === 'failure'),
    cancelled: scope.cancelled.aborted,
  });
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
  const end = (result: JobResult): JobRecord => {
    jobRecord.result = result;
    options.onJob?.(jobRecord, 'end');
    return jobRecord;
  };
  options.onJob?.(jobRecord, 'start');
  const wanted = () => evaluateCondition(job.if, base, jobStatus());
  if (!wanted()) return end('skipped');
  const environment = typeof job.environment === 'string' ? { name: job.environment } : job.environment;
  if (environment) {
    jobRecord.environment = { name: interpolate(environment.name, base) };
    scope.environments.add(jobRecord.environment.name);
  }
  if (job['timeout-minutes'] !== undefined) jobRecord.timeoutMinutes = Number(interpolate(String(job['timeout-minutes']), base));

  // The job's own cancellation: the run is cancelled and its `if:` no longer holds (GitHub re-evaluates
  // it and leaves running the jobs whose condition is still true), its timeout, or cancel-in-progress.
  const control = new AbortController();
  const onRunCancelled = () => {
    if (!wanted()) control.abort('cancelled');
  };
  scope.cancelled.addEventListener('abort', onRunCancelled, { once: true });
  let release: (() => void) | undefined;
  try {
    if (job.concurrency) {
      const spec = typeof job.concurrency === 'string' ? { group: job.concurrency } : job.concurrency;
      jobRecord.concurrency = interpolate(spec.group, base);
      const label = `${options.label ?? String(scope.github.run_id)}/${id}`;
      release = await scope.concurrency.acquire(jobRecord.concurrency, label, {
        cancelInProgress: interpolate(String(spec['cancel-in-progress'] ?? false), base) === 'true',
        cancelRunning: () => control.abort('cancelled'),
        leave: control.signal,
      });
      if (!release) return end('cancelled');
    }
    if (jobRecord.environment && options.environments && !(jobRecord.environment.name in options.environments)) {
      // "Using environments for deployment": referencing an environment that does not exist creates it,
      // with no protection rules, so nobody is asked to review the job.
      options.environments[jobRecord.environment.name] = { reviewers: false };
      scope.record.createdEnvironments = [...(scope.record.createdEnvironments ?? []), jobRecord.environment.name];
    }
    const reviewed = !options.environments || options.environments[jobRecord.environment?.name ?? '']?.reviewers === true;
    if (jobRecord.environment && reviewed && options.approve && !(await options.approve(jobRecord.environment.name, id))) {
      jobRecord.rejected = true;
      return end('failure');
    }
    if (control.signal.aborted) return end('cancelled');
    if (job.uses) return end(await runCalledWorkflow(job, jobRecord, base, scope));
    const timer =
      jobRecord.timeoutMinutes === undefined
        ? undefined
        : setTimeout(() => control.abort('timeout'), jobRecord.timeoutMinutes * (options.minuteMs ?? 60_000));
    try {
      return end(await runSteps(job, jobRecord, base, runnerTemp, control.signal, scope));
    } finally {
      clearTimeout(timer);
      // "timeout-minutes": GitHub reports a job stopped at its timeout as cancelled.
      if (control.signal.reason === 'timeout') jobRecord.timedOut = true;
    }
  } finally {
    release?.();
    scope.cancelled.removeEventListener('abort', onRunCancelled);
  }
}

/** A job that `uses:` a reusable workflow: its jobs run in the same run; its outputs become the job's. */
async function runCalledWorkflow(job: Job, jobRecord: JobRecord, base: Contexts, scope: RunScope): Promise<JobResult> {
  const withInputs = interpolateAll(job.with ?? {}, base) as Record<string, string | number | boolean>;
  const called = await runWorkflow({
    ...scope.options,
    workflow: calledWorkflow(job.uses ?? '', scope.options.workflow),
    inputs: withInputs,
    concurrency: scope.concurrency,
    signal: scope.cancelled,
    onJob: (nested, phase) => scope.options.onJob?.({ ...nested, id: `${jobRecord.id} / ${nested.id}` }, phase),
  });
  jobRecord.called = called;
  jobRecord.outputs = called.outputs;
  scope.record.summaries.push(...called.summaries);
  const results = Object.values(called.jobs).map((j) => j.result);
  if (called.cancelled) return 'cancelled';
  return results.includes('failure') ? 'failure' : results.includes('cancelled') ? 'cancelled' : 'success';
}

async function runSteps(
  job: Job,
  jobRecord: JobRecord,
  base: Contexts,
  runnerTemp: string,
  cancelled: AbortSignal,
  scope: RunScope,
): Promise<JobResult> {
  const { options } = scope;
  let env: Record<string, string> = { ...interpolateAll(scope.workflow.env ?? {}, base), ...interpolateAll(job.env ?? {}, base) };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  let failed = false;
  for (const [index, step] of (job.steps ?? []).entries()) {
    const contexts = { ...base, env, steps, job: { status: cancelled.aborted ? 'cancelled' : failed ? 'failure' : 'success' } };
    const stepStatus: Status = { success: !failed, failure: failed, cancelled: cancelled.aborted };
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
      // A step that starts after the cancellation (always(), cancelled()) is not interrupted.
      const interruptible = !cancelled.aborted;
      await options.beforeStep?.(jobRecord, stepRecord);
      const stepEnv = { ...env, ...interpolateAll(step.env ?? {}, contexts) };
      const started = performance.now();
      const signal = interruptible ? cancelled : new AbortController().signal;
      const ran = await runStep(step, stepRecord, { ...contexts, env: stepEnv }, stepEnv, runnerTemp, signal, scope);
      stepRecord.durationMs = Math.round(performance.now() - started);
      // A step interrupted by the job's cancellation is cancelled, whatever its exit code.
      if (interruptible && cancelled.aborted) stepRecord.outcome = 'cancelled';
      env = { ...env, ...ran.exported };
      if (stepRecord.outcome === 'failure' && !step['continue-on-error']) failed = true;
    }
    const conclusion = stepRecord.outcome === 'failure' && step['continue-on-error'] ? 'success' : stepRecord.outcome;
    steps[stepRecord.id] = { outputs: stepRecord.outputs, outcome: stepRecord.outcome, conclusion };
    options.onStep?.(jobRecord, stepRecord);
  }
  const after = { ...base, env, steps };
  jobRecord.outputs = checkedOutputs(interpolateAll(job.outputs ?? {}, after), jobRecord.id);
  const environment = typeof job.environment === 'string' ? undefined : job.environment;
  if (jobRecord.environment && environment?.url) jobRecord.environment.url = interpolate(environment.url, after);
  return cancelled.aborted ? 'cancelled' : failed ? 'failure' : 'success';
}

async function runStep(
  step: Step,
  record: StepRecord,
  contexts: Contexts,
  env: Record<string, string>,
  runnerTemp: string,
  cancelled: AbortSignal,
  scope: RunScope,
): Promise<{ exported: Record<string, string> }> {
  const { options } = scope;
  const workspace = options.workspace;
  try {
    if (step.run !== undefined) {
      const script = interpolate(step.run, contexts);
      record.inputs = { run: script };
      const result = await runShell(
        script,
        { ...baseEnv(scope, runnerTemp), ...env, ...githubApiStandIn(scope, runnerTemp) },
        workspace,
        options.stepTimeoutMs ?? 120_000,
        cancelled,
        options.cancelGraceMs ?? 7500,
      );
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
        signal: cancelled,
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

/** "Job outputs are Unicode strings, and job outputs can be a maximum of 1 MB. The total of all outputs in a workflow run can be a maximum of 50 MB." */
export const JOB_OUTPUTS_MAX_BYTES = 1024 * 1024;

function checkedOutputs(outputs: Record<string, string>, job: string): Record<string, string> {
  const bytes = Object.entries(outputs).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
  if (bytes > JOB_OUTPUTS_MAX_BYTES) throw new Error(`job '${job}': its outputs total ${bytes} bytes, over GitHub's 1 MB per job`);
  return outputs;
}

/**
 * `gh` on PATH answering "Get an environment" from the environments the run knows: with
 * `options.environments`, their protection rules (`readable: false` answers 403); without, every
 * environment the run entered has required reviewers (the `approve` callback is the reviewer).
 */
function githubApiStandIn(scope: RunScope, runnerTemp: string): Record<string, string> {
  const known = scope.options.environments ?? Object.fromEntries([...scope.environments].map((name) => [name, { reviewers: true }]));
  const bodies = Object.fromEntries(
    Object.entries(known).map(([name, env]) => [
      name,
      env.readable === false
        ? 'forbidden'
        : {
            name,
            protection_rules: [
              ...(env.reviewers ? [{ type: 'required_reviewers', reviewers: [{ type: 'User', reviewer: { login: 'octocat' } }] }] : []),
              ...(env.waitTimer ? [{ type: 'wait_timer', wait_timer: env.waitTimer }] : []),
            ],
          },
    ]),
  );
  const file = join(runnerTemp, 'github-environments.json');
  writeFileSync(file, JSON.stringify(bodies));
  return { BAEPO_GH_ENVIRONMENTS: file, PATH: `${join(repoRoot, 'test', 'pipeline', 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}` };
}

/** What the runner puts in every step's environment. */
function baseEnv(scope: RunScope, runnerTemp: string): Record<string, string> {
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
