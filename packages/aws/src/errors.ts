import { ConfigurationError, explainFailuresWith } from '@baepo/action-kit';

/** What an AWS SDK v3 error tells us, without depending on a client's error classes. */
export interface AwsErrorInfo {
  name: string;
  message: string;
  status: number | undefined;
  requestId: string | undefined;
}

export function awsErrorInfo(error: unknown): AwsErrorInfo {
  const e = (error ?? {}) as {
    name?: string;
    message?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number; requestId?: string };
  };
  return {
    name: e.name ?? e.Code ?? 'Error',
    message: e.message ?? String(error),
    status: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
  };
}

/** True when the error is one of the named AWS exceptions. */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  return names.includes(awsErrorInfo(error).name);
}

const ACCESS_DENIED = ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException', 'Forbidden'];

/** True for the family of "you are not allowed" errors (HTTP 403 included). */
export function isAccessDenied(error: unknown): boolean {
  const info = awsErrorInfo(error);
  return ACCESS_DENIED.includes(info.name) || info.status === 403;
}

/** `Name: message (HTTP 400, request id …)`, for error lines. */
export function describeAwsError(error: unknown): string {
  const info = awsErrorInfo(error);
  const details = [info.status ? `HTTP ${info.status}` : undefined, info.requestId ? `request id ${info.requestId}` : undefined].filter(
    Boolean,
  );
  const message = info.message && info.message !== info.name ? `${info.name}: ${info.message}` : info.name;
  return details.length ? `${message} (${details.join(', ')})` : message;
}

/** The service and region of the client a failed call went through (see `explainable`). */
interface CallOrigin {
  serviceId: string;
  region: string;
}

const origins = new WeakMap<object, CallOrigin>();

interface SendingClient {
  config: { serviceId?: string };
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's overloaded send signature.
  send(...args: any[]): any;
}

/**
 * Remember which service and region a client's failed calls went to, so that an error reaching
 * the top of an action can name the endpoint, and have runAction report failures through
 * `explainAwsFailure`. The error itself is rethrown unchanged: retry and classification code
 * downstream see exactly what the SDK threw.
 */
export function explainable<C extends SendingClient>(client: C, region: string): C {
  explainFailuresWith(explainAwsFailure);
  const origin = { serviceId: client.config.serviceId ?? 'AWS', region };
  const send = client.send.bind(client);
  client.send = ((...args: unknown[]) => {
    const sent = send(...args);
    if (!(sent instanceof Promise)) return sent;
    return sent.catch((error: unknown) => {
      if (error !== null && typeof error === 'object' && !origins.has(error)) origins.set(error, origin);
      throw error;
    });
  }) as C['send'];
  return client;
}

/** The AWS service (SDK id) a failed call went to, when it went through an `explainable` client. */
export function failedService(error: unknown): string | undefined {
  return chain(error)
    .map((e) => origins.get(e))
    .find(Boolean)?.serviceId;
}

const DEFAULT_HOSTS: Record<string, string> = {
  S3: 's3.{region}',
  ECR: 'api.ecr.{region}',
  'CloudWatch Logs': 'logs.{region}',
  CloudFront: 'cloudfront',
};

/** AWS_ENDPOINT_URL_<SERVICE> as the SDK names it: the service id upper-cased, spaces to underscores. */
export function endpointVariable(serviceId: string): string {
  return `AWS_ENDPOINT_URL_${serviceId.toUpperCase().replace(/ /g, '_')}`;
}

/** The endpoint a client of this service calls: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else the regional AWS endpoint. */
export function serviceEndpoint(
  serviceId: string,
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): { url: string; variable?: string } {
  const specific = endpointVariable(serviceId);
  if (env[specific]) return { url: env[specific] as string, variable: specific };
  if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, variable: 'AWS_ENDPOINT_URL' };
  const host = (DEFAULT_HOSTS[serviceId] ?? `${serviceId.toLowerCase().replace(/ /g, '')}.{region}`).replace('{region}', region);
  return { url: `https://${host}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}` };
}

const NETWORK_FAULTS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens there)',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the host name could not be resolved (DNS temporarily failing)',
  EHOSTUNREACH: 'there is no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the connection was reset before an answer came',
  EPIPE: 'the connection was closed while the request was being sent',
  ETIMEDOUT: 'the connection timed out',
  ECONNABORTED: 'the connection was aborted',
};

const TLS_FAULT = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_)/;

/** What went wrong on the network, in words, for an error that never got an HTTP answer; undefined for anything else. */
export function networkFault(error: unknown): { kind: 'timeout' | 'tls' | 'network'; code: string; what: string } | undefined {
  for (const e of chain(error)) {
    const code = e.code ?? '';
    if (e.name === 'TimeoutError' || (code === 'ETIMEDOUT' && /^No data from/.test(e.message ?? '')))
      return { kind: 'timeout', code: code || e.name || 'TimeoutError', what: 'no answer came in time' };
    if (NETWORK_FAULTS[code]) return { kind: 'network', code, what: NETWORK_FAULTS[code] as string };
    if (TLS_FAULT.test(code)) return { kind: 'tls', code, what: 'its TLS certificate was not accepted' };
  }
  return undefined;
}

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { attempts?: number; httpStatusCode?: number };
}

/** The error and its causes, outermost first. */
function chain(error: unknown): ErrorShape[] {
  const found: ErrorShape[] = [];
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && !found.includes(current as ErrorShape) && found.length < 10) {
    found.push(current as ErrorShape);
    current = (current as ErrorShape).cause;
  }
  return found;
}

const NO_CREDENTIALS =
  'No AWS credentials: add aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with its shared credentials file).';

/**
 * One message saying what to change, for failures that are not AWS answering "no": missing or
 * expired credentials, an endpoint that cannot be reached, a request that got no answer. Returns
 * undefined for anything else (the caller keeps its own error). Used by every action: runAction
 * applies it once a client was made `explainable`.
 */
export function explainAwsFailure(error: unknown, env: NodeJS.ProcessEnv = process.env): ConfigurationError | undefined {
  const errors = chain(error);
  if (errors.some((e) => e instanceof ConfigurationError)) return undefined;
  const origin = errors.map((e) => origins.get(e)).find(Boolean);
  for (const e of errors) {
    const sdkSays = `(${[e.code, e.name].filter(Boolean).join(' ') || 'Error'}: ${e.message ?? ''})`;
    if (e.name === 'CredentialsProviderError' || /Could not load credentials from any providers/.test(e.message ?? '')) {
      return new ConfigurationError(`${NO_CREDENTIALS} The SDK said: ${e.message ?? e.name}`, { cause: error });
    }
    if (e.name === 'ExpiredToken' || e.name === 'ExpiredTokenException' || e.name === 'RequestExpired') {
      return new ConfigurationError(
        `The AWS credentials have expired: run aws-actions/configure-aws-credentials again (its 'role-duration-seconds' sets how long they last) or refresh AWS_SESSION_TOKEN. ${sdkSays}`,
        { cause: error },
      );
    }
    const fault = networkFault(e);
    // Only for calls made through an explainable AWS client: other HTTP (a registry) explains its own.
    if (!fault || !origin) continue;
    const endpoint = serviceEndpoint(origin.serviceId, origin.region, env);
    const where = `${origin.serviceId} at ${endpoint.url}`;
    const attempts = errors.map((x) => x.$metadata?.attempts).find((n) => n !== undefined);
    const tried = attempts && attempts > 1 ? ` (${attempts} attempts)` : '';
    const check = endpoint.variable
      ? `check ${endpoint.variable} (${endpoint.url})`
      : `check the region (${origin.region}) and that this runner can reach AWS (firewall, VPC endpoints, AWS_ENDPOINT_URL* if you use a private endpoint)`;
    const extra =
      fault.kind === 'timeout'
        ? '; on a slow network raise BAEPO_AWS_READ_TIMEOUT / BAEPO_AWS_CONNECT_TIMEOUT'
        : fault.kind === 'tls'
          ? '; behind a TLS-inspecting proxy set NODE_EXTRA_CA_CERTS to its CA certificate'
          : '';
    return new ConfigurationError(`Cannot reach ${where}: ${fault.what}${tried}. Fix: ${check}${extra}. ${sdkSays}`, { cause: error });
  }
  return undefined;
}
