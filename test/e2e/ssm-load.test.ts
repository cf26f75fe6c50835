import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type RunResult, runAction } from '../harness/run-action.js';
import { awsEnv, type Moto, startMoto } from '../stack/index.js';
import { buildDataset, MULTI_LINE_SECRET } from './ssm-load/dataset.js';
import { seedClient, seedParameters } from './ssm-load/seed.js';
import { INTERNAL_ERROR, type SsmProxy, startSsmProxy, THROTTLING, UNAVAILABLE } from './ssm-load/ssm-proxy.js';

const data = buildDataset();
let moto: Moto;
let proxy: SsmProxy;
const workspaces: string[] = [];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baepo-ssm-ws-'));
  workspaces.push(dir);
  return dir;
}

function load(inputs: Record<string, string | undefined>, dir?: string): Promise<RunResult> {
  return runAction({
    action: 'ssm-load',
    inputs,
    env: awsEnv({ ssm: proxy.endpoint }),
    ...(dir ? { workspace: dir } : {}),
    // The harness scan: the seeded secrets only where this action puts them on purpose.
    secrets: data.secrets,
    secretsMayAppearIn: inputs['set-outputs'] === 'true' ? ['env', 'output'] : ['env'],
    writes: [inputs['dotenv-file'], inputs['json-file']].filter((path): path is string => !!path),
  });
}

/** Every secret, and every non-blank line of a multi-line secret, must be absent from what the log shows. */
function expectNoSecretVisible(result: RunResult, secrets: readonly string[], { loaded = true } = {}): void {
  for (const secret of secrets) {
    const pieces = secret.includes('\n') ? [secret, ...secret.split('\n').map((l) => l.trim())].filter((p) => p !== '') : [secret];
    for (const piece of pieces) {
      expect(result.visibleLog.includes(piece), `secret piece visible in the log: ${piece.slice(0, 40)}`).toBe(false);
      // A loaded secret is registered with the runner (::add-mask::) before any log line.
      if (loaded) expect(result.masks, `secret piece not masked: ${piece.slice(0, 40)}`).toContain(piece);
    }
  }
}

const mainInputs = {
  paths: data.paths.join('\n'),
  names: data.names.join('\n'),
  required: 'DB_PASSWORD\nTLS_KEY\nSENTRY_DSN',
  'dotenv-file': 'config/.env.ssm',
  'json-file': 'config/params.json',
};
const pages = (n: number) => Math.ceil(n / 10);
const minimumByPath = pages(data.counts.common) + pages(data.counts.production);
const minimumByNames = pages(data.counts.names);

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startSsmProxy(moto.endpoint);
  await seedParameters(seedClient(moto.endpoint), data.parameters);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

describe('ssm-load against moto with 1,000+ parameters', () => {
  let result: RunResult;
  let dir: string;

  beforeAll(async () => {
    proxy.reset();
    dir = workspace();
    result = await load(mainInputs, dir);
  }, 120_000);

  it('exports exactly the merged variables, multi-line, unicode, 4 KB and 8 KB values intact', () => {
    expect(result.exitCode, explain(result)).toBe(0);
    expect(Object.keys(data.expected).length).toBeGreaterThan(1000);
    expect(result.env).toEqual(data.expected);
    expect(result.env.TLS_KEY).toBe(MULTI_LINE_SECRET);
    expect(result.env.BLOB_EIGHT_KB).toHaveLength(8192);
  });

  it('makes the minimum number of API calls: every page of 10, GetParameters in batches of 10', () => {
    expect(proxy.forwarded('GetParametersByPath')).toHaveLength(minimumByPath);
    expect(proxy.forwarded('GetParameters')).toHaveLength(minimumByNames);
    expect(proxy.calls).toHaveLength(minimumByPath + minimumByNames);
    for (const call of proxy.forwarded('GetParametersByPath')) {
      expect(call.body).toMatchObject({ MaxResults: 10, Recursive: true, WithDecryption: true });
    }
    for (const call of proxy.forwarded('GetParameters')) expect((call.body.Names as string[]).length).toBeLessThanOrEqual(10);
  });

  it('never shows a secret value or any line of a multi-line secret, and registers every mask before the first log line', () => {
    expectNoSecretVisible(result, data.secrets);
    const lines = result.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('::debug::'));
    const firstLog = lines.findIndex((l) => !l.startsWith('::add-mask::'));
    expect(firstLog).toBeGreaterThan(0);
    expect(lines.slice(firstLog).some((l) => l.startsWith('::add-mask::'))).toBe(false);
  });

  it('logs each override by name, and outputs names, count and parameters without values', () => {
    for (const name of data.overridden) expect(result.stdout).toMatch(new RegExp(`^${name}: .* overrides `, 'm'));
    expect(Number(result.outputs.count)).toBe(Object.keys(data.expected).length);
    expect(JSON.parse(result.outputs.names ?? '')).toEqual(Object.keys(data.expected).sort());
    const parameters = JSON.parse(result.outputs.parameters ?? '') as Record<string, { parameter: string; type: string; version: number }>;
    expect(parameters.DB_PASSWORD).toEqual({ parameter: '/shop/shared/db-password-rotated', type: 'SecureString', version: 1 });
    expect(parameters.LIST_REGIONS).toEqual({ parameter: '/shop/production/list/regions', type: 'StringList', version: 1 });
    expect(result.outputs.parameters).not.toContain('prod-db-password');
    expect(result.summary).toContain('| `TLS_KEY` | `/shop/production/tls/key` | SecureString | 1 | /shop/production | yes |');
  });

  it('writes a 0600 dotenv file the dotenv parser reads back, and a 0600 JSON file', () => {
    const dotenvPath = join(dir, 'config/.env.ssm');
    const jsonPath = join(dir, 'config/params.json');
    expect(statSync(dotenvPath).mode & 0o777).toBe(0o600);
    expect(statSync(jsonPath).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(jsonPath, 'utf8'))).toEqual(data.expected);
    const parsed = parseDotenv(readFileSync(dotenvPath, 'utf8'));
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(data.expected).sort());
    // The dotenv parser decodes \n and \r only; values without \, " or $ come back exactly.
    for (const [name, value] of Object.entries(data.expected)) {
      if (!/[\\"$]/.test(value)) expect(parsed[name], name).toBe(value);
    }
  });
});

describe('ssm-load under throttling and 5xx', () => {
  it('retries (SDK adaptive mode) and exports the same result', async () => {
    proxy.reset();
    // Throttling last: after one, the SDK's adaptive mode slows every later request of the run.
    const faulted = new Set([1, 4, 95]);
    const kinds = [INTERNAL_ERROR, UNAVAILABLE, THROTTLING];
    let n = 0;
    proxy.setFaults(({ index }) => (faulted.has(index) ? kinds[n++ % kinds.length] : undefined));
    const result = await load({ paths: data.paths.join('\n'), names: data.names.join('\n') });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.env).toEqual(data.expected);
    expect(proxy.calls.filter((c) => c.fault).map((c) => c.fault?.type)).toEqual([
      'InternalServerError',
      'ServiceUnavailable',
      'ThrottlingException',
    ]);
    expect(proxy.forwarded('GetParametersByPath')).toHaveLength(minimumByPath);
    expect(proxy.forwarded('GetParameters')).toHaveLength(minimumByNames);
    expectNoSecretVisible(result, data.secrets);
  });

  it('names the call on a permanent failure, and exports nothing', async () => {
    proxy.reset();
    const permanent = { status: 400, type: 'ParameterLimitExceeded', message: 'not retryable' };
    proxy.setFaults(({ operation, body }) =>
      operation === 'GetParametersByPath' && body.Path === '/shop/production' ? permanent : undefined,
    );
    const result = await load({ paths: data.paths.join('\n') });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(
      /ssm:GetParametersByPath for the path '\/shop\/production' failed: ParameterLimitExceeded: not retryable/,
    );
    expect(result.env).toEqual({});
    expect(result.outputs).toEqual({});
  });
});

describe('ssm-load errors', () => {
  it('translates AccessDenied into the IAM action and ARN to grant, and exports nothing', async () => {
    proxy.reset();
    proxy.setFaults(({ operation, body }) =>
      operation === 'GetParametersByPath' && body.Path === '/shop/production'
        ? {
            status: 400,
            type: 'AccessDeniedException',
            message:
              'User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ssm:GetParametersByPath on resource: arn:aws:ssm:ap-northeast-2:123456789012:parameter/shop/production because no identity-based policy allows the ssm:GetParametersByPath action',
          }
        : undefined,
    );
    const dir = workspace();
    const result = await load({ ...mainInputs }, dir);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain("Access denied reading the path '/shop/production'");
    expect(result.errors[0]).toContain(
      "'arn:aws:sts::123456789012:assumed-role/deploy/gh' need ssm:GetParametersByPath on arn:aws:ssm:ap-northeast-2:123456789012:parameter/shop/production",
    );
    expect(result.errors[0]).toContain('kms:Decrypt');
    expect(result.env).toEqual({});
    expect(result.outputs).toEqual({});
    expect(() => statSync(join(dir, 'config/.env.ssm'))).toThrow();
    expectNoSecretVisible(result, data.secrets, { loaded: false });
  });

  it('lists every missing name at once', async () => {
    proxy.reset();
    const result = await load({ names: '/shop/shared/n1\nX=/shop/shared/nope-1\n/shop/shared/nope-2' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'These 2 parameters do not exist (or are not visible in region ap-northeast-2): "/shop/shared/nope-1", "/shop/shared/nope-2". Fix the \'names\' input or create the parameter(s).',
    ]);
    expect(result.env).toEqual({});
  });

  it('fails on missing required names with the paths searched, and warns about an empty path', async () => {
    proxy.reset();
    const result = await load({ paths: '/shop/common\n/shop/nothing-here', required: 'DB_HOST\nNOPE_ONE\nNOPE_TWO' });
    expect(result.exitCode).toBe(1);
    expect(result.warnings.join('\n')).toContain('No parameters under "/shop/nothing-here"');
    expect(result.errors).toEqual([
      'Required variables "NOPE_ONE", "NOPE_TWO" were not loaded (searched "/shop/common", "/shop/nothing-here", recursively). Create the parameter(s), fix \'paths\'/\'names\', or remove the name from \'required\'.',
    ]);
    expect(result.env).toEqual({});
  });

  it('rejects bad input before any call to AWS, all problems at once', async () => {
    proxy.reset();
    const result = await load({ paths: 'shop/common\n/shop/bad path', names: '1BAD=/x', 'name-transform': 'camel' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain("Input 'name-transform' must be one of 'upper-snake', 'lower-snake', 'as-is'; got \"camel\"");
    expect(proxy.calls).toHaveLength(0);
    const second = await load({ paths: 'shop/common\n/shop/bad path', names: '1BAD=/x' });
    expect(second.errors[0]).toContain('invalid path "shop/common"');
    expect(second.errors[0]).toContain('invalid path "/shop/bad path"');
    expect(second.errors[0]).toContain('"1BAD" in "1BAD=/x" is not a valid variable name');
    expect(proxy.calls).toHaveLength(0);
  });
});

describe('ssm-load cancelled', () => {
  it('stops on SIGINT while paging and exports nothing', async () => {
    proxy.reset();
    proxy.setDelay(300);
    const result = await runAction({
      action: 'ssm-load',
      inputs: { paths: data.paths.join('\n') },
      env: awsEnv({ ssm: proxy.endpoint }),
      cancelAfterMs: 1500,
      secrets: data.secrets,
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toContain('The job was cancelled (SIGINT).');
    expect(result.env).toEqual({});
    expect(result.outputs).toEqual({});
    expect(proxy.calls.length).toBeLessThan(minimumByPath);
  });
});

describe('ssm-load options', () => {
  const dbJson = JSON.stringify({ host: 'json-db.internal', auth: { user: 'json-user', password: 'json-db-password-Qw8' }, port: 6543 });
  const cert = 'cert-line-one-AAAA\ncert-line-two-BBBB';

  beforeAll(async () => {
    await seedParameters(seedClient(moto.endpoint), [
      { name: '/opts/app/db', value: dbJson, type: 'SecureString' },
      { name: '/opts/app/cert', value: cert, type: 'SecureString' },
      { name: '/opts/app/zones', value: 'a,b,c', type: 'StringList' },
      { name: '/opts/app/plain-text', value: 'plain-visible-only-with-mask-secure', type: 'String' },
      { name: '/clash/db-host', value: 'one', type: 'String' },
      { name: '/clash/db/host', value: 'two', type: 'String' },
    ]);
  });

  it('expands JSON secrets (flattened values masked), StringList as JSON, mask: all, set-outputs, lower-snake with prefix', async () => {
    proxy.reset();
    const result = await load({
      paths: '/opts/app',
      'expand-json': 'true',
      'string-list': 'json',
      mask: 'all',
      'set-outputs': 'true',
      'name-transform': 'lower-snake',
      prefix: 'app_',
    });
    expect(result.exitCode, explain(result)).toBe(0);
    const expected = {
      app_db_host: 'json-db.internal',
      app_db_auth_user: 'json-user',
      app_db_auth_password: 'json-db-password-Qw8',
      app_db_port: '6543',
      app_cert: cert,
      app_zones: '["a","b","c"]',
      app_plain_text: 'plain-visible-only-with-mask-secure',
    };
    expect(result.env).toEqual(expected);
    expect(result.outputs).toMatchObject(expected);
    expect(JSON.parse(result.outputs.parameters ?? '').app_db_auth_password).toEqual({
      parameter: '/opts/app/db',
      type: 'SecureString',
      version: 1,
    });
    expectNoSecretVisible(result, [dbJson, cert, ...Object.values(expected)]);
  });

  it('refuses two parameters of one path that become the same name, naming both, and exports nothing', async () => {
    proxy.reset();
    const result = await load({ paths: '/clash' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      '"/clash/db-host" and "/clash/db/host" from path "/clash" both become the variable "DB_HOST"; rename one of the parameters, or load one of them with \'names\' and an explicit \'ENV_NAME=\'.',
    ]);
    expect(result.env).toEqual({});
    expect(result.outputs).toEqual({});
  });
});
