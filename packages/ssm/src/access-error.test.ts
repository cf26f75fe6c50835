import { ConfigurationError } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { parameterArn, translateReadError } from './access-error.js';

const awsError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const byPath = { action: 'ssm:GetParametersByPath' as const, subjects: ['/shop/production'], region: 'ap-northeast-2', decrypt: true };

describe('translateReadError', () => {
  it('turns AccessDenied into the action and ARNs to grant, with kms:Decrypt when decrypting', () => {
    const error = translateReadError(awsError('AccessDeniedException', 'not authorized', 400), byPath);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain(
      "Access denied reading the path '/shop/production': the credentials in use need ssm:GetParametersByPath on arn:aws:ssm:ap-northeast-2:<account-id>:parameter/shop/production, arn:aws:ssm:ap-northeast-2:<account-id>:parameter/shop/production/*.",
    );
    expect(error.message).toContain('kms:Decrypt');
    expect(translateReadError(awsError('AccessDeniedException', 'x', 400), { ...byPath, decrypt: false }).message).not.toContain(
      'kms:Decrypt',
    );
  });

  it('says a validation error is a configuration problem, and names the call on other failures', () => {
    expect(translateReadError(awsError('ValidationException', 'path too deep', 400), byPath)).toBeInstanceOf(ConfigurationError);
    const throttled = translateReadError(awsError('ThrottlingException', 'Rate exceeded', 400), byPath);
    expect(throttled).not.toBeInstanceOf(ConfigurationError);
    expect(throttled.message).toBe(
      "ssm:GetParametersByPath for the path '/shop/production' failed after the SDK's retries: ThrottlingException: Rate exceeded (HTTP 400)",
    );
    expect(translateReadError(awsError('Weird', 'no', 400), byPath).message).toBe(
      "ssm:GetParametersByPath for the path '/shop/production' failed: Weird: no (HTTP 400)",
    );
  });
});

describe('parameterArn', () => {
  it('uses the partition of the region and drops a selector', () => {
    expect(parameterArn('/a/b:3', 'cn-north-1', '123456789012')).toBe('arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a/b');
    expect(parameterArn('flat', 'us-gov-west-1')).toBe('arn:aws-us-gov:ssm:us-gov-west-1:<account-id>:parameter/flat');
  });
});
