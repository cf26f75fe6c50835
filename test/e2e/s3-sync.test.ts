import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFrontClient, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain } from '../harness/run-action.js';
import { createDistribution, type Fauxqs, type Moto, startFauxqs, startMoto } from '../stack/index.js';
import { bucketState, directClient, listedObjects } from './s3-sync/bucket.js';
import { type CountingProxy, startCountingProxy } from './s3-sync/counting-proxy.js';
import { viteSite, writeSite } from './s3-sync/site.js';
import { newBucket, runSync, writes } from './s3-sync/sync-env.js';

const MANIFEST = '.baepo-sync-manifest.json';
const RULES = '**/*.html=no-cache\nassets/**=public, max-age=31536000, immutable';

let moto: Moto;
let fauxqs: Fauxqs;
beforeAll(async () => {
  [moto, fauxqs] = await Promise.all([startMoto(), startFauxqs()]);
});
afterAll(async () => {
  await Promise.all([moto?.stop(), fauxqs?.stop()]);
});

describe.each(['moto', 'fauxqs'] as const)('s3-sync against %s', (server) => {
  let proxy: CountingProxy;
  let s3: S3Client;
  let source: string;
  let bucket: string;
  const endpoints = () => ({ s3: proxy.endpoint, cloudfront: moto.endpoint });
  const sync = async (inputs: Record<string, string | boolean | number | undefined>) => {
    proxy.reset();
    return runSync(endpoints(), { source, bucket, 'cache-control': RULES, ...inputs });
  };
  const body = async (key: string) =>
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? '';

  beforeAll(async () => {
    const target = server === 'moto' ? moto.endpoint : fauxqs.endpoint;
    proxy = await startCountingProxy(target);
    s3 = directClient(target);
  });
  afterAll(async () => {
    await proxy?.stop();
  });
  beforeEach(async () => {
    source = mkdtempSync(join(tmpdir(), 'baepo-site-'));
    writeSite(source, viteSite());
    bucket = await newBucket(s3);
    return () => rmSync(source, { recursive: true, force: true });
  });

  it('first sync uploads every file with detected types and rule-based cache headers', async () => {
    const run = await sync({ prefix: '/www/' });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.outputs).toMatchObject({ uploaded: '9', updated: '0', deleted: '0', unchanged: '0', 'invalidation-id': '' });
    expect(Number(run.outputs['uploaded-bytes'])).toBe(Object.values(viteSite()).reduce((n, c) => n + Buffer.byteLength(c), 0));
    expect(JSON.parse(run.outputs['changed-keys'] ?? '[]')).toContain('www/about/index.html');
    expect(proxy.counts()).toMatchObject({ ListObjectsV2: 1, PutObject: 10 });

    const state = await bucketState(s3, bucket);
    expect([...state.keys()].sort()).toEqual([...Object.keys(viteSite()).map((k) => `www/${k}`), `www/${MANIFEST}`].sort());
    expect(state.get('www/index.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    expect(state.get('www/assets/index-3f2a1b.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
      size: Buffer.byteLength(viteSite()['assets/index-3f2a1b.js'] as string),
    });
    expect(state.get('www/assets/logo.svg')?.contentType).toBe('image/svg+xml');
    expect(state.get('www/robots.txt')).toMatchObject({ contentType: 'text/plain; charset=utf-8', cacheControl: undefined });
    expect(state.get('www/.well-known/security.txt')).toBeDefined();
    expect(await body('www/assets/index-9c8d7e.css')).toBe('body{color:#123}\n');
    expect(run.summary).toContain('| 9 | 0 | 0 | 0 |');
    if (server === 'fauxqs') {
      // Each PUT carried x-amz-checksum-sha256 (S3 checks the bytes against it); fauxqs keeps what it was sent.
      // moto neither keeps nor checks it: a gap of the emulator, not of the action.
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'www/assets/index-9c8d7e.css', ChecksumMode: 'ENABLED' }));
      expect(head.ChecksumSHA256).toBe(createHash('sha256').update('body{color:#123}\n').digest('base64'));
      expect(head.Metadata).toEqual({ 'baepo-sha256': createHash('sha256').update('body{color:#123}\n').digest('hex') });
    }
  });

  it('HTML is uploaded only after every other file', async () => {
    const run = await sync({ concurrency: 1 });
    expect(run.exitCode, explain(run)).toBe(0);
    const order = run.stdout.split('\n').filter((line) => line.startsWith('  upload '));
    const firstHtml = order.findIndex((line) => line.includes('.html'));
    expect(firstHtml).toBeGreaterThan(0);
    expect(order.slice(firstHtml).every((line) => line.includes('.html'))).toBe(true);
  });

  it('a resync after touching every file uploads nothing and only lists + reads the manifest', async () => {
    expect((await sync({})).exitCode).toBe(0);
    const future = new Date(Date.now() + 3600_000);
    for (const key of Object.keys(viteSite())) utimesSync(join(source, key), future, future);
    const run = await sync({});
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.outputs).toMatchObject({
      uploaded: '0',
      updated: '0',
      deleted: '0',
      unchanged: '9',
      'uploaded-bytes': '0',
      'changed-keys': '[]',
    });
    expect(proxy.counts()).toEqual({ ListObjectsV2: 1, GetObject: 1 });
  });

  it('a bucket last synced by an earlier baepo (MD5 manifest) is recognised without uploads or HEADs, then recorded as SHA-256', async () => {
    expect((await sync({})).exitCode).toBe(0);
    const current = JSON.parse(await body(MANIFEST)) as { version: number; objects: Record<string, Record<string, string>> };
    expect(current.version).toBe(2);
    const md5Of = (key: string) =>
      createHash('md5')
        .update(viteSite()[key] as string)
        .digest('hex');
    const sha256Of = (key: string) =>
      createHash('sha256')
        .update(viteSite()[key] as string)
        .digest('hex');
    expect(Object.fromEntries(Object.entries(current.objects).map(([key, entry]) => [key, entry.sha256]))).toEqual(
      Object.fromEntries(Object.keys(viteSite()).map((key) => [key, sha256Of(key)])),
    );
    const v1 = {
      version: 1,
      objects: Object.fromEntries(
        Object.entries(current.objects).map(([key, { sha256: _, ...entry }]) => [key, { ...entry, md5: md5Of(key) }]),
      ),
    };
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: MANIFEST, Body: JSON.stringify(v1), ContentType: 'application/json' }));

    const upgraded = await sync({});
    expect(upgraded.exitCode, explain(upgraded)).toBe(0);
    expect(upgraded.outputs).toMatchObject({ uploaded: '0', updated: '0', unchanged: '9' });
    expect(proxy.counts()).toEqual({ ListObjectsV2: 1, GetObject: 1, PutObject: 1 });
    expect(JSON.parse(await body(MANIFEST))).toEqual(current);

    const steady = await sync({});
    expect(steady.outputs).toMatchObject({ uploaded: '0', unchanged: '9' });
    expect(proxy.counts()).toEqual({ ListObjectsV2: 1, GetObject: 1 });
  });

  it('one changed file of the same size is the only upload', async () => {
    expect((await sync({})).exitCode).toBe(0);
    writeFileSync(join(source, 'assets/index-3f2a1b.js'), 'console.log("app v2");\n');
    const run = await sync({});
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.outputs).toMatchObject({ uploaded: '1', unchanged: '8', 'changed-keys': '["assets/index-3f2a1b.js"]' });
    expect(proxy.counts()).toMatchObject({ PutObject: 2 });
    expect(await body('assets/index-3f2a1b.js')).toBe('console.log("app v2");\n');
  });

  it('a cache-control rule change updates headers by copy, without uploading content', async () => {
    expect((await sync({})).exitCode).toBe(0);
    const run = await sync({ 'cache-control': '**/*.html=no-cache, must-revalidate\nassets/**=public, max-age=31536000, immutable' });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.outputs).toMatchObject({ uploaded: '0', updated: '3', unchanged: '6', 'uploaded-bytes': '0' });
    // 3 copies, and the only PutObject is the manifest (a few hundred bytes): no site content travelled.
    expect(proxy.counts()).toMatchObject({ CopyObject: 3, PutObject: 1 });
    expect(proxy.counts().HeadObject).toBeUndefined();
    const state = await bucketState(s3, bucket);
    for (const key of ['index.html', 'about/index.html', 'docs/guide/index.html']) {
      expect(state.get(key)).toMatchObject({ cacheControl: 'no-cache, must-revalidate', contentType: 'text/html; charset=utf-8' });
    }
    expect(await body('about/index.html')).toBe(viteSite()['about/index.html']);
    const again = await sync({ 'cache-control': '**/*.html=no-cache, must-revalidate\nassets/**=public, max-age=31536000, immutable' });
    expect(again.outputs).toMatchObject({ updated: '0', unchanged: '9' });
  });

  it("after the SDK's first PutObject, small files go as direct PUTs that land exactly as the SDK's do", async () => {
    const awkward = { 'assets/a b+c(1)!.js': 'x()', 'docs/한글/index.html': '<h1>한글</h1>', "files/it's ~50%.txt": 'pct' };
    writeSite(source, awkward);
    const site: Record<string, string> = { ...viteSite(), ...awkward };
    const inputs = { concurrency: 1, sse: 'AES256', 'storage-class': 'STANDARD_IA' };
    const run = await sync(inputs);
    expect(run.exitCode, explain(run)).toBe(0);
    // One upload at a time: the first goes through the SDK (and shows how), every later one direct.
    expect(run.stdout).toContain(`::debug::Direct PUTs sent: ${Object.keys(site).length - 1}\n`);
    const state = await bucketState(s3, bucket);
    expect([...state.keys()].sort()).toEqual([...Object.keys(site), MANIFEST].sort());
    for (const [key, content] of Object.entries(site)) {
      const sha256 = createHash('sha256').update(content).digest();
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(head, key).toMatchObject({
        ContentLength: Buffer.byteLength(content),
        // fauxqs keeps neither SSE nor the storage class, whoever uploads (emulator gap); moto keeps both.
        ...(server === 'moto' ? { ServerSideEncryption: 'AES256', StorageClass: 'STANDARD_IA' } : {}),
        Metadata: { 'baepo-sha256': sha256.toString('hex') },
      });
      if (server === 'fauxqs') expect(head.ChecksumSHA256, key).toBe(sha256.toString('base64'));
      expect(await body(key)).toBe(content);
    }
    expect(state.get('assets/a b+c(1)!.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(state.get('docs/한글/index.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    const again = await sync(inputs);
    expect(again.outputs, explain(again)).toMatchObject({ uploaded: '0', updated: '0', unchanged: String(Object.keys(site).length) });
    // The listing, awkward keys included, was read by baepo's parser: the SDK's read no page.
    expect(again.stdout).toContain(`::debug::Listed ${Object.keys(site).length + 1} objects in 1 pages\n`);
  });

  it('a site of several listing pages is listed in parallel ranges, one request a page, and resynced with no upload', async () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`pages/${String(i).padStart(4, '0')}.txt`, `${i}`]));
    writeSite(source, many);
    const files = Object.keys(viteSite()).length + 1000;
    const first = await sync({ concurrency: 32 });
    expect(first.outputs, explain(first)).toMatchObject({ uploaded: String(files) });
    const listed = new Map((await listedObjects(s3, bucket)).map(({ key, size }) => [key, size]));
    expect(listed.size).toBe(files + 1);
    for (const [key, content] of Object.entries(many)) expect(listed.get(key), key).toBe(content.length);
    const again = await sync({});
    expect(again.outputs, explain(again)).toMatchObject({ uploaded: '0', updated: '0', deleted: '0', unchanged: String(files) });
    // 1,010 objects: two ranges listed at once, split at the 1,000th expected key.
    expect(proxy.counts()).toEqual({ ListObjectsV2: 2, GetObject: 1 });
    expect(again.stdout).toContain(`::debug::Listed ${files + 1} objects in 2 pages\n`);
  });

  it('a throttled direct PUT is retried through the SDK; a refused one is redone by the SDK, which then takes over', async () => {
    // The SDK marks its own requests with amz-sdk-invocation-id; direct PUTs carry no such header.
    const direct = (req: IncomingMessage, operation: string) =>
      operation === 'PutObject' && req.headers['amz-sdk-invocation-id'] === undefined;
    let throttled = 0;
    proxy.fail((req, operation) =>
      direct(req, operation) && throttled++ < 2
        ? { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }
        : undefined,
    );
    const run = await sync({ concurrency: 1 }).finally(() => proxy.fail(undefined));
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.stdout.match(/Retrying upload of \S+ after attempt 1: Please reduce your request rate\./g)).toHaveLength(2);
    expect(run.stdout).toContain('::debug::Direct PUTs sent: 8\n');
    const contents = async () => Object.fromEntries(await Promise.all(Object.keys(viteSite()).map(async (key) => [key, await body(key)])));
    expect(await contents()).toEqual(viteSite());

    bucket = await newBucket(s3);
    proxy.fail((req, operation) => (direct(req, operation) ? { status: 400, code: 'InvalidRequest', message: 'injected' } : undefined));
    const refused = await sync({ concurrency: 1 }).finally(() => proxy.fail(undefined));
    expect(refused.exitCode, explain(refused)).toBe(0);
    expect(refused.stdout).toMatch(
      /::debug::Direct PUT of \S+ was refused \(InvalidRequest: injected\) but the SDK's succeeded: sending the rest through the SDK/,
    );
    expect(refused.stdout).toMatch(/::debug::Direct PUTs sent: 1 \(then stopped: refused \S+: InvalidRequest\)\n/);
    expect(await contents()).toEqual(viteSite());
  });

  it('adopts objects uploaded by another tool: HEAD once, no re-upload of equal content', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'robots.txt', Body: viteSite()['robots.txt'], ContentType: 'text/plain; charset=utf-8' }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'favicon.ico', Body: 'ICO', ContentType: 'text/plain' }));
    const run = await sync({});
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.outputs).toMatchObject({ uploaded: '7', updated: '1', unchanged: '1' });
    expect(proxy.counts()).toMatchObject({ HeadObject: 2, CopyObject: 1 });
    expect((await bucketState(s3, bucket)).get('favicon.ico')?.contentType).toBe('image/vnd.microsoft.icon');
  });

  it('deletes extra objects when asked, and never the manifest', async () => {
    expect((await sync({})).exitCode).toBe(0);
    unlinkSync(join(source, 'robots.txt'));
    unlinkSync(join(source, 'about/index.html'));
    const kept = await sync({});
    expect(kept.outputs.deleted).toBe('0');
    const run = await sync({ delete: true });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.outputs).toMatchObject({ deleted: '2', uploaded: '0', 'changed-keys': '["about/index.html","robots.txt"]' });
    const keys = [...(await bucketState(s3, bucket)).keys()];
    expect(keys).not.toContain('robots.txt');
    expect(keys).not.toContain('about/index.html');
    expect(keys).toContain(MANIFEST);
    expect(keys).toHaveLength(8);
  });

  it('stops before any write when deletions exceed max-delete', async () => {
    expect((await sync({})).exitCode).toBe(0);
    for (const key of ['robots.txt', 'favicon.ico', 'about/index.html', 'docs/guide/index.html', 'assets/logo.svg'])
      unlinkSync(join(source, key));
    writeFileSync(join(source, 'index.html'), 'a changed page that must not be uploaded');
    const run = await sync({ delete: true });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /would delete 5 object\(s\) under s3:\/\/.*\/ \(56% of the 9 objects there\), more than 'max-delete' 50% allows \(4\)\. Nothing was changed/,
    );
    expect(writes(proxy.counts())).toBe(0);
    expect(await body('index.html')).toBe(viteSite()['index.html']);
    expect((await bucketState(s3, bucket)).size).toBe(10);

    const byCount = await sync({ delete: true, 'max-delete': '4' });
    expect(byCount.exitCode).toBe(1);
    expect(byCount.errors[0]).toMatch(/more than 'max-delete' 4 allows/);
    const allowed = await sync({ delete: true, 'max-delete': '5' });
    expect(allowed.exitCode, explain(allowed)).toBe(0);
    expect(allowed.outputs).toMatchObject({ deleted: '5', uploaded: '1' });
  });

  it('dry-run prints the plan and writes nothing', async () => {
    expect((await sync({})).exitCode).toBe(0);
    writeFileSync(join(source, 'new.txt'), 'new');
    unlinkSync(join(source, 'robots.txt'));
    const run = await sync({
      'dry-run': true,
      delete: true,
      'cache-control': '**/*.html=no-store\nassets/**=public, max-age=31536000, immutable',
    });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.stdout).toContain('  upload new.txt (3 B, new)');
    expect(run.stdout).toContain(
      '  update headers about/index.html: [text/html; charset=utf-8; cache-control: no-cache] -> [text/html; charset=utf-8; cache-control: no-store]',
    );
    expect(run.stdout).toContain('  delete robots.txt');
    expect(run.outputs).toMatchObject({ uploaded: '1', updated: '3', deleted: '1' });
    expect(run.summary).toContain('dry run');
    expect(writes(proxy.counts())).toBe(0);
    expect([...(await bucketState(s3, bucket)).keys()]).toContain('robots.txt');
  });

  it('include/exclude choose what is published, and objects outside them are never deleted', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'legacy/old.html', Body: 'old' }));
    writeSite(source, { 'assets/index-3f2a1b.js.map': '{}', '.git/HEAD': 'ref: main', 'docs/.DS_Store': 'x' });
    const run = await sync({ include: 'assets/**\n*.html\n**/index.html', exclude: '**/*.map\n.git/**\n**/.DS_Store', delete: true });
    expect(run.exitCode, explain(run)).toBe(0);
    const keys = [...(await bucketState(s3, bucket)).keys()].sort();
    expect(keys).toEqual(
      [
        'about/index.html',
        'assets/index-3f2a1b.js',
        'assets/index-9c8d7e.css',
        'assets/logo.svg',
        'docs/guide/index.html',
        'index.html',
        'legacy/old.html',
        MANIFEST,
      ].sort(),
    );
  });

  it('default excludes skip .git and .DS_Store but publish other dotfiles', async () => {
    writeSite(source, { '.git/config': '[core]', 'assets/.DS_Store': 'x', '.nojekyll': '' });
    const run = await sync({});
    expect(run.exitCode, explain(run)).toBe(0);
    const keys = [...(await bucketState(s3, bucket)).keys()];
    expect(keys).toContain('.nojekyll');
    expect(keys).toContain('.well-known/security.txt');
    expect(keys.filter((k) => k.includes('.git/') || k.includes('.DS_Store'))).toEqual([]);
  });

  it('invalidates changed keys with nested index.html as /dir/ and /dir', async () => {
    const cloudfront = new CloudFrontClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
    });
    const id = await createDistribution(cloudfront, bucket);
    expect((await sync({ 'cloudfront-distribution-id': id, invalidate: 'none' })).outputs['invalidation-id']).toBe('');
    writeFileSync(join(source, 'docs/guide/index.html'), '<h1>guide v2</h1>');
    writeFileSync(join(source, 'index.html'), '<h1>home v2</h1>');
    const run = await sync({ 'cloudfront-distribution-id': id, 'invalidation-wait': true });
    expect(run.exitCode, explain(run)).toBe(0);
    const invalidationId = run.outputs['invalidation-id'] as string;
    expect(invalidationId).toMatch(/\S/);
    const got = await cloudfront.send(new GetInvalidationCommand({ DistributionId: id, Id: invalidationId }));
    expect([...(got.Invalidation?.InvalidationBatch?.Paths?.Items ?? [])].sort()).toEqual(
      ['/', '/docs/guide', '/docs/guide/', '/docs/guide/index.html', '/index.html'].sort(),
    );
    expect(run.summary).toContain('/docs/guide/');
  });
});
