import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain, type RunResult, runAction } from '../harness/run-action.js';
import { awsEnv, MOTO_ECR_PASSWORD, type Moto, type Registry, requireTool, startMoto, startRegistry } from '../stack/index.js';
import { type FaultProxy, startFaultProxy } from './ecr-push/fault-proxy.js';
import { dockerSaveArchive, handMadeLayout, multiPlatformLayout, umociLayout } from './ecr-push/images.js';
import { registryDigest } from './ecr-push/skopeo.js';

let moto: Moto;
let registry: Registry;
let proxy: FaultProxy;
let work: string;
let umoci: string;

beforeAll(async () => {
  requireTool('skopeo', 'apt-get install -y skopeo');
  requireTool('umoci', 'apt-get install -y umoci');
  [moto, registry] = await Promise.all([startMoto(), startRegistry()]);
  proxy = await startFaultProxy(registry.endpoint);
  work = mkdtempSync(join(tmpdir(), 'baepo-ecr-push-'));
  umoci = join(work, 'umoci');
  umociLayout(umoci, 3, 200_000);
});

afterAll(async () => {
  await Promise.all([proxy?.stop(), moto?.stop(), registry?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

beforeEach(() => proxy.reset());

const push = (inputs: Record<string, string | undefined>, env: Record<string, string | undefined> = {}): Promise<RunResult> =>
  runAction({
    action: 'ecr-push',
    inputs: { 'registry-endpoint': proxy.endpoint, 'create-repository': 'true', login: 'false', ...inputs },
    env: { ...awsEnv({ ecr: moto.endpoint }), ...env },
  });

function expectPushed(result: RunResult, repository: string, tags: string[]): string {
  expect(result.exitCode, explain(result)).toBe(0);
  const digest = result.outputs.digest as string;
  expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  for (const tag of tags) expect(registryDigest(registry.host, repository, tag)).toBe(digest);
  const host = new URL(proxy.endpoint).host;
  expect(result.outputs.registry).toBe(host);
  expect(result.outputs.image).toBe(`${host}/${repository}@${digest}`);
  expect(result.outputs['image-uris']).toBe(tags.map((t) => `${host}/${repository}:${t}`).join('\n'));
  expect(result.visibleLog).not.toContain(MOTO_ECR_PASSWORD);
  expect(result.masks).toContain(MOTO_ECR_PASSWORD);
  return digest;
}

describe('ecr-push from an OCI layout', () => {
  it('pushes a umoci image, then re-pushes with no layer bytes, then mounts it into a second repository', async () => {
    const first = await push({ repository: 'shop/api', tags: 'abc123\nlatest', 'oci-layout': umoci, 'image-ref': 'v1' });
    const digest = expectPushed(first, 'shop/api', ['abc123', 'latest']);
    expect(Number(first.outputs['pushed-bytes'])).toBeGreaterThan(600_000);
    expect(first.outputs['reused-blobs']).toBe('0');
    expect(proxy.uploadBytes()).toBe(Number(first.outputs['pushed-bytes']));
    expect(first.summary).toContain(digest.slice(0, 19));
    expect(first.summary).toContain('Uploaded');

    proxy.reset();
    const again = await push({ repository: 'shop/api', tags: 'abc123\nlatest\nv2', 'oci-layout': umoci });
    expect(expectPushed(again, 'shop/api', ['abc123', 'latest', 'v2'])).toBe(digest);
    expect(again.outputs['pushed-bytes']).toBe('0');
    expect(again.outputs['reused-blobs']).toBe('4');
    expect(proxy.uploadBytes()).toBe(0);

    proxy.reset();
    const other = await push({ repository: 'shop/api-copy', tags: 'abc123', 'oci-layout': umoci });
    expect(expectPushed(other, 'shop/api-copy', ['abc123'])).toBe(digest);
    expect(other.outputs['pushed-bytes']).toBe('0');
    expect(other.outputs['reused-blobs']).toBe('4');
    expect(proxy.uploadBytes()).toBe(0);
    expect(proxy.requests.filter((r) => r.method === 'POST' && r.path.includes('mount=')).length).toBe(4);
    expect(other.stdout).toMatch(/Mounted sha256:\w+ .* from shop\/api/);
  });

  it('pushes a multi-platform index whole: both manifests, then the index under the tag', async () => {
    const dir = join(work, 'multi');
    const made = multiPlatformLayout(dir);
    const result = await push({ repository: 'shop/multi', tags: 'v1', 'oci-layout': dir });
    expect(expectPushed(result, 'shop/multi', ['v1'])).toBe(made.digest);
    for (const child of made.children) expect(registryDigest(registry.host, 'shop/multi', child)).toBe(child);
    expect(result.summary).toContain('linux/amd64, linux/arm64');
  });

  it('refuses to move an IMMUTABLE tag, naming both digests, and treats the same digest as a no-op', async () => {
    const a = join(work, 'immutable-a');
    const b = join(work, 'immutable-b');
    const imageA = handMadeLayout(a, [1000, 2000]);
    const imageB = handMadeLayout(b, [1500]);
    const first = await push({ repository: 'shop/locked', tags: 'v1', 'oci-layout': a, 'tag-mutability': 'IMMUTABLE' });
    expectPushed(first, 'shop/locked', ['v1']);

    proxy.reset();
    const conflict = await push({ repository: 'shop/locked', tags: 'v1', 'oci-layout': b });
    expect(conflict.exitCode).toBe(1);
    expect(conflict.errors).toHaveLength(1);
    expect(conflict.errors[0]).toContain("tag 'v1' already points at " + imageA.digest);
    expect(conflict.errors[0]).toContain(`this image is ${imageB.digest}`);
    expect(conflict.errors[0]).toContain('new tag');
    expect(proxy.uploadBytes()).toBe(0);
    expect(registryDigest(registry.host, 'shop/locked', 'v1')).toBe(imageA.digest);

    const same = await push({ repository: 'shop/locked', tags: 'v1', 'oci-layout': a });
    expect(expectPushed(same, 'shop/locked', ['v1'])).toBe(imageA.digest);
    expect(same.outputs['pushed-bytes']).toBe('0');
  });

  it('survives a flaky registry: 5xx answers and connections cut mid-upload restart only the failed operation', async () => {
    const dir = join(work, 'flaky');
    const image = handMadeLayout(dir, [20 * 1024 * 1024, 3000, 4000]);
    // the repository exists already, so the tag and blob checks (HEAD) happen and can fail too
    const seed = join(work, 'flaky-seed');
    handMadeLayout(seed, [100]);
    expect((await push({ repository: 'shop/flaky', tags: 'seed', 'oci-layout': seed })).exitCode).toBe(0);
    proxy.reset();
    proxy.inject({ match: (m, p) => m === 'POST' && p.includes('/blobs/uploads/'), action: { status: 503 } });
    proxy.inject({ match: (m) => m === 'PATCH', action: { reset: true, afterBytes: 1024 * 1024 } });
    proxy.inject({ match: (m, p) => m === 'PUT' && p.includes('/blobs/uploads/'), action: { reset: true } });
    proxy.inject({ match: (m, p) => m === 'PUT' && p.includes('/manifests/'), action: { status: 502 } });
    proxy.inject({ match: (m, p) => m === 'HEAD' && p.includes('/blobs/'), action: { status: 500 } });
    const result = await push({ repository: 'shop/flaky', tags: 'v1', 'oci-layout': dir });
    expect(expectPushed(result, 'shop/flaky', ['v1'])).toBe(image.digest);
    expect(result.warnings.filter((w) => w.includes('retry')).length).toBeGreaterThanOrEqual(5);
    expect(proxy.requests.filter((r) => r.status === 'reset')).toHaveLength(2);
    expect(Number(result.outputs['pushed-bytes'])).toBeGreaterThan(20 * 1024 * 1024);
    expect(result.stdout).toMatch(/Uploading sha256:\w+/);
  });
});

describe('ecr-push from an archive', () => {
  it('pushes a docker save archive (.tar.gz) as a Docker schema 2 image, digest as the registry reports it', async () => {
    const file = dockerSaveArchive(join(work, 'save'), [5000, 7000], 'shop/api:build', true);
    const result = await push({ repository: 'shop/saved', tags: 'build-1', archive: file });
    const digest = expectPushed(result, 'shop/saved', ['build-1']);
    const raw = JSON.parse(
      execFileSync(
        'skopeo',
        ['inspect', '--raw', '--tls-verify=false', '--creds', `AWS:${MOTO_ECR_PASSWORD}`, `docker://${registry.host}/shop/saved@${digest}`],
        {
          encoding: 'utf8',
        },
      ),
    ) as { mediaType: string; layers: unknown[] };
    expect(raw.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(raw.layers).toHaveLength(2);
    const again = await push({ repository: 'shop/saved', tags: 'build-1', archive: file });
    expect(expectPushed(again, 'shop/saved', ['build-1'])).toBe(digest);
  });

  it('pushes an OCI archive (a tarred layout)', async () => {
    const dir = join(work, 'oci-archive');
    const image = handMadeLayout(dir, [2500, 3500], 'release');
    const file = join(work, 'oci-archive.tar');
    execFileSync('tar', ['-C', dir, '-cf', file, '.']);
    const result = await push({ repository: 'shop/oci-archive', tags: 'r1', archive: file, 'image-ref': 'release' });
    expect(expectPushed(result, 'shop/oci-archive', ['r1'])).toBe(image.digest);
  });
});
