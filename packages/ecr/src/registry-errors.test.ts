import { ConfigurationError } from '@baepo/action-kit';
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
});
