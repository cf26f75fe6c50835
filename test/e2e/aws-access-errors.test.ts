import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type RunResult, runAction } from '../harness/run-action.js';
import { closedPort } from '../stack/hang-proxy.js';
import { awsEnv } from '../stack/index.js';
import { handMadeLayout } from './ecr-push/images.js';
import { viteSite, writeSite } from './s3-sync/site.js';

// Issue 15, item 10: no credentials and an unreachable endpoint each end every action with ONE
// message saying what to change, never "unexpected error". Nothing needs to listen: with no
// credentials no request is sent, and the endpoint of the other tests is a closed port.
const REGION = 'ap-northeast-2';
let work: string;
let port: number;
let noCredentials: Record<string, string>;

/** Each action with inputs that reach its first AWS call, and the services (SDK ids) that call goes to. */
const actions: { action: string; service: string; inputs: () => Record<string, string> }[] = [
  { action: 'ssm-load', service: 'SSM', inputs: () => ({ paths: '/shop/common' }) },
  { action: 's3-sync', service: 'S3', inputs: () => ({ source: join(work, 'site'), bucket: 'www-shop' }) },
  {
    action: 'ecs-deploy',
    service: 'ECS',
    inputs: () => ({ cluster: 'shop', service: 'api', image: `123456789012.dkr.ecr.${REGION}.amazonaws.com/api:v1` }),
  },
  {
    action: 'ecr-push',
    service: 'ECR',
    inputs: () => ({ repository: 'shop/api', tags: 'v1', 'oci-layout': join(work, 'layout'), 'registry-endpoint': 'http://127.0.0.1:9' }),
  },
];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'baepo-access-'));
  writeSite(join(work, 'site'), viteSite());
  handMadeLayout(join(work, 'layout'), [100], 'v1');
  writeFileSync(join(work, 'credentials'), '');
  writeFileSync(join(work, 'config'), '');
  port = await closedPort();
  noCredentials = {
    AWS_REGION: REGION,
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'credentials'),
    AWS_CONFIG_FILE: join(work, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function expectOneClearError(result: RunResult, pattern: RegExp): void {
  expect(result.exitCode, explain(result)).toBe(1);
  expect(result.errors, explain(result)).toHaveLength(1);
  expect(result.errors[0]).toMatch(pattern);
  expect(result.stdout).not.toContain('unexpected error');
}

describe.each(actions)('$action', ({ action, service, inputs }) => {
  const variable = `AWS_ENDPOINT_URL_${service}`;

  it('no credentials: one error saying to add configure-aws-credentials', async () => {
    const result = await runAction({
      action,
      inputs: inputs(),
      env: { ...noCredentials, [variable]: `http://127.0.0.1:${port}` },
      timeoutMs: 60_000,
    });
    expectOneClearError(
      result,
      /^No AWS credentials: add aws-actions\/configure-aws-credentials before this step \(or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
  }, 70_000);

  it('an endpoint where nothing listens: one error naming the service, the endpoint, the variable and ECONNREFUSED', async () => {
    const endpoint = `http://127.0.0.1:${port}`;
    const result = await runAction({
      action,
      inputs: inputs(),
      env: awsEnv({ [service.toLowerCase()]: endpoint }, REGION),
      timeoutMs: 60_000,
    });
    expectOneClearError(
      result,
      new RegExp(
        `^Cannot reach ${service} at http://127\\.0\\.0\\.1:${port}: the connection was refused \\(nothing listens there\\) \\(3 attempts\\)\\. Fix: check ${variable} .*ECONNREFUSED`,
      ),
    );
    expect(result.durationMs).toBeLessThan(15_000);
  }, 70_000);

  it('a host name that does not resolve: one error naming it and the DNS failure', async () => {
    const endpoint = 'http://no-such-host.invalid:4566';
    const result = await runAction({
      action,
      inputs: inputs(),
      env: awsEnv({ [service.toLowerCase()]: endpoint }, REGION),
      timeoutMs: 60_000,
    });
    expectOneClearError(
      result,
      new RegExp(
        `^Cannot reach ${service} at http://no-such-host\\.invalid:4566: the host name does not resolve \\(DNS\\).* Fix: check ${variable} .*ENOTFOUND`,
      ),
    );
  }, 70_000);
});
