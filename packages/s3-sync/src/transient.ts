import { awsErrorInfo } from '@baepo/aws';

const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'ThrottlingException',
  'Throttling',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
]);

/** Throttling, 5xx and dropped connections: worth another attempt with a fresh body. */
export function isTransient(error: unknown): boolean {
  const info = awsErrorInfo(error);
  const code = (error as { code?: string } | undefined)?.code;
  return (
    (info.status !== undefined && (info.status >= 500 || info.status === 429)) ||
    TRANSIENT_NAMES.has(info.name) ||
    TRANSIENT_NAMES.has(code ?? '')
  );
}
