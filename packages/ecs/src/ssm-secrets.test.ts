import { describe, expect, it } from 'vitest';
import { fakeSsm } from './fake-ecs.js';
import { parameterEnvName, secretsFromSsmPath, secretsFromSsmPaths } from './ssm-secrets.js';

describe('secrets from an SSM path', () => {
  it('names them as ssm-load does and points valueFrom at the parameter ARN', async () => {
    expect(parameterEnvName('/shop/prod/db/password', '/shop/prod')).toBe('DB_PASSWORD');
    expect(parameterEnvName('/shop/prod/stripe-key', '/shop/prod/')).toBe('STRIPE_KEY');
    const secrets = await secretsFromSsmPath(fakeSsm(['/shop/prod/db/password', '/shop/dev/x']), '/shop/prod', 'arn');
    expect(secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:ap-northeast-2:123456789012:parameter/shop/prod/db/password' },
    ]);
  });

  it('layers several paths: later ones override, an empty one is reported, all empty is an error', async () => {
    const ssm = fakeSsm(['/shop/common/db/password', '/shop/common/api-url', '/shop/prod/db/password']);
    const events: string[] = [];
    const report = {
      onEmpty: (p: string) => events.push(`empty ${p}`),
      onOverride: (n: string, f: string, t: string) => events.push(`${n} ${f}->${t}`),
    };
    const secrets = await secretsFromSsmPaths(ssm, ['/shop/common', '/shop/prod', '/shop/none'], () => 'arn', report);
    expect(secrets.map((s) => [s.name, s.valueFrom.split(':parameter')[1]])).toEqual([
      ['API_URL', '/shop/common/api-url'],
      ['DB_PASSWORD', '/shop/prod/db/password'],
    ]);
    expect(events).toEqual(['DB_PASSWORD /shop/common->/shop/prod', 'empty /shop/none']);
    await expect(secretsFromSsmPaths(fakeSsm([]), ['/shop/prod'], () => 'arn', report)).rejects.toThrow(
      /no parameters under "\/shop\/prod"/,
    );
    await expect(secretsFromSsmPaths(fakeSsm([]), ['/a', '/b'], () => 'arn', report)).rejects.toThrow(
      /no parameters under any of "\/a", "\/b"/,
    );
  });

  it('rejects colliding names within one path', async () => {
    await expect(secretsFromSsmPath(fakeSsm(['/p/a/b', '/p/a-b']), '/p', 'arn')).rejects.toThrow(/both become secret A_B/);
  });
});
