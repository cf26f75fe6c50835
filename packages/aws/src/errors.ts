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
