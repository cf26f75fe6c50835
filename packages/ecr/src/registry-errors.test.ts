import { ConfigurationError } from '@baepo/action-kit';
import { explainable } from '@baepo/aws';
import { RegistryError } from '@baepo/registry';
import { describe, expect, it } from 'vitest';
import { translateRegistryError } from './registry-errors.js';

const context = { host: 'r.example', repository: 'shop/api', arn: 'arn:aws:ecr:eu-west-1:123456789012:repository/shop/api' };

describe('translateRegistryError', () => {
  it('turns a denial into the IAM actions a push needs on the repository ARN', () => {
    const error = translateRegistryError(new RegistryError(403, 'Starting an upload to shop/api', 'DENIED', 'not authorized'), context);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(
      'ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage',
    );
    expect((error as Error).message).toContain(context.arn);
  });

  it('explains a rejected token and an unknown repository; leaves other errors alone', () => {
    expect((translateRegistryError(new RegistryError(401, 'x', 'UNAUTHORIZED', ''), context) as Error).message).toContain(
      "Check that 'registry-id'",
    );
    expect((translateRegistryError(new RegistryError(404, 'x', 'NAME_UNKNOWN', ''), context) as Error).message).toContain(
      'does not know the repository',
    );
    const other = new RegistryError(500, 'x', undefined, '');
    expect(translateRegistryError(other, context)).toBe(other);
  });

  it('a registry that cannot be reached: one error naming it, the fault and what to check; AWS API failures are left to @baepo/aws', () => {
    const silent = Object.assign(new Error('No data from r.example for 60 s (PUT /v2/shop/api/blobs/uploads/x)'), { code: 'ETIMEDOUT' });
    const explained = translateRegistryError(silent, context);
    expect(explained).toBeInstanceOf(ConfigurationError);
    expect((explained as Error).message).toMatch(
      /^Cannot reach the registry r\.example: no answer came in time \(ETIMEDOUT, after the retries\)\. Fix: check 'registry-endpoint'.*BAEPO_AWS_READ_TIMEOUT/,
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5000'), { code: 'ECONNREFUSED' });
    expect((translateRegistryError(refused, context) as Error).message).toMatch(
      /^Cannot reach the registry r\.example: the connection was refused/,
    );
    const fromEcr = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const ecr = explainable({ config: { serviceId: 'ECR' }, send: async (_command: unknown) => Promise.reject(fromEcr) }, 'eu-west-1');
    return ecr.send({}).catch((error: unknown) => expect(translateRegistryError(error, context)).toBe(fromEcr));
  });
});
