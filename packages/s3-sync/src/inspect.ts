import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { KnownObject } from './knowledge.js';
import { md5FromEtag, unquote } from './remote-listing.js';
import { s3Call } from './s3-errors.js';
import { MD5_METADATA, SHA256_METADATA } from './uploader.js';

/**
 * HeadObject the few objects the manifest cannot vouch for (first sync over an
 * existing bucket, or objects changed by someone else): their hash comes from
 * baepo's metadata (SHA-256, or MD5 from an earlier baepo) or a single-part ETag,
 * their headers from the response.
 */
export async function inspectObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  keys: readonly string[],
  concurrency: number,
  signal?: AbortSignal,
): Promise<Map<string, KnownObject>> {
  const limit = pLimit(concurrency);
  const entries = await Promise.all(
    keys.map((key) =>
      limit(async (): Promise<[string, KnownObject]> => {
        const head = await s3Call({ action: 's3:GetObject', bucket, key: prefix + key }, () =>
          s3.send(new HeadObjectCommand({ Bucket: bucket, Key: prefix + key }), { abortSignal: signal }),
        );
        const etag = unquote(head.ETag ?? '');
        return [
          key,
          {
            etag,
            sha256: head.Metadata?.[SHA256_METADATA],
            md5: head.Metadata?.[MD5_METADATA] ?? md5FromEtag(etag),
            headers: { contentType: head.ContentType ?? 'binary/octet-stream', cacheControl: head.CacheControl },
          },
        ];
      }),
    ),
  );
  return new Map(entries);
}
