import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Fauxqs, startFauxqs } from '../../stack/index.js';
import { directClient } from './bucket.js';
import { type CountingProxy, classify, type S3Operation, startCountingProxy } from './counting-proxy.js';

describe('classify', () => {
  it('tells listings by version from object reads and bucket sub-resources', () => {
    const cases: [string, string, S3Operation][] = [
      ['GET', '/site?list-type=2&prefix=&max-keys=1000', 'ListObjectsV2'],
      ['GET', '/site/?list-type=2&continuation-token=abc&start-after=x&fetch-owner=false&encoding-type=url', 'ListObjectsV2'],
      ['GET', '/site?delimiter=%2F&max-keys=1000&prefix=', 'ListObjects'], // rclone
      ['GET', '/site?marker=assets%2F1.js&encoding-type=url', 'ListObjects'],
      ['GET', '/site', 'ListObjects'],
      ['GET', '/site?location', 'Other'],
      ['GET', '/site?versioning', 'Other'],
      ['GET', '/site?uploads', 'Other'],
      ['GET', '/site?versions&prefix=a', 'Other'],
      ['GET', '/', 'Other'],
      ['HEAD', '/site', 'Other'],
      ['PUT', '/site', 'Other'],
      ['DELETE', '/site', 'Other'],
      ['POST', '/site?delete', 'DeleteObjects'],
      ['GET', '/site/index.html', 'GetObject'],
      ['GET', '/site/assets/a.js?x-id=GetObject', 'GetObject'],
      ['GET', '/site/dir/?list-type=2', 'GetObject'], // a key "dir/", not the bucket root
      ['HEAD', '/site/assets/a.js', 'HeadObject'],
      ['PUT', '/site/a.js?x-id=PutObject', 'PutObject'],
      ['PUT', '/site/big.bin?partNumber=2&uploadId=u', 'UploadPart'],
      ['POST', '/site/big.bin?uploads', 'CreateMultipartUpload'],
      ['POST', '/site/big.bin?uploadId=u', 'CompleteMultipartUpload'],
      ['DELETE', '/site/big.bin?uploadId=u', 'AbortMultipartUpload'],
      ['DELETE', '/site/a.js', 'DeleteObject'],
    ];
    const got = cases.map(([method, url]) => [method, url, classify({ method, url, headers: {} })]);
    expect(got).toEqual(cases);
    expect(classify({ method: 'PUT', url: '/site/b.js', headers: { 'x-amz-copy-source': '/site/a.js' } })).toBe('CopyObject');
    expect(classify({ method: 'GET', url: '/site?list-type=2&location', headers: {} })).toBe('Other');
  });
});

describe('counting proxy in front of fauxqs', () => {
  let fauxqs: Fauxqs;
  let proxy: CountingProxy;
  let s3: S3Client;
  const bucket = `proxy-${process.pid}`;
  beforeAll(async () => {
    fauxqs = await startFauxqs();
    proxy = await startCountingProxy(fauxqs.endpoint);
    s3 = directClient(proxy.endpoint);
  });
  afterAll(async () => {
    await proxy?.stop();
    await fauxqs?.stop();
  });
  beforeEach(() => proxy.reset());

  it('counts what the real SDK sends by operation, and the content bytes uploaded', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'hello' }));
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }));
    await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }))).Body?.transformToString();
    await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', Prefix: '' }));
    await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    // Sub-resources: what fauxqs answers does not matter, only how the request is counted.
    for (const command of [
      new HeadBucketCommand({ Bucket: bucket }),
      new GetBucketLocationCommand({ Bucket: bucket }),
      new GetBucketVersioningCommand({ Bucket: bucket }),
      new ListMultipartUploadsCommand({ Bucket: bucket }),
    ])
      await s3.send(command as never).catch(() => undefined);
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'a/b.txt' }] } }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));

    expect(proxy.counts()).toEqual({
      Other: 6, // CreateBucket, HeadBucket, GetBucketLocation, GetBucketVersioning, ListMultipartUploads, DeleteBucket
      PutObject: 1,
      HeadObject: 1,
      GetObject: 1,
      ListObjects: 1,
      ListObjectsV2: 1,
      DeleteObjects: 1,
    });
    expect(proxy.total()).toBe(12);
    expect(proxy.uploadedBytes()).toBe(5);
  });
});
