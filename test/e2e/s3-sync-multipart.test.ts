import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../harness/run-action.js';
import { type Fauxqs, startFauxqs } from '../stack/index.js';
import { directClient } from './s3-sync/bucket.js';
import { type CountingProxy, startCountingProxy } from './s3-sync/counting-proxy.js';
import { writeSite } from './s3-sync/site.js';
import { newBucket, runSync } from './s3-sync/sync-env.js';

const MIB = 1024 * 1024;
const SIZE = 100 * MIB;

/** Write `size` bytes of varied content (each MiB differs) and return its SHA-256 and MD5. */
async function bigFile(path: string, size: number): Promise<{ sha256: string; md5: string }> {
  const hash = createHash('sha256');
  const md5 = createHash('md5');
  const out = createWriteStream(path);
  for (let offset = 0; offset < size; offset += MIB) {
    const chunk = createHash('sha512').update(String(offset)).digest();
    const block = Buffer.alloc(Math.min(MIB, size - offset), chunk);
    hash.update(block);
    md5.update(block);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { sha256: hash.digest('hex'), md5: md5.digest('hex') };
}

// fauxqs only: 100 MB through moto's Python server takes far longer and proves nothing more.
// fauxqs accepts request bodies up to 11 MiB, so parts must stay at the default 8 MiB (the AWS CLI's default too).
describe('s3-sync multipart (fauxqs)', () => {
  let fauxqs: Fauxqs;
  let proxy: CountingProxy;
  let s3: S3Client;
  let source: string;

  beforeAll(async () => {
    fauxqs = await startFauxqs();
    proxy = await startCountingProxy(fauxqs.endpoint);
    s3 = directClient(fauxqs.endpoint);
    source = mkdtempSync(join(tmpdir(), 'baepo-big-'));
  });
  afterAll(async () => {
    await proxy?.stop();
    await fauxqs?.stop();
    rmSync(source, { recursive: true, force: true });
  });

  it('uploads a 100 MB file in parallel parts with its SHA-256 in metadata, and recognises it on resync', async () => {
    writeSite(source, { 'index.html': '<h1>downloads</h1>' });
    const { sha256, md5 } = await bigFile(join(source, 'video.bin'), SIZE);
    const bucket = await newBucket(s3, 'big');
    const sync = (inputs: Record<string, string> = {}) => {
      proxy.reset();
      return runSync({ s3: proxy.endpoint }, { source, bucket, ...inputs });
    };

    const first = await sync();
    expect(first.exitCode, explain(first)).toBe(0);
    expect(first.outputs).toMatchObject({ uploaded: '2', 'uploaded-bytes': String(SIZE + 18) });
    expect(proxy.counts()).toMatchObject({ CreateMultipartUpload: 1, UploadPart: 13, CompleteMultipartUpload: 1, PutObject: 2 });
    expect(proxy.uploadedBytes()).toBeGreaterThanOrEqual(SIZE);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'video.bin' }));
    expect(head.ContentLength).toBe(SIZE);
    expect(head.ETag).toMatch(/-13"$/);
    expect(head.Metadata).toEqual({ 'baepo-sha256': sha256 });
    expect(head.ContentType).toBe('application/octet-stream');
    const download = createHash('sha256');
    for await (const chunk of (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'video.bin' }))).Body as AsyncIterable<Buffer>)
      download.update(chunk);
    expect(download.digest('hex')).toBe(sha256);

    const later = new Date(Date.now() + 3600_000);
    utimesSync(join(source, 'video.bin'), later, later);
    const again = await sync();
    expect(again.outputs).toMatchObject({ uploaded: '0', unchanged: '2' });
    expect(proxy.counts()).toEqual({ ListObjectsV2: 1, GetObject: 1 });

    // Without the manifest, the multipart ETag says nothing about content: one HEAD reads baepo's SHA-256 metadata instead.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: '.baepo-sync-manifest.json' }));
    const adopted = await sync();
    expect(adopted.outputs).toMatchObject({ uploaded: '0', unchanged: '2' });
    expect(proxy.counts()).toMatchObject({ HeadObject: 2, PutObject: 1 });
    expect(proxy.counts().UploadPart).toBeUndefined();

    // An object uploaded by an earlier baepo build carries its MD5 instead: still recognised, no upload.
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'video.bin',
        CopySource: `${bucket}/video.bin`,
        MetadataDirective: 'REPLACE',
        ContentType: 'application/octet-stream',
        Metadata: { 'baepo-md5': md5 },
      }),
    );
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: '.baepo-sync-manifest.json' }));
    const older = await sync();
    expect(older.outputs).toMatchObject({ uploaded: '0', unchanged: '2' });
    expect(proxy.counts().UploadPart).toBeUndefined();
  });
});
