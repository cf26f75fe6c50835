import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ConfigurationError } from '@baepo/action-kit';
import type { RetryErrorInfo } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { BoundedNetworkRetries, clientConfig, NETWORK_ATTEMPTS, networkTimeouts, resolveRegion } from './client-config.js';
import { describeAwsError, explainAwsFailure, explainable, isAccessDenied, isAwsError, serviceEndpoint } from './errors.js';

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

  it('uses adaptive retries, connect and read timeouts and the baepo user agent', () => {
    const config = clientConfig('ap-northeast-2', { env: {} });
    expect(config).toMatchObject({
      region: 'ap-northeast-2',
      maxAttempts: 8,
      customUserAgent: 'baepo/1',
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 20_000 },
    });
    expect(config.retryStrategy).toBeInstanceOf(BoundedNetworkRetries);
    expect((config.retryStrategy as BoundedNetworkRetries).mode).toBe('adaptive');
    expect((clientConfig('ap-northeast-2', { retryMode: 'standard', env: {} }).retryStrategy as BoundedNetworkRetries).mode).toBe(
      'standard',
    );
  });

  it('takes the timeouts from BAEPO_AWS_CONNECT_TIMEOUT / BAEPO_AWS_READ_TIMEOUT, and names a bad one', () => {
    expect(networkTimeouts({ BAEPO_AWS_CONNECT_TIMEOUT: '3s', BAEPO_AWS_READ_TIMEOUT: '2m' })).toEqual({
      connectMs: 3000,
      readMs: 120_000,
    });
    expect(networkTimeouts({ BAEPO_AWS_READ_TIMEOUT: '' })).toEqual({ connectMs: 10_000, readMs: 20_000 });
    expect(() => networkTimeouts({ BAEPO_AWS_READ_TIMEOUT: '20' })).toThrow(
      /Environment variable BAEPO_AWS_READ_TIMEOUT must be a duration between 100ms and 1h .*got "20"/,
    );
    expect(() => networkTimeouts({ BAEPO_AWS_CONNECT_TIMEOUT: '0s' })).toThrow(ConfigurationError);
    const agents = { httpAgent: new HttpAgent(), httpsAgent: new HttpsAgent() };
    expect(clientConfig('us-east-1', { agents, env: {} }).requestHandler).toEqual({
      connectionTimeout: 10_000,
      socketTimeout: 20_000,
      ...agents,
    });
    expect(clientConfig('us-east-1', { readTimeoutMs: 60_000, env: {} }).requestHandler.socketTimeout).toBe(60_000);
  });
});

describe('BoundedNetworkRetries', () => {
  const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
  const info = (errorType: RetryErrorInfo['errorType'], error: Error = timeout): RetryErrorInfo => ({ errorType, error: error as never });

  it(`retries a call without an answer ${NETWORK_ATTEMPTS} attempts in all, then gives up with the error itself`, async () => {
    const strategy = clientConfig('us-east-1', { env: {} }).retryStrategy;
    let token = await strategy.acquireInitialRetryToken('');
    token = await strategy.refreshRetryTokenForRetry(token, info('TRANSIENT'));
    token = await strategy.refreshRetryTokenForRetry(token, info('TRANSIENT'));
    expect(token.getRetryCount()).toBe(2);
    await expect(strategy.refreshRetryTokenForRetry(token, info('TRANSIENT'))).rejects.toBe(timeout);
  });

  it('keeps the full budget for throttling, and refuses client errors as the SDK does', async () => {
    const strategy = clientConfig('us-east-1', { retryMode: 'standard', maxAttempts: 3, env: {} }).retryStrategy;
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    let token = await strategy.acquireInitialRetryToken('');
    for (let i = 0; i < 2; i++) token = await strategy.refreshRetryTokenForRetry(token, info('THROTTLING', throttled));
    expect(token.getRetryCount()).toBe(2);
    await expect(strategy.refreshRetryTokenForRetry(token, info('THROTTLING', throttled))).rejects.toThrow();
    // A 5xx is TRANSIENT for the SDK, but it is an answer: it keeps the full budget too.
    const unavailable = Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    let answered = await strategy.acquireInitialRetryToken('');
    for (let i = 0; i < 2; i++) answered = await strategy.refreshRetryTokenForRetry(answered, info('TRANSIENT', unavailable));
    expect(answered.getRetryCount()).toBe(2);
    const bounded = clientConfig('us-east-1', { retryMode: 'standard', maxAttempts: 5, env: {} }).retryStrategy;
    let server = await bounded.acquireInitialRetryToken('');
    for (let i = 0; i < 3; i++) server = await bounded.refreshRetryTokenForRetry(server, info('TRANSIENT', unavailable));
    expect(server.getRetryCount()).toBe(3);
    const fresh = await strategy.acquireInitialRetryToken('');
    await expect(strategy.refreshRetryTokenForRetry(fresh, info('CLIENT_ERROR', new Error('bad')))).rejects.toThrow();
  }, 30_000);
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

describe('explainAwsFailure', () => {
  /** A client whose send fails with `error`, as an SDK client of `serviceId` would. */
  const failing = (serviceId: string, error: unknown) =>
    explainable({ config: { serviceId }, send: async (_command: unknown) => Promise.reject(error) }, 'ap-northeast-2');
  const caught = async (client: { send(command: unknown): Promise<unknown> }) => client.send({}).catch((error: unknown) => error);
  const network = (code: string, message = `connect ${code} 127.0.0.1:1`) => Object.assign(new Error(message), { code });

  it('leaves the error untouched for the callers (same object, same classification)', async () => {
    const refused = network('ECONNREFUSED');
    expect(await caught(failing('SSM', refused))).toBe(refused);
  });

  it('no credentials: says to add configure-aws-credentials', async () => {
    const none = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const explained = explainAwsFailure(await caught(failing('S3', none)), {});
    expect(explained).toBeInstanceOf(ConfigurationError);
    expect(explained?.message).toMatch(
      /^No AWS credentials: add aws-actions\/configure-aws-credentials before this step \(or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    // Wrapped by a package (with the SDK error as its cause): found all the same.
    expect(explainAwsFailure(new Error('ssm:GetParameters failed', { cause: none }), {})?.message).toMatch(/^No AWS credentials/);
  });

  it('expired credentials: says how to refresh them', () => {
    const expired = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' });
    expect(explainAwsFailure(expired, {})?.message).toMatch(
      /^The AWS credentials have expired: run aws-actions\/configure-aws-credentials again/,
    );
  });

  it('an unreachable endpoint: names the service, the endpoint (from AWS_ENDPOINT_URL* or the region) and the code', async () => {
    const refused = Object.assign(network('ECONNREFUSED'), { $metadata: { attempts: 3 } });
    const error = await caught(failing('SSM', refused));
    expect(explainAwsFailure(error, { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:1' })?.message).toBe(
      'Cannot reach SSM at http://127.0.0.1:1: the connection was refused (nothing listens there) (3 attempts). Fix: check AWS_ENDPOINT_URL_SSM (http://127.0.0.1:1). (ECONNREFUSED Error: connect ECONNREFUSED 127.0.0.1:1)',
    );
    expect(explainAwsFailure(error, { AWS_ENDPOINT_URL: 'http://localhost:4566' })?.message).toMatch(
      /^Cannot reach SSM at http:\/\/localhost:4566: .* Fix: check AWS_ENDPOINT_URL \(/,
    );
    expect(explainAwsFailure(error, {})?.message).toMatch(
      /^Cannot reach SSM at https:\/\/ssm\.ap-northeast-2\.amazonaws\.com: .* Fix: check the region \(ap-northeast-2\) and that this runner can reach AWS/,
    );
    const dns = await caught(failing('CloudWatch Logs', network('ENOTFOUND', 'getaddrinfo ENOTFOUND logs.example')));
    expect(explainAwsFailure(dns, { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'https://logs.example' })?.message).toMatch(
      /^Cannot reach CloudWatch Logs at https:\/\/logs\.example: the host name does not resolve \(DNS\)\. Fix: check AWS_ENDPOINT_URL_CLOUDWATCH_LOGS/,
    );
    expect(explainAwsFailure(await caught(failing('ECR', network('ECONNRESET'))), {})?.message).toMatch(
      /^Cannot reach ECR at https:\/\/api\.ecr\.ap-northeast-2\.amazonaws\.com: the connection was reset/,
    );
    expect(explainAwsFailure(await caught(failing('S3', network('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))), {})?.message).toMatch(
      /^Cannot reach S3 at https:\/\/s3\.ap-northeast-2\.amazonaws\.com: its TLS certificate was not accepted\. .*NODE_EXTRA_CA_CERTS/,
    );
  });

  it('no answer in time: says so and how to allow more time', async () => {
    const silent = Object.assign(new Error('socket timed out'), { name: 'TimeoutError', $metadata: { attempts: 3 } });
    expect(explainAwsFailure(await caught(failing('ECS', silent)), {})?.message).toMatch(
      /^Cannot reach ECS at https:\/\/ecs\.ap-northeast-2\.amazonaws\.com: no answer came in time \(3 attempts\)\. Fix: .*raise BAEPO_AWS_READ_TIMEOUT/,
    );
  });

  it('leaves AWS answers and configuration errors alone', () => {
    expect(explainAwsFailure(new Error('boom'), {})).toBeUndefined();
    expect(explainAwsFailure(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }), {})).toBeUndefined();
    expect(explainAwsFailure(new ConfigurationError('bad input', { cause: network('ECONNREFUSED') }), {})).toBeUndefined();
    expect(serviceEndpoint('CloudFront', 'us-east-1', {}).url).toBe('https://cloudfront.amazonaws.com');
    expect(serviceEndpoint('S3', 'cn-north-1', {}).url).toBe('https://s3.cn-north-1.amazonaws.com.cn');
  });
});

describe('explainAwsFailure outside AWS clients', () => {
  it('leaves network errors of other HTTP code (a registry) to their own messages', () => {
    const registry = Object.assign(new Error('No data from 127.0.0.1:5000 for 60 s'), { code: 'ETIMEDOUT' });
    expect(explainAwsFailure(registry, {})).toBeUndefined();
  });
});
