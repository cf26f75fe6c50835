import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export interface StoredObject {
  key: string;
  size: number;
  contentType: string | undefined;
  cacheControl: string | undefined;
  metadata: Record<string, string>;
}

/** A client that talks to the server directly (not through the proxy), to check the bucket independently of the action. */
export function directClient(endpoint: string): S3Client {
  return new S3Client({
    region: 'ap-northeast-2',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'test' },
  });
}

/**
 * Every object in the bucket (ListObjectsV2, all pages, read by the SDK) with its size. Keys are asked
 * URL-encoded (and decoded here when the server says it encoded them): XML would turn a CR into a LF.
 */
export async function listedObjects(s3: S3Client, bucket: string): Promise<{ key: string; size: number }[]> {
  const keys: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, EncodingType: 'url' }));
    const decode = (key: string) => (page.EncodingType === 'url' ? decodeURIComponent(key.replace(/\+/g, ' ')) : key);
    for (const item of page.Contents ?? []) keys.push({ key: decode(item.Key as string), size: item.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Every object in the bucket (ListObjectsV2, all pages) with its HeadObject headers, by key. */
export async function bucketState(s3: S3Client, bucket: string): Promise<Map<string, StoredObject>> {
  const state = new Map<string, StoredObject>();
  for (const { key, size } of await listedObjects(s3, bucket)) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expectSame(size, head.ContentLength ?? -1, key);
    state.set(key, { key, size, contentType: head.ContentType, cacheControl: head.CacheControl, metadata: head.Metadata ?? {} });
  }
  return state;
}

function expectSame(listed: number, headed: number, key: string): void {
  if (listed !== headed) throw new Error(`${key}: listing says ${listed} bytes, HeadObject says ${headed}`);
}
