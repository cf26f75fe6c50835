import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { listPage } from './list-page.js';

/** An object under the prefix, as the listing shows it (key relative to the prefix). */
export interface RemoteObject {
  key: string;
  /** Without quotes. Single-part: the content MD5 (unless SSE-KMS); multipart: `<md5 of md5s>-<parts>`. */
  etag: string;
  size: number;
}

export interface Listing {
  objects: Map<string, RemoteObject>;
  pages: number;
  /** Pages whose XML the SDK read, because baepo's parser left the document to it. */
  sdkParsedPages: number;
}

/** Keys per ListObjectsV2 page (S3's maximum and default). */
export const PAGE_SIZE = 1000;
/** Ranges listed at once besides the first. */
const RANGES_AT_ONCE = 8;

/** S3 lists keys in UTF-8 byte order (JavaScript compares UTF-16 code units, which differs above U+FFFF). */
export const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Where to split a listing so each range holds about one page: every PAGE_SIZE-th of the keys
 * expected there (full keys, in S3 order). Range i covers keys after boundary i-1 up to and
 * including boundary i; the last range runs to the end.
 */
export function rangeBoundaries(expected: readonly string[], pageSize = PAGE_SIZE): string[] {
  const sorted = [...expected].sort(compareKeys);
  const boundaries: string[] = [];
  for (let i = pageSize - 1; i < sorted.length - 1; i += pageSize) boundaries.push(sorted[i] as string);
  return boundaries;
}

/**
 * Every object under the prefix. A listing is a chain of pages, each waiting for the last; when
 * the caller knows which keys to expect (the site's own, relative to the prefix), the key space is
 * cut into ranges of about one page at those keys and the ranges are listed in parallel. When the
 * bucket holds what is expected, that is the same number of requests as the chain; extra objects
 * cost their own pages, never a missed key: each range lists until it passes its upper bound.
 * The first page is asked for at once, while `expected` is still being worked out.
 */
export async function listRemote(
  s3: S3Client,
  bucket: string,
  prefix: string,
  expected: Promise<readonly string[]> = Promise.resolve([]),
  signal?: AbortSignal,
): Promise<Listing> {
  const objects = new Map<string, RemoteObject>();
  let pages = 0;
  let sdkParsedPages = 0;
  const bounds = expected.then((keys) => rangeBoundaries(keys.map((key) => prefix + key)));

  async function listRange(
    after: string | undefined,
    upTo: Promise<string | undefined>,
    onFirstPage?: (more: boolean) => void,
  ): Promise<void> {
    let token: string | undefined;
    do {
      const page = await listPage(
        s3,
        {
          Bucket: bucket,
          Prefix: prefix || undefined,
          // As `aws s3 sync` does: keys come URL-encoded, so a carriage return (which an XML reader turns
          // into a line feed) or a character XML 1.0 cannot carry arrives intact. listPage decodes them.
          EncodingType: 'url',
          StartAfter: token ? undefined : after,
          ContinuationToken: token,
        },
        signal,
      );
      pages++;
      if (page.parsedBy === 'sdk') sdkParsedPages++;
      const limit = await upTo;
      let done = false;
      for (const item of page.Contents) {
        if (!item.Key) continue;
        const order = limit === undefined ? -1 : compareKeys(item.Key, limit);
        if (order > 0) {
          done = true; // the next range's
          break;
        }
        if (!item.Key.endsWith('/')) {
          const key = item.Key.slice(prefix.length);
          objects.set(key, { key, etag: unquote(item.ETag), size: item.Size });
        }
        if (order === 0) {
          done = true;
          break;
        }
      }
      onFirstPage?.(page.IsTruncated);
      onFirstPage = undefined;
      token = !done && page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  // The other ranges start only once the first page shows there is more: an empty or small
  // bucket (a first upload) costs one request.
  let firstPage: (more: boolean) => void = () => undefined;
  const more = new Promise<boolean>((resolve) => {
    firstPage = resolve;
  });
  const first = listRange(
    undefined,
    bounds.then((b) => b[0]),
    firstPage,
  );
  const rest = Promise.all([bounds, more]).then(([boundaries, truncated]) => {
    if (!truncated) return [];
    const limit = pLimit(RANGES_AT_ONCE);
    return Promise.all(boundaries.map((after, i) => limit(() => listRange(after, Promise.resolve(boundaries[i + 1])))));
  });
  // A first page that fails never answers `more`: settle on whichever comes first.
  await Promise.all([first.finally(() => firstPage(false)), rest]);
  return { objects, pages, sdkParsedPages };
}

export function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

/** The content MD5 an ETag reveals: only a single-part ETag is one. */
export function md5FromEtag(etag: string): string | undefined {
  return /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}
