import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFrontClient, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain } from '../harness/run-action.js';
import { createDistribution, type Fauxqs, type Moto, startFauxqs, startMoto } from '../stack/index.js';
import { directClient, listedObjects } from './s3-sync/bucket.js';
import { type CountingProxy, startCountingProxy } from './s3-sync/counting-proxy.js';
import { viteSite, writeSite } from './s3-sync/site.js';
import { newBucket, runSync, writes } from './s3-sync/sync-env.js';

// Object keys and files a hostile (or careless) repository or bucket holds (issue 15, items 3, 4, 8, 9, 10).
const MANIFEST = '.baepo-sync-manifest.json';
const DB_PASSWORD = 'pw-Zq8!dotenv-never-public';

let moto: Moto;
let fauxqs: Fauxqs;
beforeAll(async () => {
  [moto, fauxqs] = await Promise.all([startMoto(), startFauxqs()]);
});
afterAll(async () => {
  await Promise.all([moto?.stop(), fauxqs?.stop()]);
});

describe.each(['moto', 'fauxqs'] as const)('s3-sync with hostile keys against %s', (server) => {
  let proxy: CountingProxy;
  let s3: S3Client;
  let source: string;
  let bucket: string;
  const sync = async (inputs: Record<string, string | boolean | number | undefined>) => {
    proxy.reset();
    return runSync({ s3: proxy.endpoint, cloudfront: moto.endpoint }, { source, bucket, ...inputs });
  };
  const keys = async () => (await listedObjects(s3, bucket)).map((object) => object.key).sort();
  const put = (Key: string, Body = 'remote') => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
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
    source = mkdtempSync(join(tmpdir(), 'baepo-hostile-'));
    writeSite(source, viteSite());
    bucket = await newBucket(s3);
    return () => rmSync(source, { recursive: true, force: true });
  });

  it('never publishes dotenv files (site-dir: .), warns naming them, and never deletes a remote one', async () => {
    const secret = `DB_PASSWORD=${DB_PASSWORD}\n`;
    writeSite(source, {
      '.env.production.local': secret,
      '.env': secret,
      '.ENV.Local': secret,
      'config/.env': secret,
      'config/.env.staging': secret,
      '.envs/lib/site.py': secret,
      '.envrc': secret,
      'env.js': 'window.env = {}',
    });
    await put('old/.env.production');
    const run = await sync({ delete: true });
    expect(run.exitCode, explain(run)).toBe(0);
    const published = await keys();
    expect(published.filter((key) => /(^|\/)\.env/i.test(key))).toEqual(['old/.env.production']);
    expect(published).toContain('env.js');
    expect(run.outputs).toMatchObject({ uploaded: String(Object.keys(viteSite()).length + 1), deleted: '0' });
    expect(run.warnings.join('\n')).toMatch(/Not publishing 7 dotenv file\(s\).*"\.env".*"\.env\.production\.local".*"config\/\.env"/);
    expect(run.warnings.join('\n')).toMatch(
      /"old\/\.env\.production" is a dotenv file already in the bucket.*Delete each one that holds secrets/,
    );
    expect(run.visibleLog).not.toContain(DB_PASSWORD);

    // An include glob that names a dotenv file publishes it (a template without secrets, say).
    writeSite(source, { '.env.example': 'DB_PASSWORD=' });
    const explicit = await sync({ include: '**\n.env.example' });
    expect(explicit.exitCode, explain(explicit)).toBe(0);
    expect(await keys()).toContain('.env.example');
    expect(await keys()).not.toContain('.env');
  });

  it('records __proto__, constructor and hasOwnProperty in the manifest like any other file', async () => {
    // Object.fromEntries makes '__proto__' an own property (an object literal would set the prototype instead).
    const hostile: Record<string, string> = Object.fromEntries([
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['hasOwnProperty', 'h'],
      ['toString/valueOf', 'v'],
    ]);
    writeSite(source, hostile);
    const first = await sync({});
    expect(first.exitCode, explain(first)).toBe(0);
    const manifest = JSON.parse(await body(MANIFEST)) as { objects: object };
    for (const key of Object.keys(hostile)) expect(Object.hasOwn(manifest.objects, key), key).toBe(true);
    const again = await sync({});
    expect(again.outputs, explain(again)).toMatchObject({
      uploaded: '0',
      updated: '0',
      unchanged: String(Object.keys(viteSite()).length + 4),
    });
    expect(proxy.counts().HeadObject).toBeUndefined();
  });

  it('deletes keys XML 1.0 cannot carry one by one, and the rest in a batch', async () => {
    for (const key of ['c\u0001d.txt', 'e\u001ff.txt', 'tab\tkey.txt', 'plain-extra.txt']) await put(key);
    const run = await sync({ delete: true, 'max-delete': '10' });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.outputs.deleted).toBe('4');
    expect(await keys()).toEqual([...Object.keys(viteSite()), MANIFEST].sort());
    expect(proxy.counts()).toMatchObject({ DeleteObject: 2, DeleteObjects: 1 });
  });

  it.skipIf(server === 'fauxqs')('a key with a carriage return round-trips: no re-upload, never reported deleted', async () => {
    // fauxqs ignores encoding-type=url and writes the raw CR into the XML (which any XML reader turns into LF).
    // AWS returns URL-encoded keys and <EncodingType>url</EncodingType> (ListObjectsV2 API reference,
    // "EncodingType"); moto does the same. Following AWS, this case is checked against moto only.
    // (moto also refuses a PutObject whose key holds a line feed, which AWS accepts: no LF key here.)
    writeSite(source, { 'a\rb.txt': 'cr', 'sp ace+plus%2B.txt': 'enc', 'c\u0001d.txt': 'ctl' });
    await put('remote\ronly.txt');
    const first = await sync({ delete: true, 'max-delete': '10' });
    expect(first.exitCode, explain(first)).toBe(0);
    expect(first.outputs).toMatchObject({ uploaded: String(Object.keys(viteSite()).length + 3), deleted: '1' });
    expect(await keys()).not.toContain('remote\ronly.txt');
    const again = await sync({ delete: true });
    expect(again.outputs, explain(again)).toMatchObject({ uploaded: '0', updated: '0', deleted: '0' });
    expect(JSON.parse(again.outputs['changed-keys'] ?? '')).toEqual([]);
    expect(await keys()).toContain('a\rb.txt');
    expect(await body('a\rb.txt')).toBe('cr');
    // The listing went through baepo's parser (keys decoded), not the SDK's.
    expect(again.stdout).toMatch(/::debug::Listed \d+ objects in 1 pages\n/);
  });

  it('a file name never starts a log line of its own (the runner would read ::error:: there as a command)', async () => {
    writeSite(source, { '\n::error::forged.txt': 'x' });
    const run = await sync({ 'dry-run': true });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.stdout).toContain('  upload \\u000a::error::forged.txt');
  });

  it('invalidates a key holding * by widening to a trailing wildcard, and encodes what CloudFront requires', async () => {
    const cloudfront = new CloudFrontClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
    });
    const id = await createDistribution(cloudfront, bucket);
    expect((await sync({})).exitCode).toBe(0);
    writeSite(source, { 'img/st*ar.png': 'a', 'a b?c#d%e.txt': 'b', 'ü.txt': 'c', "f+g,h;i=j@k&l$m!n'o(p)~q.txt": 'd', 'end*': 'e' });
    const run = await sync({ 'cloudfront-distribution-id': id });
    expect(run.exitCode, explain(run)).toBe(0);
    const got = await cloudfront.send(new GetInvalidationCommand({ DistributionId: id, Id: run.outputs['invalidation-id'] as string }));
    const paths = [...(got.Invalidation?.InvalidationBatch?.Paths?.Items ?? [])].sort();
    // CloudFront (Developer Guide, "What you need to know when invalidating paths"): '*' only as the last
    // character; non-ASCII and RFC 1738 unsafe characters URL-encoded, no other character encoded.
    expect(paths).toEqual(['/a%20b%3Fc%23d%25e.txt', '/end*', "/f+g,h;i=j@k&l$m!n'o(p)%7Eq.txt", '/img/st*', '/%C3%BC.txt'].sort());
    for (const path of paths) expect(path.slice(0, -1), path).not.toContain('*');
    expect(run.stdout).toMatch(/"img\/st\*ar\.png" holds '\*'.*invalidating "\/img\/st\*"/);
  });

  it('keeps changed-keys under GitHub output limits: truncated with a marker, the omitted count, and a summary note', async () => {
    // Keys near S3's 1,024-byte limit: 150 of them make ~150,000 characters of JSON.
    const segment = (i: number) => `${String(i).padStart(3, '0')}-${'x'.repeat(240)}`;
    const many = Object.fromEntries(
      Array.from({ length: 150 }, (_, i) => [`${segment(i)}/${segment(i)}/${segment(i)}/${segment(i)}.txt`, `${i}`]),
    );
    writeSite(source, many);
    const run = await sync({ concurrency: 32 });
    expect(run.exitCode, explain(run)).toBe(0);
    const value = run.outputs['changed-keys'] as string;
    expect(value.length).toBeLessThanOrEqual(100_000);
    const listed = JSON.parse(value) as unknown[];
    const marker = listed.at(-1) as { truncated: boolean; omitted: number };
    const shown = listed.slice(0, -1);
    expect(marker).toEqual({ truncated: true, omitted: 159 - shown.length });
    expect(shown.every((key) => typeof key === 'string')).toBe(true);
    expect(run.outputs['changed-keys-omitted']).toBe(String(marker.omitted));
    expect(run.summary).toMatch(new RegExp(`changed-keys.*lists ${shown.length} of 159 keys.*${marker.omitted} omitted`));
    expect(writes(proxy.counts())).toBeGreaterThan(0);

    const small = await sync({});
    expect(small.outputs['changed-keys']).toBe('[]');
    expect(small.outputs['changed-keys-omitted']).toBe('0');
  });

  it('a file name that is not valid UTF-8 fails before any write, naming the file hex-escaped', async () => {
    writeFileSync(
      Buffer.concat([Buffer.from(join(source, 'assets/')), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x68, 0x74, 0x6d, 0x6c])]),
      'latin-1',
    );
    await put('assets/café.html');
    const run = await sync({ delete: true });
    expect(run.exitCode, explain(run)).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^The file name "assets\/caf\\xE9\.html" in 'source' is not valid UTF-8.*Rename it/);
    expect(run.stdout).not.toMatch(/unexpected error/i);
    expect(writes(proxy.counts())).toBe(0);
    expect(await keys()).toContain('assets/café.html');
  });
});
