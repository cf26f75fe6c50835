import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFrontClient, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/paths.js';
import type { GitHubContext } from '../harness/run-action.js';
import { ConcurrencyGroups } from '../pipeline/concurrency.js';
import { runWorkflow } from '../pipeline/executor.js';
import { checkout, ECR_REPOSITORY, REGION, SECRETS, type Seeded, seed } from '../pipeline/seed.js';
import { type PipelineStack, startPipelineStack } from '../pipeline/stack.js';
import { DUMMY_CREDENTIALS } from '../pipeline/stand-ins.js';
import type { JobRecord, RunOptions, WorkflowRecord } from '../pipeline/types.js';

// deploy.yml executed job by job with the real bundles (Node 24) against moto, a
// registry and the ECS simulator; third-party actions are stand-ins (test/pipeline/stand-ins.ts).
const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
const INPUTS = {
  'test-command': 'node --test',
  'ecr-repository': ECR_REPOSITORY,
  'site-dir': 'web/dist',
  'site-build-command': 'bash web/build.sh',
};

let stack: PipelineStack;
let seeded: Seeded;
const workspaces: string[] = [];

beforeAll(async () => {
  stack = await startPipelineStack({ tickMs: 1 });
  seeded = await seed(stack);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  for (const dir of [seeded?.workspace, ...workspaces]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const client = {
  region: REGION,
  credentials: { accessKeyId: DUMMY_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
};

async function deploy(
  github: GitHubContext,
  inputs: Record<string, string> = INPUTS,
  approve?: (environment: string) => boolean | Promise<boolean>,
  extra: Partial<RunOptions> = {},
): Promise<WorkflowRecord> {
  const workspace = checkout(seeded);
  workspaces.push(workspace);
  // Another commit is another build context, so another image digest.
  writeFileSync(join(workspace, 'REVISION'), github.sha ?? SHA);
  return runWorkflow({
    workflow: join(repoRoot, '.github', 'workflows', 'deploy.yml'),
    inputs,
    github: { sha: SHA, repository: 'octo-org/shop', ...github },
    workspace,
    env: stack.env,
    inputOverrides: stack.inputOverrides,
    ...(approve ? { approve } : {}),
    ...extra,
  });
}

/** The jobs of the service rollout (ecs-rollout.yml, called by the service job). */
const rollout = (run: WorkflowRecord) => run.jobs.service?.called?.jobs ?? {};

/** A promise with its resolve function, to hold a step until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 1200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(condition()).toBe(true);
};

const results = (run: WorkflowRecord) => Object.fromEntries(Object.entries(run.jobs).map(([id, job]) => [id, job.result]));
/** Every step's log, with the name of the step, for failure messages. */
const logs = (run: WorkflowRecord): string =>
  Object.values(run.jobs)
    .flatMap((job) => [
      ...job.steps.map((step) => `--- ${job.id} / ${step.name} (${step.outcome})\n${step.log}`),
      ...(job.called ? [logs(job.called)] : []),
    ])
    .join('\n');

async function running(cluster: string) {
  const ecs = new ECSClient({ ...client, endpoint: stack.ecs.endpoint });
  const service = (await ecs.send(new DescribeServicesCommand({ cluster, services: ['api'] }))).services?.[0];
  const definition = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }))).taskDefinition;
  return { service, container: definition?.containerDefinitions?.[0] };
}

async function head(bucket: string, key: string) {
  const s3 = new S3Client({ ...client, endpoint: stack.moto.endpoint, forcePathStyle: true });
  return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

async function body(bucket: string, key: string): Promise<string> {
  const s3 = new S3Client({ ...client, endpoint: stack.moto.endpoint, forcePathStyle: true });
  return (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? '';
}

async function invalidations(distribution: string): Promise<number> {
  const cloudfront = new CloudFrontClient({ ...client, region: 'us-east-1', endpoint: stack.moto.endpoint });
  return (await cloudfront.send(new ListInvalidationsCommand({ DistributionId: distribution }))).InvalidationList?.Quantity ?? 0;
}

function expectNoSecretInLogs(run: WorkflowRecord): void {
  const all = logs(run);
  for (const secret of Object.values(SECRETS)) expect(all).not.toContain(secret);
}

describe('deploy.yml', () => {
  it('develop push: test, image, service and site deploy to dev; outputs flow from job to job', async () => {
    const run = await deploy({ eventName: 'push', ref: 'refs/heads/develop' });
    expect(results(run), logs(run)).toEqual({
      resolve: 'success',
      test: 'success',
      image: 'success',
      service: 'success',
      site: 'success',
      summary: 'success',
    });
    expect(results(run.jobs.service?.called as WorkflowRecord)).toEqual({ deploy: 'success', approve: 'skipped', abort: 'skipped' });
    const { resolve, image, site } = run.jobs as Record<string, NonNullable<WorkflowRecord['jobs'][string]>>;
    const service = rollout(run).deploy;
    expect(resolve?.outputs).toMatchObject({ environment: 'dev', deploy: 'true', 'image-tag': `develop-${SHA.slice(0, 7)}` });

    // image: the pushed tags come from resolve; the digest flows into ecs-deploy's image input.
    const push = image?.steps.find((s) => s.id === 'push');
    expect(
      push?.inputs.tags
        ?.split('\n')
        .map((t) => t.trim())
        .filter(Boolean),
    ).toEqual([`develop-${SHA.slice(0, 7)}`, SHA, 'dev']);
    expect(push?.inputs['registry-endpoint']).toBe(stack.registry.endpoint);
    expect(image?.outputs.image).toBe(`${stack.registry.host}/${ECR_REPOSITORY}@${image?.outputs.digest}`);
    const deployStep = service?.steps.find((s) => s.id === 'deploy');
    expect(deployStep?.inputs).toMatchObject({
      cluster: 'shop-dev',
      service: 'api',
      image: image?.outputs.image,
      'ssm-secrets-path': '/shop/common\n/shop/dev',
    });
    expect(service?.environment).toEqual({ name: 'dev', url: 'https://develop.dev.shop.example' });
    expect(run.jobs.service?.called?.concurrency).toBe('baepo-service:octo-org/shop:dev:shop-dev/api');
    expect(site?.concurrency).toBe(`baepo-site:octo-org/shop:s3://${seeded.buckets.dev}/dev`);
    expect(resolve?.outputs).toMatchObject({ 'job-timeout-minutes': '100', 'role-duration-seconds': '6000' });
    expect(service?.timeoutMinutes).toBe(100);
    expect(service?.steps.find((s) => s.uses?.startsWith('aws-actions/'))?.inputs['role-duration-seconds']).toBe('6000');

    // The task definition revision running in the simulator has the image and the secrets as ARNs.
    const now = await running('shop-dev');
    expect(now.service?.taskDefinition).toBe(service?.outputs['task-definition-arn']);
    expect(now.service?.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    expect(now.container?.image).toBe(image?.outputs.image);
    expect(now.container?.secrets).toContainEqual({
      name: 'DB_PASSWORD',
      valueFrom: expect.stringMatching(/^arn:aws:ssm:ap-northeast-2:\d{12}:parameter\/shop\/dev\/DB_PASSWORD$/),
    });
    // Layered paths: /shop/common's settings reach the task too, and /shop/dev overrides them.
    expect(now.container?.secrets).toContainEqual({
      name: 'PUBLIC_SUPPORT_EMAIL',
      valueFrom: expect.stringMatching(/parameter\/shop\/common\/PUBLIC_SUPPORT_EMAIL$/),
    });
    expect(now.container?.secrets).toContainEqual({
      name: 'LOG_LEVEL',
      valueFrom: expect.stringMatching(/parameter\/shop\/dev\/LOG_LEVEL$/),
    });

    // site: built from SSM settings, synced with cache headers, invalidated.
    expect(JSON.parse(site?.outputs['changed-keys'] ?? '[]')).toEqual(expect.arrayContaining(['dev/index.html', 'dev/robots.txt']));
    expect((await head(seeded.buckets.dev, 'dev/index.html')).CacheControl).toBe('no-cache');
    const asset = JSON.parse(site?.outputs['changed-keys'] ?? '[]').find((k: string) => k.startsWith('dev/assets/'));
    expect((await head(seeded.buckets.dev, asset)).CacheControl).toBe('public, max-age=31536000, immutable');
    expect((await head(seeded.buckets.dev, 'dev/robots.txt')).CacheControl).toBe('public, max-age=300');
    expect(site?.steps.find((s) => s.id === 'sync')?.outputs['invalidation-id']).not.toBe('');
    expect(await invalidations(seeded.distributions.dev)).toBeGreaterThan(0);

    expect(run.outputs).toMatchObject({
      environment: 'dev',
      deploy: 'true',
      image: image?.outputs.image,
      'service-status': 'succeeded',
      'task-definition-arn': now.service?.taskDefinition,
    });
    expect(run.summaries.at(-1)).toContain('| environment | dev |');
    // The build read ssm-load's dotenv file (the page holds its PUBLIC_API_URL); the file was removed
    // right after the build, and no log shows the secret it held.
    expect(await body(seeded.buckets.dev, 'dev/index.html')).toContain('https://api.dev.shop.example');
    expect(site?.steps.find((s) => s.name === 'Remove the build-time dotenv file')?.outcome).toBe('success');
    expect(existsSync(join(workspaces.at(-1) ?? '', '.env.production.local'))).toBe(false);
    expect(run.summaries.at(-1)).toContain('test=success image=success service=success site=success');
    expectNoSecretInLogs(run);
  }, 120_000);

  it('main push: production, the service and the site of production; no approval job without a pause', async () => {
    const run = await deploy({ eventName: 'push', ref: 'refs/heads/main' });
    expect(results(run), logs(run)).toMatchObject({
      resolve: 'success',
      test: 'success',
      image: 'success',
      service: 'success',
      site: 'success',
    });
    expect(rollout(run).approve?.result).toBe('skipped');
    expect(run.jobs.resolve?.outputs).toMatchObject({ environment: 'production', 'is-production': 'true' });
    expect(rollout(run).deploy?.environment).toEqual({ name: 'production', url: 'https://www.shop.example' });
    const now = await running('shop-prod');
    expect(now.container?.image).toBe(run.outputs.image);
    expect(now.container?.secrets).toContainEqual({
      name: 'DB_PASSWORD',
      valueFrom: expect.stringMatching(/parameter\/shop\/production\/DB_PASSWORD$/),
    });
    expect((await head(seeded.buckets.production, 'index.html')).CacheControl).toBe('no-cache');
    expect(await invalidations(seeded.distributions.production)).toBeGreaterThan(0);
    expectNoSecretInLogs(run);
  }, 120_000);

  it('v1.2.3 tag: the version is the image tag; the same image deploys to production', async () => {
    const run = await deploy({ eventName: 'push', ref: 'refs/tags/v1.2.3' });
    expect(results(run), logs(run)).toMatchObject({ resolve: 'success', image: 'success', service: 'success', site: 'success' });
    const push = run.jobs.image?.steps.find((s) => s.id === 'push');
    expect(
      push?.inputs.tags
        ?.split('\n')
        .map((t) => t.trim())
        .filter(Boolean),
    ).toEqual(['1.2.3', SHA, 'production']);
    expect(push?.outputs['image-uris']?.split('\n')).toContain(`${stack.registry.host}/${ECR_REPOSITORY}:1.2.3`);
    // The same build as main's push: the registry already has it, the service runs it.
    expect((await running('shop-prod')).container?.image).toBe(run.outputs.image);
    expect(run.outputs['service-status']).toMatch(/^(succeeded|unchanged)$/);
    expectNoSecretInLogs(run);
  }, 120_000);

  it('pull request into main: preview environment with its PR prefix', async () => {
    const run = await deploy({
      eventName: 'pull_request',
      ref: 'refs/pull/42/merge',
      headRef: 'feature/cart',
      baseRef: 'main',
      payload: {
        number: 42,
        pull_request: { number: 42, head: { ref: 'feature/cart', sha: SHA, repo: { full_name: 'octo-org/shop' } }, base: { ref: 'main' } },
      },
    });
    expect(results(run), logs(run)).toMatchObject({ resolve: 'success', image: 'success', service: 'success', site: 'success' });
    expect(run.outputs.environment).toBe('preview');
    expect(run.jobs.site?.environment).toEqual({ name: 'preview', url: 'https://pr-42.preview.shop.example' });
    expect((await running('shop-preview')).container?.image).toBe(run.outputs.image);
    expect((await head(seeded.buckets.dev, 'pr-42/index.html')).CacheControl).toBe('no-cache');
    expectNoSecretInLogs(run);
  }, 120_000);

  it('a branch that matches no environment: resolve says why, every later job is skipped, the summary says nothing deployed', async () => {
    const before = (await running('shop-dev')).service?.taskDefinition;
    const run = await deploy({ eventName: 'push', ref: 'refs/heads/experiment/x' });
    expect(results(run)).toEqual({
      resolve: 'success',
      test: 'skipped',
      image: 'skipped',
      service: 'skipped',
      site: 'skipped',
      summary: 'success',
    });
    expect(run.outputs).toMatchObject({ deploy: 'false', environment: '', image: '', 'task-definition-arn': '' });
    expect(run.summaries.at(-1)).toContain('Nothing deployed:');
    expect((await running('shop-dev')).service?.taskDefinition).toBe(before);
  }, 60_000);

  it('a failing test command stops the image, service and site jobs', async () => {
    const run = await deploy({ eventName: 'push', ref: 'refs/heads/develop' }, { ...INPUTS, 'test-command': 'node -e "process.exit(3)"' });
    expect(results(run)).toEqual({
      resolve: 'success',
      test: 'failure',
      image: 'skipped',
      service: 'skipped',
      site: 'skipped',
      summary: 'success',
    });
    expect(run.jobs.test?.steps.at(-1)?.exitCode).toBe(3);
  }, 60_000);

  describe.each([
    ['approved', true, { service: 'success', site: 'success' }, { approve: 'success', abort: 'skipped' }],
    ['rejected', false, { service: 'failure', site: 'skipped' }, { approve: 'failure', abort: 'success' }],
  ] as const)('blue/green paused for approval, %s', (_, approved, expected, expectedRollout) => {
    it('pauses at POST_TEST_TRAFFIC_SHIFT; the approval environment decides between approve and abort', async () => {
      const before = (await running('shop-prod')).service?.taskDefinition;
      const inputs = { ...INPUTS, 'test-command': '', strategy: 'blue-green', 'pause-at': 'POST_TEST_TRAFFIC_SHIFT' };
      const reviewed: string[] = [];
      const run = await deploy(
        { eventName: 'push', ref: 'refs/heads/main', sha: approved ? 'a'.repeat(40) : 'b'.repeat(40) },
        inputs,
        (environment) => {
          reviewed.push(environment);
          return environment !== 'production-approval' || approved;
        },
      );
      expect(results(run), logs(run)).toMatchObject(expected);
      expect(results(run.jobs.service?.called as WorkflowRecord)).toEqual({ deploy: 'success', ...expectedRollout });
      expect(run.outputs['service-status']).toBe('paused');
      expect(run.outputs['service-final-status']).toBe(approved ? 'succeeded' : 'rolled-back');
      expect(reviewed).toContain('production-approval');
      const arn = run.jobs.service?.outputs['service-deployment-arn'];
      expect(arn).toMatch(/^arn:aws:ecs:/);
      const resume = (approved ? rollout(run).approve : rollout(run).abort)?.steps.at(-1);
      expect(resume?.inputs).toMatchObject({ resume: arn, decision: approved ? 'continue' : 'rollback', cluster: 'shop-prod' });
      expect(resume?.outputs.status).toBe(approved ? 'succeeded' : 'rolled-back');
      const now = (await running('shop-prod')).service?.taskDefinition;
      if (approved) expect(now).toBe(run.outputs['task-definition-arn']);
      else expect(now).toBe(before);
    }, 120_000);
  });

  // GitHub's rules across runs and on cancel, as the executor models them (test/pipeline/github-rules.test.ts).
  describe('as GitHub really runs it', () => {
    const DEV_SERVICE = 'baepo-service:octo-org/shop:dev:shop-dev/api';
    const PROD_SERVICE = 'baepo-service:octo-org/shop:production:shop-prod/api';
    const push = (ref: string, sha: string): GitHubContext => ({ eventName: 'push', ref, sha });

    it('three quick pushes ("Using concurrency"): the running deploy is never interrupted, the middle waiting run is cancelled, the newest deploys', async () => {
      const groups = new ConcurrencyGroups();
      const hold = gate();
      const atDeploy: string[] = [];
      const options = (label: string): Partial<RunOptions> => ({
        label,
        concurrency: groups,
        beforeStep: async (job, step) => {
          if (job.id !== 'deploy' || step.id !== 'deploy') return;
          atDeploy.push(label);
          if (label === 'A') await hold.promise;
        },
      });
      const inputs = { ...INPUTS, 'test-command': '' };
      const a = deploy(push('refs/heads/develop', '1'.repeat(40)), inputs, undefined, options('A'));
      await until(() => atDeploy.includes('A'));
      const b = deploy(push('refs/heads/develop', '2'.repeat(40)), inputs, undefined, options('B'));
      await until(() => groups.state(DEV_SERVICE).pending === 'B/ecs-rollout.yml');
      const c = deploy(push('refs/heads/develop', '3'.repeat(40)), inputs, undefined, options('C'));
      await until(() => groups.state(DEV_SERVICE).pending === 'C/ecs-rollout.yml');
      hold.open();
      const [ra, rb, rc] = await Promise.all([a, b, c]);

      expect(results(ra), logs(ra)).toMatchObject({ image: 'success', service: 'success', site: 'success' });
      expect(rollout(ra).deploy?.steps.find((s) => s.id === 'deploy')?.outputs.status).toBe('succeeded');
      expect(results(rb), logs(rb)).toMatchObject({ image: 'success', service: 'cancelled', site: 'skipped', summary: 'success' });
      expect(rb.jobs.service?.called?.cancelled).toBe(true);
      expect(results(rc), logs(rc)).toMatchObject({ image: 'success', service: 'success', site: 'success' });
      expect(atDeploy).toEqual(['A', 'C']);
      expect(groups.events.filter((e) => e.startsWith(DEV_SERVICE))).toEqual([
        `${DEV_SERVICE}: A/ecs-rollout.yml running`,
        `${DEV_SERVICE}: B/ecs-rollout.yml pending`,
        `${DEV_SERVICE}: B/ecs-rollout.yml cancelled`,
        `${DEV_SERVICE}: C/ecs-rollout.yml pending`,
        `${DEV_SERVICE}: A/ecs-rollout.yml released`,
        `${DEV_SERVICE}: C/ecs-rollout.yml running`,
        `${DEV_SERVICE}: C/ecs-rollout.yml released`,
      ]);
      // The newest waiting run won: what runs is C's image.
      expect((await running('shop-dev')).container?.image).toBe(rc.outputs.image);
    }, 240_000);

    it("previews of two pull requests never cancel or wait for each other's site (one group per bucket and prefix)", async () => {
      const groups = new ConcurrencyGroups();
      const hold = gate();
      const pr = (n: number): GitHubContext => ({
        eventName: 'pull_request',
        ref: `refs/pull/${n}/merge`,
        headRef: `feature/${n}`,
        baseRef: 'main',
        sha: String(n).repeat(40),
        payload: {
          number: n,
          pull_request: { number: n, head: { ref: `feature/${n}`, sha: SHA, repo: { full_name: 'octo-org/shop' } }, base: { ref: 'main' } },
        },
      });
      let firstAtSync = false;
      const inputs = { ...INPUTS, 'test-command': '' };
      const first = deploy(pr(7), inputs, undefined, {
        label: 'PR7',
        concurrency: groups,
        beforeStep: async (job, step) => {
          if (job.id !== 'site' || step.id !== 'sync') return;
          firstAtSync = true;
          await hold.promise;
        },
      });
      await until(() => firstAtSync);
      // PR 8 publishes while PR 7 is in the middle of its own publish.
      const second = await deploy(pr(8), inputs, undefined, { label: 'PR8', concurrency: groups });
      hold.open();
      const one = await first;
      for (const run of [one, second]) expect(results(run), logs(run)).toMatchObject({ service: 'success', site: 'success' });
      expect(one.jobs.site?.concurrency).not.toBe(second.jobs.site?.concurrency);
      expect((await head(seeded.buckets.dev, 'pr-7/index.html')).CacheControl).toBe('no-cache');
      expect((await head(seeded.buckets.dev, 'pr-8/index.html')).CacheControl).toBe('no-cache');
      expect(groups.events.filter((e) => e.includes('cancelled'))).toEqual([]);
    }, 240_000);

    it('a paused canary while a newer run arrives: no second deployment starts until approve/abort finishes', async () => {
      const groups = new ConcurrencyGroups();
      const review = gate();
      const order: string[] = [];
      const onJob = (label: string) => (job: JobRecord, phase: 'start' | 'end') => {
        if (phase === 'end' && job.result !== 'skipped') order.push(`${label} ${job.id}`);
      };
      let waiting = false;
      const inputs = { ...INPUTS, 'test-command': '', 'site-dir': '', strategy: 'blue-green', 'pause-at': 'POST_TEST_TRAFFIC_SHIFT' };
      const first = deploy(
        push('refs/heads/main', 'd'.repeat(40)),
        inputs,
        async (environment) => {
          if (environment !== 'production-approval') return true;
          waiting = true;
          await review.promise;
          return true;
        },
        { label: 'A', concurrency: groups, onJob: onJob('A') },
      );
      await until(() => waiting);
      const second = deploy(push('refs/heads/main', 'e'.repeat(40)), inputs, () => true, {
        label: 'B',
        concurrency: groups,
        onJob: onJob('B'),
      });
      await until(() => groups.state(PROD_SERVICE).pending === 'B/ecs-rollout.yml');
      // B waits behind A's whole rollout; A's deployment is the only one ECS has started.
      expect(groups.state(PROD_SERVICE).running).toBe('A/ecs-rollout.yml');
      expect(order.filter((o) => o.startsWith('B service'))).toEqual([]);
      review.open();
      const [ra, rb] = await Promise.all([first, second]);
      expect(results(ra), logs(ra)).toMatchObject({ service: 'success' });
      expect(results(rb), logs(rb)).toMatchObject({ service: 'success' });
      expect(order.indexOf('B service / deploy')).toBeGreaterThan(order.indexOf('A service / approve'));
      expect(ra.outputs['service-final-status']).toBe('succeeded');
      expect((await running('shop-prod')).service?.taskDefinition).toBe(rb.outputs['task-definition-arn']);
    }, 240_000);

    it('an approval environment without reviewers (GitHub created it when approve named it): refused, rolled back', async () => {
      const before = (await running('shop-prod')).service?.taskDefinition;
      const reviewed: string[] = [];
      const environments = { production: { reviewers: false } };
      const inputs = { ...INPUTS, 'test-command': '', strategy: 'blue-green', 'pause-at': 'POST_TEST_TRAFFIC_SHIFT' };
      const run = await deploy(
        push('refs/heads/main', '7'.repeat(40)),
        inputs,
        (environment) => {
          reviewed.push(environment);
          return true;
        },
        { environments },
      );
      expect(results(run), logs(run)).toMatchObject({ service: 'failure', site: 'skipped', summary: 'success' });
      const called = run.jobs.service?.called as WorkflowRecord;
      expect(results(called)).toEqual({ deploy: 'success', approve: 'failure', abort: 'success' });
      expect(called.createdEnvironments).toEqual(['production-approval']);
      expect(reviewed).toEqual([]);
      const check = rollout(run).approve?.steps.find((s) => s.id === 'protected');
      expect(check?.log).toMatch(/::error::The GitHub Environment 'production-approval' has no required reviewers and no wait timer/);
      expect(rollout(run).approve?.steps.find((s) => s.id === 'resume')?.outcome).toBe('skipped');
      expect(run.outputs['service-final-status']).toBe('rolled-back');
      expect((await running('shop-prod')).service?.taskDefinition).toBe(before);
    }, 120_000);

    it('a run cancelled while its paused canary waits for review: approve does not continue, abort (always()) rolls back', async () => {
      const before = (await running('shop-prod')).service?.taskDefinition;
      const cancel = new AbortController();
      const inputs = { ...INPUTS, 'test-command': '', strategy: 'blue-green', 'pause-at': 'POST_TEST_TRAFFIC_SHIFT' };
      const run = await deploy(
        push('refs/heads/main', '6'.repeat(40)),
        inputs,
        (environment) => {
          if (environment === 'production-approval') cancel.abort();
          return true;
        },
        { signal: cancel.signal },
      );
      expect(results(run), logs(run)).toMatchObject({ service: 'cancelled', site: 'skipped', summary: 'success' });
      expect(results(run.jobs.service?.called as WorkflowRecord)).toEqual({ deploy: 'success', approve: 'cancelled', abort: 'success' });
      expect(run.outputs['service-final-status']).toBe('rolled-back');
      expect((await running('shop-prod')).service?.taskDefinition).toBe(before);
    }, 120_000);

    it('a cancel during the image build: nothing is deployed, the summary still runs', async () => {
      const before = await running('shop-dev');
      const cancel = new AbortController();
      const run = await deploy(push('refs/heads/develop', 'f'.repeat(40)), { ...INPUTS, 'test-command': '' }, undefined, {
        signal: cancel.signal,
        cancelGraceMs: 500,
        beforeStep: (job, step) => {
          if (job.id === 'image' && step.id === 'push') cancel.abort();
        },
      });
      expect(results(run), logs(run)).toEqual({
        resolve: 'success',
        test: 'skipped',
        image: 'cancelled',
        service: 'skipped',
        site: 'skipped',
        summary: 'success',
      });
      expect(run.jobs.image?.steps.find((s) => s.id === 'push')?.outcome).toBe('cancelled');
      expect((await running('shop-dev')).service?.taskDefinition).toBe(before.service?.taskDefinition);
    }, 120_000);

    it('a failed image build: no service deploy and no site publish', async () => {
      const run = await deploy(push('refs/heads/develop', '9'.repeat(40)), {
        ...INPUTS,
        'test-command': '',
        dockerfile: 'missing/Dockerfile',
      });
      expect(results(run), logs(run)).toMatchObject({ image: 'failure', service: 'skipped', site: 'skipped', summary: 'success' });
    }, 120_000);

    it('a pull request from a fork: one line in the job summary, nothing runs that needs AWS', async () => {
      const run = await deploy({
        eventName: 'pull_request',
        ref: 'refs/pull/99/merge',
        headRef: 'patch-1',
        baseRef: 'main',
        payload: {
          number: 99,
          pull_request: { number: 99, head: { ref: 'patch-1', sha: SHA, repo: { full_name: 'mallory/shop' } }, base: { ref: 'main' } },
        },
      });
      expect(results(run), logs(run)).toEqual({
        resolve: 'success',
        test: 'skipped',
        image: 'skipped',
        service: 'skipped',
        site: 'skipped',
        summary: 'success',
      });
      expect(run.outputs.deploy).toBe('false');
      const line = 'Not deployed: pull requests from forks (mallory/shop) get no OIDC token from GitHub';
      expect(run.summaries[1]?.trim().split('\n')).toEqual([expect.stringContaining(line)]);
      expect(run.summaries.at(-1)).toContain(`Nothing deployed: ${line}`);
    }, 60_000);
  });
});
