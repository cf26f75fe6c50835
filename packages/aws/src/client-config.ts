import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { ConfigurationError, parseDuration, quote } from '@baepo/action-kit';
import { AdaptiveRetryStrategy, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export const USER_AGENT = 'baepo/1';

/**
 * How long a connection may take to open, and how long a socket may stay silent (nothing sent,
 * nothing received) before the attempt fails with a TimeoutError that the SDK retries.
 *
 * - connect 10 s: a TCP (and proxy) connection to an AWS endpoint opens in well under a second;
 *   10 s leaves room for a slow DNS answer or a congested self-hosted runner.
 * - read 20 s of silence: every call baepo makes is answered within a second or two; S3's long
 *   operations (CompleteMultipartUpload, CopyObject) send whitespace while they work, and an
 *   upload's socket is never silent while its bytes flow. The limit is on silence, not on the
 *   total: a 64 MiB part crawling at 100 KiB/s (11 minutes) is not killed.
 *
 * Both can be changed with BAEPO_AWS_CONNECT_TIMEOUT and BAEPO_AWS_READ_TIMEOUT (`30s`, `2m`...).
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_TIMEOUT_MS = 20_000;

/**
 * Attempts (first try included) for a call that ends without an AWS answer: a timeout, a reset or
 * refused connection, a DNS failure. Three attempts ride out a dropped connection; more would
 * only make a dead endpoint take longer to report (throttling and 5xx keep the SDK's budget).
 */
export const NETWORK_ATTEMPTS = 3;

/**
 * Uploads wait this many times the read timeout (60 s by default) before calling a silent socket
 * dead: the socket only sees the program's writes, and the kernel's send buffer (up to 4 MiB on
 * Linux) can hold tens of seconds of a slow link's traffic after the last write was accepted.
 * 4 MiB drains within 60 s at 70 KiB/s and more.
 */
export const UPLOAD_SILENCE_FACTOR = 3;

export interface NetworkTimeouts {
  connectMs: number;
  readMs: number;
}

function timeoutFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 100 || ms > 3_600_000) {
    throw new ConfigurationError(
      `Environment variable ${name} must be a duration between 100ms and 1h (e.g. '30s', '2m'); got ${quote(text)}. Unset it to use the default (${fallback / 1000}s).`,
    );
  }
  return ms;
}

/** The connect and read (silence) timeouts every AWS connection gets: defaults, or the BAEPO_AWS_* overrides. */
export function networkTimeouts(env: NodeJS.ProcessEnv = process.env): NetworkTimeouts {
  return {
    connectMs: timeoutFromEnv(env, 'BAEPO_AWS_CONNECT_TIMEOUT', DEFAULT_CONNECT_TIMEOUT_MS),
    readMs: timeoutFromEnv(env, 'BAEPO_AWS_READ_TIMEOUT', DEFAULT_READ_TIMEOUT_MS),
  };
}

/** True when the error is an HTTP answer (a 5xx is TRANSIENT too, but the service is there). */
function answered(error: unknown): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode !== undefined;
}

/**
 * The SDK's own retry strategy, except that a call which got no answer at all (errorType
 * TRANSIENT without an HTTP status: timeouts, resets, refused connections, DNS failures) is tried
 * at most NETWORK_ATTEMPTS times. Throttling and 5xx answers keep the full maxAttempts budget.
 */
export class BoundedNetworkRetries implements RetryStrategyV2 {
  readonly mode: string;
  constructor(
    private readonly inner: RetryStrategyV2 & { mode?: string },
    private readonly networkAttempts = NETWORK_ATTEMPTS,
  ) {
    this.mode = inner.mode ?? 'standard';
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope);
  }

  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (errorInfo.errorType === 'TRANSIENT' && !answered(errorInfo.error) && token.getRetryCount() + 1 >= this.networkAttempts) {
      return Promise.reject(errorInfo.error);
    }
    return this.inner.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}

/** Settings shared by every AWS SDK v3 client baepo creates. */
export interface ClientConfig {
  region: string;
  maxAttempts: number;
  retryStrategy: RetryStrategyV2;
  customUserAgent: string;
  requestHandler: {
    connectionTimeout: number;
    socketTimeout: number;
    httpAgent?: HttpAgent;
    httpsAgent?: HttpsAgent;
  };
}

export interface ClientOptions {
  maxAttempts?: number;
  retryMode?: 'adaptive' | 'standard';
  /** Keep-alive agents to share (s3-sync sizes them to its concurrency). */
  agents?: { httpAgent: HttpAgent; httpsAgent: HttpsAgent };
  /** The socket's silence limit, instead of networkTimeouts().readMs (s3-sync's uploads: UPLOAD_SILENCE_FACTOR times it). */
  readTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/**
 * The region from an input, else from AWS_REGION / AWS_DEFAULT_REGION (what
 * aws-actions/configure-aws-credentials sets). Endpoints are not set here: the
 * SDK reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> by itself.
 */
export function resolveRegion(input: string | undefined, env: NodeJS.ProcessEnv = process.env, inputName = 'aws-region'): string {
  const region = input || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigurationError(
      `No AWS region: set the '${inputName}' input, or AWS_REGION (aws-actions/configure-aws-credentials sets it from its 'aws-region' input).`,
      { input: inputName },
    );
  }
  if (!REGION.test(region)) {
    throw new ConfigurationError(
      `'${region}' is not an AWS region name (e.g. 'ap-northeast-2', 'us-east-1'); check ${input ? `the '${inputName}' input` : 'AWS_REGION'}. Got ${quote(region)}.`,
      { input: inputName },
    );
  }
  return region;
}

/**
 * Client settings: adaptive retries (throttling and 5xx are retried by the SDK, a call without an
 * answer at most NETWORK_ATTEMPTS times), connect and read timeouts on every connection, baepo's
 * user agent. Each call returns a fresh retry strategy: give each client its own config.
 */
export function clientConfig(region: string, options: ClientOptions = {}): ClientConfig {
  const maxAttempts = options.maxAttempts ?? 8;
  const timeouts = networkTimeouts(options.env);
  const inner =
    (options.retryMode ?? 'adaptive') === 'adaptive' ? new AdaptiveRetryStrategy(maxAttempts) : new StandardRetryStrategy(maxAttempts);
  return {
    region,
    maxAttempts,
    retryStrategy: new BoundedNetworkRetries(inner),
    customUserAgent: USER_AGENT,
    requestHandler: { connectionTimeout: timeouts.connectMs, socketTimeout: options.readTimeoutMs ?? timeouts.readMs, ...options.agents },
  };
}
