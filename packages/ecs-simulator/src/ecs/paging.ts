import { AwsError } from '../errors.js';

/** One page of a list and the token for the next (the offset, opaque to callers). */
export function page<T>(all: T[], maxResults: number, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const start = nextToken ? Number.parseInt(Buffer.from(nextToken, 'base64').toString(), 10) : 0;
  if (Number.isNaN(start)) throw new AwsError('InvalidParameterException', 'Invalid nextToken.');
  const end = start + Math.max(1, maxResults);
  return {
    items: all.slice(start, end),
    nextToken: end < all.length ? Buffer.from(String(end)).toString('base64') : undefined,
  };
}
