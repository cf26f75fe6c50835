import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

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
}

/** Every object under the prefix, one ListObjectsV2 page (1,000 keys) at a time. */
export async function listRemote(s3: S3Client, bucket: string, prefix: string): Promise<Listing> {
  const objects = new Map<string, RemoteObject>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
    pages++;
    for (const item of page.Contents ?? []) {
      if (!item.Key || item.Key.endsWith('/')) continue;
      const key = item.Key.slice(prefix.length);
      objects.set(key, { key, etag: unquote(item.ETag ?? ''), size: item.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, pages };
}

export function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

/** The content MD5 an ETag reveals: only a single-part ETag is one. */
export function md5FromEtag(etag: string): string | undefined {
  return /^[0-9a-f]{32}$/.test(etag) ? etag : undefined;
}
