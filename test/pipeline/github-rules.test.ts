// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub Actions expressions, not JS templates
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConcurrencyGroups } from './concurrency.js';
import { runWorkflow } from './executor.js';
import type { JobRecord, RunOptions, StepRecord, WorkflowRecord } from './types.js';

// The rules GitHub applies that a plain "jobs in order" executor misses, each from GitHub's docs.

const dir = mkdtempSync(join(tmpdir(), 'baepo-rules-'));
mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function workflow(name: string, yaml: string): string {
  const file = join(dir, '.github', 'workflows', name);
  writeFileSync(file, yaml);
  return file;
}

/** A step that sleeps interruptibly and says which signal stopped it. */
const SLEEP = (seconds: number) => `
        run: |
          trap 'echo "got SIGINT"; kill $! 2>/dev/null; exit 130' INT
          trap 'echo "got SIGTERM"; kill $! 2>/dev/null; exit 143' TERM
          sleep ${seconds} & wait $!
          echo "slept ${seconds}s"`;

const run = (file: string, options: Partial<RunOptions> = {}) =>
  runWorkflow({ workflow: file, github: { repository: 'o/r' }, workspace: dir, cancelGraceMs: 200, ...options });

const results = (record: WorkflowRecord) => Object.fromEntries(Object.entries(record.jobs).map(([id, job]) => [id, job.result]));

/** A promise with its resolve function, to hold a step until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

describe('cancellation ("Canceling a workflow"; "Status check functions"; jobs.<job_id>.if)', () => {
  // GitHub re-evaluates `if:` of running and pending jobs when a run is cancelled: a job whose
  // condition is still true (always()) is not cancelled; the running step of any other job gets
  // SIGINT, then SIGTERM after 7.5 s; cancelled() is true, success() false.
  const file = workflow(
    'cancel.yml',
    `
on: { workflow_call: {} }
jobs:
  build:
    steps:
      - id: sleep${SLEEP(20)}
      - id: cleanup
        if: always()
        run: echo "cleanup ran"
      - id: after
        run: echo never
  deploy-always:
    needs: build
    if: always()
    steps:
      - run: echo deployed anyway
  deploy-guarded:
    needs: build
    if: "!cancelled()"
    steps:
      - run: echo never
  deploy-default:
    needs: build
    steps:
      - run: echo never
  report:
    needs: [deploy-always, deploy-guarded]
    if: cancelled()
    steps:
      - run: echo "the run was cancelled"
`,
  );

  it('a cancel during a step: SIGINT to the step, always() steps and jobs still run, !cancelled() and default jobs are skipped', async () => {
    const cancel = new AbortController();
    const record = await run(file, {
      signal: cancel.signal,
      beforeStep: (job, step) => {
        if (job.id === 'build' && step.id === 'sleep') setTimeout(() => cancel.abort(), 300);
      },
    });
    expect(results(record)).toEqual({
      build: 'cancelled',
      'deploy-always': 'success',
      'deploy-guarded': 'skipped',
      'deploy-default': 'skipped',
      report: 'success',
    });
    const steps = record.jobs.build?.steps ?? [];
    expect(steps.map((s) => s.outcome)).toEqual(['cancelled', 'success', 'skipped']);
    expect(steps[0]?.log).toContain('got SIGINT');
    expect(steps[0]?.log).not.toContain('slept');
  }, 30_000);

  it('a job whose if: is still true when the run is cancelled keeps running to the end (always() keeps deploying)', async () => {
    const keeps = workflow(
      'keeps.yml',
      `
on: { workflow_call: {} }
jobs:
  first:
    steps:
      - run: echo ok
  deploy:
    needs: first
    if: always()
    steps:
      - id: sleep${SLEEP(1)}
`,
    );
    const cancel = new AbortController();
    const record = await run(keeps, {
      signal: cancel.signal,
      beforeStep: (job) => {
        if (job.id === 'deploy') setTimeout(() => cancel.abort(), 100);
      },
    });
    expect(results(record)).toEqual({ first: 'success', deploy: 'success' });
    expect(record.jobs.deploy?.steps[0]?.log).toContain('slept 1s');
  }, 30_000);
});

describe('timeout-minutes ("jobs.<job_id>.timeout-minutes": an expression; a job stopped at its timeout is reported cancelled)', () => {
  const file = workflow(
    'timeout.yml',
    `
on:
  workflow_call:
    inputs:
      minutes: { type: number, default: 1 }
jobs:
  slow:
    timeout-minutes: \${{ inputs.minutes }}
    steps:
      - id: sleep${SLEEP(20)}
      - if: always()
        run: echo "after the timeout"
  next:
    needs: slow
    steps:
      - run: echo never
`,
  );

  it('kills the running step at the evaluated timeout; the job is cancelled and marked timed out', async () => {
    const record = await run(file, { inputs: { minutes: 3 }, minuteMs: 100 });
    const slow = record.jobs.slow as JobRecord;
    expect(slow.timeoutMinutes).toBe(3);
    expect(slow.result).toBe('cancelled');
    expect(slow.timedOut).toBe(true);
    expect(slow.steps.map((s) => s.outcome)).toEqual(['cancelled', 'success']);
    expect(slow.steps[0]?.log).toContain('got SIGINT');
    expect(record.jobs.next?.result).toBe('skipped');
  }, 30_000);
});

describe('concurrency ("Using concurrency": one running and one pending job per group)', () => {
  const file = workflow(
    'queue.yml',
    `
on:
  workflow_call:
    inputs:
      group: { type: string, default: g }
      cancel-in-progress: { type: boolean, default: false }
jobs:
  deploy:
    concurrency:
      group: deploy-\${{ inputs.group }}
      cancel-in-progress: \${{ inputs.cancel-in-progress }}
    steps:
      - id: work${SLEEP(1)}
  after:
    needs: deploy
    steps:
      - run: echo after
`,
  );

  /** Run A holds the group at its step until B and C have queued behind it. */
  async function threeRuns(inputs: Record<string, string | boolean>, groupOf: (label: string) => string) {
    const groups = new ConcurrencyGroups();
    const hold = gate();
    const started: string[] = [];
    const options = (label: string): Partial<RunOptions> => ({
      label,
      concurrency: groups,
      inputs: { ...inputs, group: groupOf(label) },
      beforeStep: async (job: JobRecord, _step: StepRecord) => {
        started.push(`${label}/${job.id}`);
        if (label === 'A') await hold.promise;
      },
    });
    const a = run(file, options('A'));
    await until(() => started.includes('A/deploy'));
    const b = run(file, options('B'));
    await until(() => groups.events.some((e) => e.includes('B/deploy')));
    const c = run(file, options('C'));
    await until(() => groups.events.some((e) => e.includes('C/deploy')));
    hold.open();
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    return { ra, rb, rc, groups, started };
  }

  it('three interleaved runs: the running one finishes, the middle pending one is cancelled, the newest runs', async () => {
    const { ra, rb, rc, groups } = await threeRuns({}, () => 'shared');
    expect(results(ra)).toEqual({ deploy: 'success', after: 'success' });
    expect(results(rb)).toEqual({ deploy: 'cancelled', after: 'skipped' });
    expect(results(rc)).toEqual({ deploy: 'success', after: 'success' });
    expect(ra.jobs.deploy?.steps[0]?.log).toContain('slept 1s');
    expect(groups.events).toEqual([
      'deploy-shared: A/deploy running',
      'deploy-shared: B/deploy pending',
      'deploy-shared: B/deploy cancelled',
      'deploy-shared: C/deploy pending',
      'deploy-shared: A/deploy released',
      'deploy-shared: C/deploy running',
      'deploy-shared: C/deploy released',
    ]);
  }, 30_000);

  it('different groups never wait for or cancel each other', async () => {
    const { ra, rb, rc } = await threeRuns({}, (label) => label);
    for (const record of [ra, rb, rc]) expect(results(record)).toEqual({ deploy: 'success', after: 'success' });
  }, 30_000);

  it('cancel-in-progress: true cancels the running job too', async () => {
    const { ra, rb, rc } = await threeRuns({ 'cancel-in-progress': true }, () => 'shared');
    expect(ra.jobs.deploy?.result).toBe('cancelled');
    expect(rb.jobs.deploy?.result).toBe('cancelled');
    expect(rc.jobs.deploy?.result).toBe('success');
  }, 30_000);
});

describe('a job that calls a reusable workflow ("Reusing workflows"): a lock from its first job to its last', () => {
  const inner = (concurrency: string) => `
on:
  workflow_call:
    inputs:
      name: { type: string, required: true }
    outputs:
      status: { value: "\${{ jobs.start.outputs.status }}" }
${concurrency}
jobs:
  start:
    outputs: { status: "\${{ steps.s.outputs.status }}" }
    steps:
      - id: s
        env: { NAME: "\${{ inputs.name }}" }
        run: echo "status=paused-$NAME" >> "$GITHUB_OUTPUT"
  finish:
    needs: start
    steps:
      - id: wait${SLEEP(1)}
`;
  const outer = (called: string, concurrency: string) => `
on: { workflow_call: { inputs: { name: { type: string, default: x } } } }
jobs:
  rollout:
    ${concurrency}
    uses: ./.github/workflows/${called}
    with: { name: "\${{ inputs.name }}" }
  report:
    needs: rollout
    steps:
      - env: { STATUS: "\${{ needs.rollout.outputs.status }}" }
        run: echo "$STATUS"
`;
  workflow('inner.yml', inner(''));
  workflow('inner-locked.yml', inner('concurrency: { group: "lock-${{ github.repository }}", cancel-in-progress: false }'));
  const cases = [
    [
      'concurrency on the calling job',
      workflow('outer.yml', outer('inner.yml', 'concurrency: { group: lock, cancel-in-progress: false }')),
    ],
    ['workflow-level concurrency in the called workflow', workflow('outer-locked.yml', outer('inner-locked.yml', ''))],
  ] as const;

  it.each(cases)(
    "%s: a second run starts nothing until the first run's called jobs are all done; outputs flow out",
    async (_, file) => {
      const groups = new ConcurrencyGroups();
      const order: string[] = [];
      const onJob = (label: string) => (job: JobRecord, phase: 'start' | 'end') => {
        if (job.result !== 'skipped' || phase === 'start') order.push(`${label} ${job.id} ${phase}`);
      };
      const first = run(file, { label: 'A', inputs: { name: 'a' }, concurrency: groups, onJob: onJob('A') });
      await until(() => order.includes('A rollout / start end'));
      const second = run(file, { label: 'B', inputs: { name: 'b' }, concurrency: groups, onJob: onJob('B') });
      const [a, b] = await Promise.all([first, second]);
      expect(results(a)).toEqual({ rollout: 'success', report: 'success' });
      expect(results(b)).toEqual({ rollout: 'success', report: 'success' });
      expect(a.jobs.rollout?.outputs.status).toBe('paused-a');
      expect(b.jobs.rollout?.called?.jobs.start?.outputs.status).toBe('paused-b');
      expect(order.indexOf('B rollout / start start')).toBeGreaterThan(order.indexOf('A rollout / finish end'));
    },
    30_000,
  );
});

describe('environments ("Using environments for deployment": referencing one that does not exist creates it)', () => {
  const file = workflow(
    'environments.yml',
    `
on: { workflow_call: {} }
jobs:
  deploy:
    environment: production
    steps:
      - run: echo deployed
  approve:
    needs: deploy
    environment: production-approval
    steps:
      - run: echo "continued without a review"
`,
  );

  it('a job naming a missing environment runs at once: GitHub creates it without reviewers', async () => {
    const environments = { production: { reviewers: true } };
    const reviewed: string[] = [];
    const record = await run(file, {
      environments,
      approve: (environment) => {
        reviewed.push(environment);
        return true;
      },
    });
    expect(results(record)).toEqual({ deploy: 'success', approve: 'success' });
    expect(reviewed).toEqual(['production']);
    expect(record.createdEnvironments).toEqual(['production-approval']);
    expect(environments).toEqual({ production: { reviewers: true }, 'production-approval': { reviewers: false } });
  }, 30_000);
});

describe('job outputs ("Job outputs are Unicode strings, max 1 MB per job")', () => {
  const file = workflow(
    'big.yml',
    `
on: { workflow_call: {} }
jobs:
  big:
    outputs: { list: "\${{ steps.s.outputs.list }}" }
    steps:
      - id: s
        run: printf 'list=%s\\n' "$(head -c 1100000 /dev/zero | tr '\\0' a)" >> "$GITHUB_OUTPUT"
`,
  );

  it('an output over 1 MB is an error, not a silently huge value', async () => {
    await expect(run(file)).rejects.toThrow(/over GitHub's 1 MB per job/);
  }, 30_000);
});
