import type { GitHubContext } from '../harness/run-action.js';
import type { ConcurrencyGroups } from './concurrency.js';

export type JobResult = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRecord {
  /** The step's id, or `__<index>` when it has none. */
  id: string;
  name: string;
  uses?: string;
  /** cancelled: the job was cancelled while the step ran (it got SIGINT, then SIGTERM). */
  outcome: 'success' | 'failure' | 'skipped' | 'cancelled';
  /** The inputs it got (with: evaluated, plus action.yml defaults), or { run: script }. */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  exitCode: number | null;
  /** What a reader of the job log would see (add-mask lines removed). */
  log: string;
  masks?: string[];
  /** Wall-clock time of the step (0 when skipped). */
  durationMs: number;
}

export interface JobRecord {
  id: string;
  name: string;
  result: JobResult;
  environment?: { name: string; url?: string };
  concurrency?: string;
  /** The environment's reviewer rejected the job. */
  rejected?: boolean;
  /** timeout-minutes, evaluated. */
  timeoutMinutes?: number;
  /** Stopped at its timeout-minutes (result: cancelled, as GitHub reports it). */
  timedOut?: boolean;
  /** A job that `uses:` a reusable workflow: that workflow's run. */
  called?: WorkflowRecord;
  outputs: Record<string, string>;
  steps: StepRecord[];
}

export interface WorkflowRecord {
  jobs: Record<string, JobRecord>;
  outputs: Record<string, string>;
  /** Every step's GITHUB_STEP_SUMMARY, in order. */
  summaries: string[];
  /** The workflow-level concurrency group, evaluated. */
  concurrency?: string;
  /** A newer run took this one's place while it waited for its workflow-level concurrency group. */
  cancelled?: boolean;
  /** Environments GitHub created because a job named them (no protection rules). */
  createdEnvironments?: string[];
}

export interface RunOptions {
  /** Path of the workflow file (on.workflow_call). */
  workflow: string;
  /** The caller's `with:`. */
  inputs?: Record<string, string | boolean | number>;
  github: GitHubContext;
  /** The checked-out repository every job works in. */
  workspace: string;
  /** Added to every step's environment (AWS_ENDPOINT_URL_* of the stack). */
  env?: Record<string, string>;
  /**
   * Test-harness overrides: inputs added to every step of a baepo action, e.g.
   * { 'ecr-push': { 'registry-endpoint': 'http://127.0.0.1:5000' } }.
   */
  inputOverrides?: Record<string, Record<string, string>>;
  /** Review of a job's GitHub Environment (false rejects the job); default: no protection rules. */
  approve?: (environment: string, job: string) => boolean | Promise<boolean>;
  /**
   * The repository's environments, when the test models them: only those with reviewers go through
   * `approve`, and a job that names one not listed creates it without protection rules (added here).
   * Undefined: every environment goes through `approve`.
   */
  environments?: Record<string, { reviewers: boolean; waitTimer?: number; readable?: boolean }>;
  stepTimeoutMs?: number;
  /** Concurrency groups shared by interleaved runs of one repository (default: this run's own). */
  concurrency?: ConcurrencyGroups;
  /** Names this run in concurrency events (default: github.run_id). */
  label?: string;
  /** Aborting it cancels the run, as "Cancel workflow" does. */
  signal?: AbortSignal;
  /** The length of a minute for timeout-minutes (default 60 000 ms; tests shrink it). */
  minuteMs?: number;
  /** Between SIGINT and SIGTERM when a step is cancelled (the runner: 7 500 ms). */
  cancelGraceMs?: number;
  /** Awaited right before a step runs (after its if:): a breakpoint for interleaving runs. */
  beforeStep?: (job: JobRecord, step: StepRecord) => void | Promise<void>;
  onJob?: (job: JobRecord, phase: 'start' | 'end') => void;
  onStep?: (job: JobRecord, step: StepRecord) => void;
}
