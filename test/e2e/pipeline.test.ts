import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFrontClient, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/paths.js';
import type { GitHubContext } from '../harness/run-action.js';
import { runWorkflow } from '../pipeline/executor.js';
import { checkout, ECR_REPOSITORY, REGION, SECRETS, type Seeded, seed } from '../pipeline/seed.js';
import { type PipelineStack, startPipelineStack } from '../pipeline/stack.js';
import { DUMMY_CREDENTIALS } from '../pipeline/stand-ins.js';
import type { WorkflowRecord } from '../pipeline/types.js';

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
  approve?: (environment: string) => boolean,
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
  });
}

const results = (run: WorkflowRecord) => Object.fromEntries(Object.entries(run.jobs).map(([id, job]) => [id, job.result]));
/** Every step's log, with the name of the step, for failure messages. */
const logs = (run: WorkflowRecord) =>
  Object.values(run.jobs)
    .flatMap((job) => job.steps.map((step) => `--- ${job.id} / ${step.name} (${step.outcome})\n${step.log}`))
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
      approve: 'skipped',
      abort: 'skipped',
      site: 'success',
      summary: 'success',
    });
    const { resolve, image, service, site } = run.jobs as Record<string, NonNullable<WorkflowRecord['jobs'][string]>>;
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
    expect(service?.concurrency).toBe('baepo-service-octo-org/shop-dev-');

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
    expect(run.summaries.at(-1)).toContain('test=success image=success service=success approve=skipped abort=skipped site=success');
    expectNoSecretInLogs(run);
  }, 120_000);

  it('main push: production, the service and the site of production; no approval job without a pause', async () => {
    const run = await deploy({ eventName: 'push', ref: 'refs/heads/main' });
    expect(results(run), logs(run)).toMatchObject({
      resolve: 'success',
      test: 'success',
      image: 'success',
      service: 'success',
      approve: 'skipped',
      site: 'success',
    });
    expect(run.jobs.resolve?.outputs).toMatchObject({ environment: 'production', 'is-production': 'true' });
    expect(run.jobs.service?.environment).toEqual({ name: 'production', url: 'https://www.shop.example' });
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
      payload: { number: 42, pull_request: { number: 42, head: { ref: 'feature/cart', sha: SHA }, base: { ref: 'main' } } },
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
      approve: 'skipped',
      abort: 'skipped',
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
      approve: 'skipped',
      abort: 'skipped',
      site: 'skipped',
      summary: 'success',
    });
    expect(run.jobs.test?.steps.at(-1)?.exitCode).toBe(3);
  }, 60_000);

  describe.each([
    ['approved', true, { approve: 'success', abort: 'skipped', site: 'success' }],
    ['rejected', false, { approve: 'failure', abort: 'success', site: 'skipped' }],
  ] as const)('blue/green paused for approval, %s', (_, approved, expected) => {
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
      expect(results(run), logs(run)).toMatchObject({ service: 'success', ...expected });
      expect(run.outputs['service-status']).toBe('paused');
      expect(reviewed).toContain('production-approval');
      const arn = run.jobs.service?.outputs['service-deployment-arn'];
      expect(arn).toMatch(/^arn:aws:ecs:/);
      const resume = (approved ? run.jobs.approve : run.jobs.abort)?.steps.at(-1);
      expect(resume?.inputs).toMatchObject({ resume: arn, decision: approved ? 'continue' : 'rollback', cluster: 'shop-prod' });
      expect(resume?.outputs.status).toBe(approved ? 'succeeded' : 'rolled-back');
      const now = (await running('shop-prod')).service?.taskDefinition;
      if (approved) expect(now).toBe(run.outputs['task-definition-arn']);
      else expect(now).toBe(before);
    }, 120_000);
  });
});
