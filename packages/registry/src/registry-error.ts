import type { HttpResponse } from './http-transport.js';

/** An HTTP answer from the registry that the operation did not expect. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly status: number,
    readonly operation: string,
    /** The registry's error code (`DENIED`, `NAME_UNKNOWN`, `MANIFEST_INVALID`...), when it sent one. */
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`${operation} failed: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`);
  }
}

/** node:http / net / dns error codes of failures a new connection may not meet. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** Errors worth another attempt: 5xx, 429, 408 and network failures (resets, refused, timeouts). */
export function isTransient(error: unknown): boolean {
  if (error instanceof RegistryError) return error.status >= 500 || error.status === 429 || error.status === 408;
  if (error instanceof Error && error.name === 'AbortError') return false;
  return NETWORK_CODES.has((error as { code?: string })?.code ?? '');
}

/** Turn a non-2xx response into a RegistryError, reading the OCI `errors` body when there is one. */
export function registryError(response: HttpResponse, operation: string): RegistryError {
  const text = response.body.toString('utf8');
  let code: string | undefined;
  let detail = text.slice(0, 300).trim();
  try {
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = body.errors?.[0];
    if (first) {
      code = first.code;
      detail = first.message ?? detail;
    }
  } catch {
    // not JSON: keep the text
  }
  return new RegistryError(response.status, operation, code, detail);
}
