import { createHash } from 'node:crypto';

/** `sha256:<64 hex>`, the only digest algorithm ECR accepts. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST.test(value);
}

export function digestOf(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** `sha256:0123456789ab`, for log lines. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 19);
}
