import { describe, expect, it } from 'vitest';
import { fakeSsm } from './fake-ecs.js';
import { parameterEnvName, secretsFromSsmPath } from './ssm-secrets.js';

describe('secrets from an SSM path', () => {
  it('names them as ssm-load does and points valueFrom at the parameter ARN', async () => {
    expect(parameterEnvName('/shop/prod/db/password', '/shop/prod')).toBe('DB_PASSWORD');
    expect(parameterEnvName('/shop/prod/stripe-key', '/shop/prod/')).toBe('STRIPE_KEY');
    const secrets = await secretsFromSsmPath(fakeSsm(['/shop/prod/db/password', '/shop/dev/x']), '/shop/prod', 'arn');
    expect(secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:ap-northeast-2:123456789012:parameter/shop/prod/db/password' },
    ]);
  });

  it('rejects an empty path and colliding names', async () => {
    await expect(secretsFromSsmPath(fakeSsm([]), '/shop/prod', 'arn')).rejects.toThrow(/no parameters under "\/shop\/prod"/);
    await expect(secretsFromSsmPath(fakeSsm(['/p/a/b', '/p/a-b']), '/p', 'arn')).rejects.toThrow(/both become secret A_B/);
  });
});
