import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type EcsSimulator, startEcsSimulator } from '@baepo/ecs-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type RunResult, runAction } from '../harness/run-action.js';
import { type HangProxy, startHangProxy, startSlowProxy } from '../stack/hang-proxy.js';
import { awsEnv, type Moto, startMoto } from '../stack/index.js';
import { handMadeLayout } from './ecr-push/images.js';
import { createService, DIGEST, ecsClient, REGION, waitSteady } from './ecs-deploy/fixtures.js';
import { bucketState, directClient } from './s3-sync/bucket.js';
import { viteSite, writeSite } from './s3-sync/site.js';
import { newBucket } from './s3-sync/sync-env.js';

// "One unanswered request hangs the action forever" (issue 15, item 7): a proxy accepts each
// request, reads it in full and never answers. Every action must end within a bounded time with
// one clear error naming the service and its endpoint; a hang on the first attempts only must be
// retried through; a cancel must end the run promptly whatever a request is doing.
// Fast tests lower the silence limit with BAEPO_AWS_READ_TIMEOUT (documented in each README);
// one test per action family keeps the defaults.

/** A short silence limit so that each hung attempt costs one second. */
const FAST = { BAEPO_AWS_READ_TIMEOUT: '1s' };

let moto: Moto;
const proxies: HangProxy[] = [];
const dirs: string[] = [];

async function proxy(...args: Parameters<typeof startHangProxy>): Promise<HangProxy> {
  const started = await startHangProxy(...args);
  proxies.push(started);
  return started;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baepo-hang-'));
  dirs.push(dir);
  return dir;
}

/** The first attempt of every distinct request (method + path + target) hangs; the retry is answered. */
function firstAttemptOfEach(): (request: { method: string; path: string; target: string | undefined }) => boolean {
  const seen = new Set<string>();
  return ({ method, path, target }) => {
    const key = `${method} ${path} ${target ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

function expectOneClearError(result: RunResult, pattern: RegExp): void {
  expect(result.exitCode, explain(result)).toBe(1);
  expect(result.errors, explain(result)).toHaveLength(1);
  expect(result.errors[0]).toMatch(pattern);
  expect(result.stdout).not.toContain('unexpected error');
}

beforeAll(async () => {
  moto = await startMoto();
  const ssm = new SSMClient({
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  });
  await ssm.send(new PutParameterCommand({ Name: '/hang/app/db_password', Value: 'hang-secret-1', Type: 'SecureString' }));
  await ssm.send(new PutParameterCommand({ Name: '/hang/app/log_level', Value: 'debug', Type: 'String' }));
}, 120_000);

afterAll(async () => {
  for (const p of proxies) await p.stop();
  await moto?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('ssm-load never hangs', () => {
  const load = (endpoint: string, extra: Parameters<typeof runAction>[0] = { action: 'ssm-load' }) =>
    runAction({
      timeoutMs: 150_000,
      ...extra,
      action: 'ssm-load',
      inputs: { paths: '/hang/app', 'aws-region': REGION },
      env: { ...awsEnv({ ssm: endpoint }, REGION), ...extra.env },
    });

  it('with the default timeouts, an endpoint that never answers ends in one clear error naming SSM and its endpoint', async () => {
    const hanging = await proxy(moto.endpoint);
    const result = await load(hanging.endpoint);
    expectOneClearError(
      result,
      /^Cannot reach SSM at http:\/\/127\.0\.0\.1:\d+: no answer came in time \(3 attempts\)\. Fix: check AWS_ENDPOINT_URL_SSM .*BAEPO_AWS_READ_TIMEOUT.*TimeoutError/,
    );
    // Three attempts of 20 s of silence each, and the SDK's short back-off between them.
    expect(hanging.requests).toHaveLength(3);
    expect(result.durationMs).toBeGreaterThan(55_000);
    expect(result.durationMs).toBeLessThan(90_000);
  }, 160_000);

  it('the retry recovers when only the first attempts hang', async () => {
    const flaky = await proxy(moto.endpoint, ({ index }) => index < 2);
    const result = await load(flaky.endpoint, { action: 'ssm-load', env: FAST, secretsMayAppearIn: ['env'] });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.env.DB_PASSWORD).toBe('hang-secret-1');
    expect(result.visibleLog).not.toContain('hang-secret-1');
    expect(flaky.hanging()).toBe(2);
  }, 60_000);

  it('a cancel ends the run promptly while a request hangs', async () => {
    const hanging = await proxy(moto.endpoint);
    const result = await load(hanging.endpoint, { action: 'ssm-load', cancelAfterMs: 1500, timeoutMs: 30_000 });
    expectOneClearError(result, /cancelled/);
    expect(result.durationMs).toBeLessThan(5000);
  }, 40_000);
});

describe('s3-sync never hangs', () => {
  let s3: S3Client;
  beforeAll(() => {
    s3 = directClient(moto.endpoint);
  });

  const sync = (endpoint: string, inputs: Record<string, string>, extra: Partial<Parameters<typeof runAction>[0]> = {}) =>
    runAction({
      timeoutMs: 150_000,
      ...extra,
      action: 's3-sync',
      inputs: { 'aws-region': REGION, ...inputs },
      env: { ...awsEnv({ s3: endpoint }, REGION), ...extra.env },
    });

  it('an S3 endpoint that never answers ends in one clear error naming S3 and its endpoint', async () => {
    const source = join(tempDir(), 'site');
    writeSite(source, viteSite());
    const bucket = await newBucket(s3);
    const hanging = await proxy(moto.endpoint);
    const result = await sync(hanging.endpoint, { source, bucket }, { env: FAST });
    expectOneClearError(
      result,
      /^Cannot reach S3 at http:\/\/127\.0\.0\.1:\d+: no answer came in time \(3 attempts\)\. Fix: check AWS_ENDPOINT_URL_S3/,
    );
    expect(result.durationMs).toBeLessThan(20_000);
  }, 60_000);

  it('the first attempt of every request hangs (listing, SDK and direct PUTs, multipart parts, completion): the retries publish everything', async () => {
    const source = join(tempDir(), 'site');
    const site: Record<string, string | Buffer> = { ...viteSite(), 'video/intro.mp4': Buffer.alloc(6 * 1024 * 1024 + 17, 7) };
    writeSite(source, site);
    const bucket = await newBucket(s3);
    const flaky = await proxy(moto.endpoint, firstAttemptOfEach());
    const result = await sync(flaky.endpoint, { source, bucket, 'multipart-threshold': '5MiB', 'part-size': '5MiB' }, { env: FAST });
    expect(result.exitCode, explain(result)).toBe(0);
    const stored = await bucketState(s3, bucket);
    expect([...stored.keys()].filter((key) => key !== '.baepo-sync-manifest.json').sort()).toEqual(Object.keys(site).sort());
    expect(stored.get('video/intro.mp4')?.size).toBe(6 * 1024 * 1024 + 17);
    // Every kind of request was hung once: the listing, PUTs (SDK and direct), parts, the completion.
    const hung = flaky.requests.filter((r) => r.hung);
    expect(hung.some((r) => r.method === 'GET')).toBe(true);
    expect(hung.filter((r) => r.method === 'PUT' && !r.path.includes('uploadId')).length).toBeGreaterThan(3);
    expect(hung.some((r) => r.method === 'PUT' && r.path.includes('partNumber=2'))).toBe(true);
    expect(hung.some((r) => r.method === 'POST' && r.path.includes('uploadId'))).toBe(true);
  }, 120_000);

  it('a slow but alive upload is not cut off: the read timeout is on silence, not on the total', async () => {
    const source = join(tempDir(), 'site');
    const site = { 'index.html': '<h1>slow</h1>', 'video/big.mp4': Buffer.alloc(6 * 1024 * 1024, 3) };
    writeSite(source, site);
    const bucket = await newBucket(s3);
    // 2 MiB/s: the upload takes about 3 s, three times the 1 s read timeout, and it is never silent for the
    // uploads' 3 s (3 x 1 s: the kernel's send buffer drains after the last write).
    const slow = await startSlowProxy(moto.endpoint, 2 * 1024 * 1024);
    try {
      const result = await sync(
        slow.endpoint,
        { source, bucket, 'multipart-threshold': '5MiB', 'part-size': '5MiB', concurrency: '1' },
        { env: FAST },
      );
      expect(result.exitCode, explain(result)).toBe(0);
      expect(result.stdout).not.toMatch(/Retrying/);
      expect(result.durationMs).toBeGreaterThan(2500);
      expect((await bucketState(s3, bucket)).get('video/big.mp4')?.size).toBe(6 * 1024 * 1024);
    } finally {
      await slow.stop();
    }
  }, 90_000);

  it('a cancel ends the run promptly while a request hangs', async () => {
    const source = join(tempDir(), 'site');
    writeSite(source, viteSite());
    const bucket = await newBucket(s3);
    const hanging = await proxy(moto.endpoint);
    const result = await sync(hanging.endpoint, { source, bucket }, { cancelAfterMs: 1500, timeoutMs: 30_000 });
    expectOneClearError(result, /cancelled/);
    expect(result.durationMs).toBeLessThan(5000);
  }, 40_000);
});

describe('ecs-deploy never hangs', () => {
  let sim: EcsSimulator;
  let ecs: ECSClient;
  const image = `123456789012.dkr.ecr.${REGION}.amazonaws.com/api@${DIGEST}`;

  beforeAll(async () => {
    sim = await startEcsSimulator({ tickMs: 20 });
    ecs = ecsClient(sim.endpoint);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  async function service(name: string): Promise<void> {
    await createService(ecs, { cluster: 'shop', service: name, family: name });
    await waitSteady(ecs, 'shop', name);
  }

  const deploy = (endpoint: string, inputs: Record<string, string>, extra: Partial<Parameters<typeof runAction>[0]> = {}) =>
    runAction({
      timeoutMs: 120_000,
      ...extra,
      action: 'ecs-deploy',
      inputs: { cluster: 'shop', 'poll-interval': '100ms', image, ...inputs },
      env: { ...awsEnv({ ecs: endpoint }, REGION), ...extra.env },
    });

  /** DescribeServices hangs once UpdateService went through: the hang starts while the rollout is watched. */
  function hangWatch(): (request: { target: string | undefined }) => boolean {
    let updated = false;
    return ({ target }) => {
      if (target?.endsWith('.UpdateService')) updated = true;
      return updated && target?.endsWith('.DescribeServices') === true;
    };
  }

  it('an ECS endpoint that never answers ends in one clear error naming ECS and its endpoint', async () => {
    await service('api');
    const hanging = await proxy(sim.endpoint);
    const result = await deploy(hanging.endpoint, { service: 'api' }, { env: FAST });
    expectOneClearError(
      result,
      /^Cannot reach ECS at http:\/\/127\.0\.0\.1:\d+: no answer came in time \(3 attempts\)\. Fix: check AWS_ENDPOINT_URL_ECS/,
    );
    expect(result.durationMs).toBeLessThan(20_000);
  }, 60_000);

  it("'timeout' fires at about the timeout while a DescribeServices hangs (default read timeout)", async () => {
    await service('web');
    const hanging = await proxy(sim.endpoint, hangWatch());
    const started = Date.now();
    const result = await deploy(hanging.endpoint, { service: 'web', timeout: '3s', rollback: 'none' });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.errors.join('\n')).toMatch(/timeout/);
    expect(hanging.hanging()).toBeGreaterThan(0);
    // 3 s of timeout, not 3 x 20 s of silence.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);

  it("'timeout' fires at about the timeout when the very first request hangs (before any deployment)", async () => {
    await service('jobs');
    const hanging = await proxy(sim.endpoint);
    const result = await deploy(hanging.endpoint, { service: 'jobs', timeout: '3s' });
    expectOneClearError(
      result,
      /^The 'timeout' \(3s\) passed while ECS \w+ waited for an answer from http:\/\/127\.0\.0\.1:\d+: the run stopped there\. Check the network path to ECS \(AWS_ENDPOINT_URL_ECS\)/,
    );
    expect(result.durationMs).toBeLessThan(8000);
  }, 60_000);

  it('a cancel ends the run promptly while the very first request hangs', async () => {
    await service('cron');
    const hanging = await proxy(sim.endpoint);
    const result = await deploy(hanging.endpoint, { service: 'cron' }, { cancelAfterMs: 1500, timeoutMs: 30_000 });
    expectOneClearError(result, /cancelled/);
    expect(hanging.hanging()).toBeGreaterThan(0);
    expect(result.durationMs).toBeLessThan(5000);
  }, 40_000);

  it('a cancel ends the run promptly while a DescribeServices hangs', async () => {
    await service('worker');
    const hanging = await proxy(sim.endpoint, hangWatch());
    const result = await deploy(
      hanging.endpoint,
      { service: 'worker', 'on-cancel': 'leave' },
      {
        onStdout: (chunk, control) => {
          if (hanging.hanging() > 0 || /UpdateService|deployment ecs-svc/.test(chunk)) setTimeout(control.cancel, 500);
        },
        timeoutMs: 30_000,
      },
    );
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.errors.join('\n')).toMatch(/cancelled/);
    expect(hanging.hanging()).toBeGreaterThan(0);
    // The runner kills a cancelled step about 10 s after SIGINT: the run must be over well before.
    expect(result.durationMs).toBeLessThan(15_000);
  }, 40_000);
});

describe('ecr-push never hangs', () => {
  it('an ECR endpoint that never answers ends in one clear error naming ECR and its endpoint', async () => {
    const layout = join(tempDir(), 'layout');
    handMadeLayout(layout, [100], 'v1');
    const hanging = await proxy(moto.endpoint);
    const result = await runAction({
      action: 'ecr-push',
      inputs: { repository: 'shop/api', tags: 'v1', 'oci-layout': layout, 'registry-endpoint': 'http://127.0.0.1:9' },
      env: { ...awsEnv({ ecr: hanging.endpoint }, REGION), ...FAST },
      timeoutMs: 60_000,
    });
    expectOneClearError(
      result,
      /^Cannot reach ECR at http:\/\/127\.0\.0\.1:\d+: no answer came in time \(3 attempts\)\. Fix: check AWS_ENDPOINT_URL_ECR/,
    );
    expect(result.durationMs).toBeLessThan(20_000);
  }, 60_000);

  it('a registry that never answers ends in one clear error naming the registry (its own HTTP code has timeouts too)', async () => {
    const layout = join(tempDir(), 'layout');
    handMadeLayout(layout, [100], 'v1');
    const registry = await proxy(undefined);
    const result = await runAction({
      action: 'ecr-push',
      inputs: {
        repository: 'shop/hang',
        tags: 'v1',
        'oci-layout': layout,
        'registry-endpoint': registry.endpoint,
        login: 'false',
        'create-repository': 'true',
      },
      env: { ...awsEnv({ ecr: moto.endpoint }, REGION), ...FAST },
      timeoutMs: 120_000,
    });
    const host = new URL(registry.endpoint).host;
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.errors, explain(result)).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^Cannot reach the registry ${host.replace(/\./g, '\\.')}: no answer came in time \\(ETIMEDOUT, after the retries\\)\\. Fix: check 'registry-endpoint'`,
      ),
    );
    expect(result.errors[0]).toMatch(/No data from .* for 1 s/);
    expect(result.stdout).not.toContain('unexpected error');
    expect(registry.hanging()).toBeGreaterThan(1);
    expect(result.durationMs).toBeLessThan(60_000);
  }, 130_000);
});
