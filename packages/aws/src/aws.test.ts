import { describe, expect, it } from 'vitest';
import { clientConfig, resolveRegion } from './client-config.js';
import { describeAwsError, isAccessDenied, isAwsError } from './errors.js';

describe('resolveRegion', () => {
  it('prefers the input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveRegion('eu-west-1', { AWS_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(resolveRegion(undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-east-1');
    expect(resolveRegion(undefined, { AWS_DEFAULT_REGION: 'us-west-2' })).toBe('us-west-2');
    expect(resolveRegion(undefined, { AWS_REGION: 'us-gov-west-1' })).toBe('us-gov-west-1');
  });

  it('says how to set a missing region and rejects a malformed one', () => {
    expect(() => resolveRegion(undefined, {})).toThrow(/No AWS region: set the 'aws-region' input, or AWS_REGION/);
    expect(() => resolveRegion('seoul', {})).toThrow(/'seoul' is not an AWS region name/);
  });

  it('uses adaptive retries and the baepo user agent', () => {
    expect(clientConfig('ap-northeast-2')).toEqual({
      region: 'ap-northeast-2',
      retryMode: 'adaptive',
      maxAttempts: 8,
      customUserAgent: 'baepo/1',
    });
  });
});

describe('AWS errors', () => {
  const denied = Object.assign(new Error('User is not authorized to perform: ssm:GetParametersByPath'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400, requestId: 'req-1' },
  });

  it('recognises access denied by name or HTTP 403', () => {
    expect(isAccessDenied(denied)).toBe(true);
    expect(isAccessDenied(Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } }))).toBe(true);
    expect(isAccessDenied(new Error('boom'))).toBe(false);
    expect(isAwsError(denied, 'ThrottlingException', 'AccessDeniedException')).toBe(true);
  });

  it('describes an error with its status and request id', () => {
    expect(describeAwsError(denied)).toBe(
      'AccessDeniedException: User is not authorized to perform: ssm:GetParametersByPath (HTTP 400, request id req-1)',
    );
  });
});
