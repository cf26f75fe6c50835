import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ConfigurationError, manualClock, memoryLogger } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { type Digest, digestOf } from './digest.js';
import type { HttpResponse, Transport } from './http-transport.js';
import type { BlobSource, ImageToPush } from './image.js';
import { OCI_MANIFEST } from './media-types.js';
import { MountFinder } from './mount-finder.js';
import { currentTags, pushImage } from './push.js';
import { RegistryClient } from './registry-client.js';

function blobOf(bytes: Buffer, digest: Digest = digestOf(bytes)): BlobSource {
  return {
    digest,
    size: bytes.length,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    read: async (o, l) => bytes.subarray(o, o + l),
    stream: (o, l) => Readable.from([bytes.subarray(o, o + Math.min(l, 1000)), bytes.subarray(o + Math.min(l, 1000), o + l)]),
  };
}

function imageOf(blobs: BlobSource[]): ImageToPush {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, layers: blobs.map((b) => b.digest) }));
  return { root: { digest: digestOf(bytes), mediaType: OCI_MANIFEST, bytes }, children: [], blobs, platforms: [] };
}

type Fault = (method: string, path: string) => number | 'reset' | undefined;

/** An in-memory OCI distribution registry behind the client's transport, with a request log and injectable faults. */
function fakeRegistry() {
  const store = new Map<string, Buffer>();
  const linked = new Map<string, Set<string>>();
  const sessions = new Map<string, Buffer[]>();
  const manifests = new Map<string, Buffer>();
  const log: string[] = [];
  const faults: Fault[] = [];
  let uploadedBytes = 0;
  let next = 0;
  const link = (repo: string, digest: string) => linked.set(repo, (linked.get(repo) ?? new Set()).add(digest));
  const has = (repo: string, digest: string) => linked.get(repo)?.has(digest) ?? false;
  const answer = (status: number, headers: Record<string, string> = {}): HttpResponse => ({
    status,
    headers,
    body: Buffer.from(status >= 200 && status < 300 ? '' : '{}'),
  });
  const transport: Transport = async ({ method, url, body: sent }) => {
    log.push(`${method} ${url.pathname}${url.search}`);
    let body: Buffer = Buffer.alloc(0);
    if (Buffer.isBuffer(sent)) body = sent;
    else if (sent) for await (const chunk of sent) body = Buffer.concat([body, chunk]);
    for (const fault of faults) {
      const hit = fault(method, url.pathname);
      if (hit === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      if (hit) return answer(hit);
    }
    if (method === 'PATCH' || method === 'PUT') uploadedBytes += url.pathname.includes('/blobs/uploads/') ? body.length : 0;
    const match = /^\/v2\/(.+)\/(blobs|manifests)\/(.*)$/.exec(url.pathname);
    if (!match) return answer(200);
    const [, repo = '', kind, rest = ''] = match;
    if (kind === 'manifests') {
      if (method === 'HEAD') {
        const found = manifests.get(`${repo}:${rest}`);
        return found ? answer(200, { 'docker-content-digest': digestOf(found) }) : answer(404);
      }
      manifests.set(`${repo}:${rest}`, body);
      return answer(201, { 'docker-content-digest': digestOf(body) });
    }
    if (method === 'HEAD') return has(repo, rest) ? answer(200, { 'content-length': String(store.get(rest)?.length) }) : answer(404);
    if (method === 'POST') {
      const mount = url.searchParams.get('mount');
      const from = url.searchParams.get('from');
      if (mount && from && has(from, mount)) {
        link(repo, mount);
        return answer(201, { 'docker-content-digest': mount });
      }
      const id = `s${next++}`;
      sessions.set(id, []);
      return answer(202, { location: `/v2/${repo}/blobs/uploads/${id}` });
    }
    const id = rest.replace('uploads/', '');
    const parts = sessions.get(id);
    if (!parts) return answer(404);
    parts.push(body);
    if (method === 'PATCH') return answer(202, { location: `/v2/${repo}/blobs/uploads/${id}` });
    const all = Buffer.concat(parts);
    const digest = digestOf(all);
    if (digest !== url.searchParams.get('digest')) return answer(400);
    store.set(digest, all);
    link(repo, digest);
    return answer(201, { 'docker-content-digest': digest });
  };
  return {
    transport,
    log,
    faults,
    has,
    manifests,
    uploadedBytes: () => uploadedBytes,
    resetLog: () => (log.length = 0),
  };
}

function setup(registry = fakeRegistry(), candidates: string[] = []) {
  const client = new RegistryClient({
    endpoint: 'http://127.0.0.1:5000',
    credentials: { username: 'AWS', password: 'secret' },
    transport: registry.transport,
  });
  const logger = memoryLogger();
  const clock = manualClock();
  const push = (repository: string, image: ImageToPush, extra: Partial<Parameters<typeof pushImage>[0]> = {}) =>
    pushImage({
      client,
      repository,
      image,
      tags: ['v1'],
      immutable: false,
      concurrency: 2,
      mounts: new MountFinder(client, candidates),
      logger,
      clock,
      ...extra,
    });
  return { registry, client, logger, clock, push };
}

describe('pushImage', () => {
  it('uploads blobs then tags; a re-push only checks the tag; another repository mounts every blob', async () => {
    const image = imageOf([blobOf(randomBytes(500)), blobOf(randomBytes(700))]);
    const { registry, push } = setup(fakeRegistry(), ['shop/api']);
    const first = await push('shop/api', image, { tags: ['v1', 'latest'] });
    expect(first).toMatchObject({ uploaded: 2, mounted: 0, present: 0, pushedBytes: 1200, pushedTags: ['v1', 'latest'] });
    expect(registry.manifests.get('shop/api:latest')?.equals(image.root.bytes)).toBe(true);

    registry.resetLog();
    const again = await push('shop/api', image, { tags: ['v1', 'latest'] });
    expect(again).toMatchObject({ uploaded: 0, pushedBytes: 0, present: 2, unchangedTags: ['v1', 'latest'] });
    expect(registry.log.every((line) => line.startsWith('HEAD /v2/shop/api/manifests/'))).toBe(true);

    const before = registry.uploadedBytes();
    const copy = await push('shop/copy', image);
    expect(copy).toMatchObject({ uploaded: 0, mounted: 2, pushedBytes: 0 });
    expect(registry.uploadedBytes()).toBe(before);
    expect(registry.log.filter((l) => l.includes('mount=')).every((l) => l.includes('from=shop%2Fapi'))).toBe(true);
  });

  it('streams large blobs in PATCH chunks and restarts only the blob whose upload failed', async () => {
    const big = blobOf(randomBytes(5000));
    const small = blobOf(randomBytes(100));
    const { registry, logger, clock, push } = setup();
    let patches = 0;
    registry.faults.push((method) => (method === 'PATCH' && ++patches === 2 ? 503 : undefined));
    let manifestResets = 0;
    registry.faults.push((method, path) => {
      if (method !== 'PUT' || !path.includes('manifests') || manifestResets > 0) return undefined;
      manifestResets++;
      return 'reset';
    });
    const result = await push('shop/big', imageOf([big, small]), { monolithicMax: 1000, chunkSize: 2048, retryDelay: 100 });
    expect(result.uploaded).toBe(2);
    expect(registry.has('shop/big', big.digest)).toBe(true);
    const bigUploads = registry.log.filter((l) => l.startsWith('PATCH'));
    expect(bigUploads.length).toBe(2 + 3); // failed at the second chunk, then all three chunks again
    expect(registry.log.filter((l) => l.startsWith('PUT /v2/shop/big/blobs/uploads/') && l.includes(small.digest.slice(7)))).toHaveLength(
      1,
    );
    expect(logger.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      expect.stringMatching(/^Uploading sha256:\w+: .*HTTP 503.*retry 1 in \d+ ms\.$/),
      expect.stringMatching(/^Tagging v1: socket hang up; retry 1/),
    ]);
    expect(clock.elapsed()).toBeGreaterThan(0);
  });

  it('refuses to move an immutable tag before sending any blob', async () => {
    const { registry, push } = setup();
    const a = imageOf([blobOf(randomBytes(10))]);
    const b = imageOf([blobOf(randomBytes(10))]);
    await push('shop/locked', a);
    registry.resetLog();
    const error = await push('shop/locked', b, { immutable: true, tags: ['v1', 'v2'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(`tag 'v1' already points at ${a.root.digest}; this image is ${b.root.digest}`);
    expect(registry.log.every((l) => l.startsWith('HEAD') && l.includes('/manifests/'))).toBe(true);
    await expect(push('shop/locked', a, { immutable: true })).resolves.toMatchObject({ unchangedTags: ['v1'] });
  });

  it('does not commit a local blob whose bytes do not match its digest', async () => {
    const { registry, push } = setup();
    const lying = blobOf(randomBytes(50), `sha256:${'0'.repeat(64)}`);
    await expect(push('shop/bad', imageOf([lying]))).rejects.toThrow(/hashes to sha256:\w+: the image files are damaged/);
    expect(registry.log.some((l) => l.startsWith('PUT'))).toBe(false);
  });

  it('skips tag and blob checks in a repository created just now, but still mounts', async () => {
    const { registry, push } = setup(fakeRegistry(), ['shop/api']);
    const image = imageOf([blobOf(randomBytes(30)), blobOf(randomBytes(40))]);
    await push('shop/api', image);
    registry.resetLog();
    await expect(push('shop/fresh', image, { newRepository: true })).resolves.toMatchObject({ mounted: 2, pushedBytes: 0 });
    expect(registry.log.filter((l) => l.startsWith('HEAD /v2/shop/fresh/'))).toEqual([]);
  });

  it('takes tags checked beforehand, and probes several mount candidates once, ahead of time', async () => {
    const { registry, client, push } = setup(fakeRegistry(), ['shop/api']);
    const image = imageOf([blobOf(randomBytes(30)), blobOf(randomBytes(40))]);
    await push('shop/api', image);
    const tags = await currentTags(client, 'shop/api', ['v1', 'v2'], { logger: memoryLogger(), clock: manualClock() });
    expect(tags).toEqual([image.root.digest, undefined]);

    registry.resetLog();
    const mounts = new MountFinder(client, ['shop/web', 'shop/api']);
    mounts.prefetch(
      'shop/new',
      image.blobs.map((b) => b.digest),
    );
    const result = await push('shop/new', image, { existing: [undefined], mounts });
    expect(result).toMatchObject({ mounted: 2, pushedBytes: 0 });
    expect(registry.log.filter((l) => l.includes('/manifests/') && l.startsWith('HEAD'))).toEqual([]);
    // each candidate probed once per blob (the prefetch is reused), then one mount from the one holding it
    expect(registry.log.filter((l) => l.startsWith('HEAD /v2/shop/web/blobs/'))).toHaveLength(2);
    expect(registry.log.filter((l) => l.startsWith('HEAD /v2/shop/api/blobs/'))).toHaveLength(2);
    expect(registry.log.filter((l) => l.includes('mount=')).every((l) => l.includes('from=shop%2Fapi'))).toBe(true);
  });

  it('falls back to an upload when a mount is refused', async () => {
    const { registry, push } = setup(fakeRegistry(), ['shop/api']);
    const image = imageOf([blobOf(randomBytes(30))]);
    await push('shop/api', image);
    registry.faults.push((method) => (method === 'POST' && registry.log.at(-1)?.includes('mount=') ? 403 : undefined));
    await expect(push('shop/other', image)).resolves.toMatchObject({ mounted: 0, uploaded: 1 });
  });

  it('does not retry a refusal (403)', async () => {
    const { registry, push } = setup();
    registry.faults.push((method) => (method === 'POST' ? 403 : undefined));
    await expect(push('shop/denied', imageOf([blobOf(randomBytes(10))]))).rejects.toThrow(/HTTP 403/);
    expect(registry.log.filter((l) => l.startsWith('POST'))).toHaveLength(1);
  });
});
