/** The parts of a workflow file the executor reads. */
export interface Step {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string | boolean;
  environment?: string | { name: string; url?: string };
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean };
  'timeout-minutes'?: number | string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  /** A reusable workflow this job calls, with its inputs. */
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on?: {
    workflow_call?: {
      inputs?: Record<string, { type?: string; default?: unknown; required?: boolean }>;
      outputs?: Record<string, { value: string }>;
    };
  };
  env?: Record<string, string>;
  concurrency?: Job['concurrency'];
  jobs: Record<string, Job>;
}
