import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseFileCommands, parseWorkflowCommands, type WorkflowCommand } from './file-commands.js';
import { node24 } from './node24.js';
import { distPath, repoRoot } from './paths.js';
import { type RunnerFileName, scanRun, secretsToScan, snapshotFiles, writtenFiles } from './run-scan.js';

export interface GitHubContext {
  /** GITHUB_EVENT_NAME, e.g. push, pull_request, workflow_dispatch. */
  eventName?: string;
  /** The event payload written to GITHUB_EVENT_PATH. */
  payload?: Record<string, unknown>;
  ref?: string;
  refName?: string;
  refType?: 'branch' | 'tag';
  headRef?: string;
  baseRef?: string;
  sha?: string;
  repository?: string;
  runNumber?: number;
  runId?: number;
}

export interface RunOptions {
  /** Action folder name: dist/<action>/index.js is run. */
  action: string;
  entry?: 'main' | 'post';
  /** Inputs by their action.yml name; each becomes INPUT_<NAME>. Undefined values are omitted. */
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment (AWS endpoints, credentials, PATH additions...). */
  env?: Record<string, string | undefined>;
  github?: GitHubContext;
  /** GITHUB_WORKSPACE and the working directory; by default a temp dir removed after the run (pass one to keep files). */
  workspace?: string;
  /** Milliseconds before the process is killed (the test then fails). */
  timeoutMs?: number;
  /** Send SIGINT after this many ms (and SIGTERM 2.5 s later), as a cancelled job does. */
  cancelAfterMs?: number;
  /** Cancels the step as the runner does (SIGINT, then SIGTERM) when aborted. */
  signal?: AbortSignal;
  /** Called with each stdout chunk; can be used to cancel at a precise moment. */
  onStdout?: (chunk: string, control: { cancel: () => void }) => void;
  /** Reuse GITHUB_STATE from a main run (for post steps). */
  state?: Record<string, string>;
  /**
   * Secret values the test seeded. Every run is scanned (see run-scan.ts): these, and every
   * `::add-mask::` value the action registered, must not appear in the visible log, in a runner
   * file not listed in `secretsMayAppearIn`, or in any file written outside the runner's files
   * and `writes`; and the run must write no file outside those. A finding fails the run.
   */
  secrets?: readonly string[];
  /** Runner files where secrets are the point (ssm-load: 'env', and 'output' with set-outputs). */
  secretsMayAppearIn?: readonly RunnerFileName[];
  /** Files the action was asked to write (relative to the workspace, or absolute): allowed, may hold secrets. */
  writes?: readonly string[];
  /** Turn the scan off: only with the reason, for a run whose writes cannot be known in advance. */
  skipScan?: { reason: string };
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  state: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
  errors: string[];
  warnings: string[];
  masks: string[];
  /** stdout + stderr without `::add-mask::` lines: what a reader of the log could see. */
  visibleLog: string;
  workspace: string;
  durationMs: number;
}

const DEFAULTS: Required<Pick<GitHubContext, 'eventName' | 'ref' | 'sha' | 'repository' | 'runNumber' | 'runId'>> = {
  eventName: 'push',
  ref: 'refs/heads/main',
  sha: '0123456789abcdef0123456789abcdef01234567',
  repository: 'octo-org/shop',
  runNumber: 7,
  runId: 123456,
};

function refParts(ref: string): { refName: string; refType: 'branch' | 'tag' | '' } {
  if (ref.startsWith('refs/heads/')) return { refName: ref.slice(11), refType: 'branch' };
  if (ref.startsWith('refs/tags/')) return { refName: ref.slice(10), refType: 'tag' };
  if (ref.startsWith('refs/pull/')) return { refName: ref.slice(5), refType: '' };
  return { refName: ref, refType: '' };
}

/** Run a bundled action the way the GitHub runner does, and read back everything it wrote. */
export async function runAction(options: RunOptions): Promise<RunResult> {
  const temp = mkdtempSync(join(tmpdir(), `baepo-run-${options.action}-`));
  const workspace = options.workspace ?? join(temp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const runnerTemp = join(temp, 'runner-temp');
  mkdirSync(runnerTemp);
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_PATH: join(temp, 'path'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
    GITHUB_STATE: join(temp, 'state'),
    GITHUB_EVENT_PATH: join(temp, 'event.json'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const gh = { ...DEFAULTS, ...options.github };
  writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(gh.payload ?? {}));
  if (options.state) {
    writeFileSync(
      files.GITHUB_STATE,
      Object.entries(options.state)
        .map(([k, v]) => `${k}<<EOF_STATE\n${v}\nEOF_STATE\n`)
        .join(''),
    );
  }
  const parts = refParts(gh.ref);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: gh.eventName,
    GITHUB_REF: gh.ref,
    GITHUB_REF_NAME: gh.refName ?? parts.refName,
    GITHUB_REF_TYPE: gh.refType ?? parts.refType,
    GITHUB_HEAD_REF: gh.headRef ?? '',
    GITHUB_BASE_REF: gh.baseRef ?? '',
    GITHUB_SHA: gh.sha,
    GITHUB_REPOSITORY: gh.repository,
    GITHUB_RUN_NUMBER: String(gh.runNumber),
    GITHUB_RUN_ID: String(gh.runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_JOB: 'deploy',
    GITHUB_ACTION: options.action,
    ...files,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (value !== undefined) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value);
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  // The workspace and RUNNER_TEMP (a caller may give its own) hold every write an action may make.
  const watched = [temp, workspace, env.RUNNER_TEMP ?? runnerTemp];
  const before = snapshotFiles(watched);
  const started = performance.now();
  const child = spawn(node24(), [distPath(options.action, options.entry)], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let cancelled = false;
  const cancel = (): void => {
    if (cancelled) return;
    cancelled = true;
    child.kill('SIGINT');
    setTimeout(() => child.exitCode === null && child.kill('SIGTERM'), 2500).unref();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(chunk, { cancel });
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const cancelTimer = options.cancelAfterMs === undefined ? undefined : setTimeout(cancel, options.cancelAfterMs);
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  const killTimer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve([code, sig]));
  });
  clearTimeout(killTimer);
  if (cancelTimer) clearTimeout(cancelTimer);
  options.signal?.removeEventListener('abort', cancel);
  const durationMs = performance.now() - started;

  const read = (file: string) => readFileSync(file, 'utf8');
  const commands = parseWorkflowCommands(stdout);
  const runnerFileSet = new Set<string>(Object.values(files));
  const written = writtenFiles(before, snapshotFiles(watched)).filter((path) => !runnerFileSet.has(path));
  const result: RunResult = {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseFileCommands(read(files.GITHUB_OUTPUT)),
    env: parseFileCommands(read(files.GITHUB_ENV)),
    path: read(files.GITHUB_PATH).split('\n').filter(Boolean),
    state: parseFileCommands(read(files.GITHUB_STATE)),
    summary: read(files.GITHUB_STEP_SUMMARY),
    commands,
    errors: commands.filter((c) => c.command === 'error').map((c) => c.message),
    warnings: commands.filter((c) => c.command === 'warning').map((c) => c.message),
    masks: commands.filter((c) => c.command === 'add-mask').map((c) => c.message),
    visibleLog: `${stdout}\n${stderr}`
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    workspace,
    durationMs,
  };
  const problems = options.skipScan
    ? []
    : scanRun({
        secrets: secretsToScan(options.secrets ?? [], result.masks),
        visibleLog: result.visibleLog,
        runnerFiles: {
          output: read(files.GITHUB_OUTPUT),
          env: read(files.GITHUB_ENV),
          path: read(files.GITHUB_PATH),
          state: read(files.GITHUB_STATE),
          summary: result.summary,
        },
        secretsMayAppearIn: options.secretsMayAppearIn ?? [],
        written,
        declaredWrites: (options.writes ?? []).map((path) => (isAbsolute(path) ? path : join(workspace, path))),
      });
  rmSync(temp, { recursive: true, force: true });
  if (problems.length) {
    const shownProblems = problems.length > 20 ? [...problems.slice(0, 20), `… and ${problems.length - 20} more`] : problems;
    throw new Error(`The run of ${options.action} failed the secret and write scan:\n- ${shownProblems.join('\n- ')}\n${explain(result)}`);
  }
  return result;
}

/** A message for assertion failures: what the action printed. */
export function explain(result: RunResult): string {
  return `exit ${result.exitCode}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

export { repoRoot };
