import { ConfigurationError, quote } from '@baepo/action-kit';

export const USER_AGENT = 'baepo/1';

/** Settings shared by every AWS SDK v3 client baepo creates. */
export interface ClientConfig {
  region: string;
  retryMode: 'adaptive' | 'standard';
  maxAttempts: number;
  customUserAgent: string;
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

/** Client settings: adaptive retries (throttling and 5xx are retried by the SDK), baepo's user agent. */
export function clientConfig(region: string, options: { maxAttempts?: number; retryMode?: 'adaptive' | 'standard' } = {}): ClientConfig {
  return {
    region,
    retryMode: options.retryMode ?? 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    customUserAgent: USER_AGENT,
  };
}
