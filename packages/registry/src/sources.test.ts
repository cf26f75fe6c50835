import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSaveArchive, handMadeLayout, multiPlatformLayout } from '../../../test/e2e/ecr-push/images.js';
import { loadArchive } from './archive.js';
import { digestOf } from './digest.js';
import { directoryTree } from './file-tree.js';
import { DOCKER_LAYER_GZIP, DOCKER_MANIFEST, OCI_INDEX } from './media-types.js';
import { loadOciLayout } from './oci-layout.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'baepo-registry-unit-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('OCI layouts', () => {
  it('loads a single image: manifest bytes as stored, config and layers', async () => {
    const dir = join(work, 'single');
    const { digest } = handMadeLayout(dir, [100, 200]);
    const image = await loadOciLayout(directoryTree(dir), undefined);
    expect(image.root.digest).toBe(digest);
    expect(digestOf(image.root.bytes)).toBe(digest);
    expect(image.children).toEqual([]);
    expect(image.blobs).toHaveLength(3);
    for (const blob of image.blobs) expect(digestOf(await blob.read(0, blob.size))).toBe(blob.digest);
  });

  it('loads a multi-platform index with its manifests and platforms', async () => {
    const dir = join(work, 'multi');
    const made = multiPlatformLayout(dir);
    const image = await loadOciLayout(directoryTree(dir), 'multi');
    expect(image.root.digest).toBe(made.digest);
    expect(image.root.mediaType).toBe(OCI_INDEX);
    expect(image.children.map((c) => c.digest)).toEqual(made.children);
    expect(image.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(image.blobs).toHaveLength(5);
  });

  it('lists the names it holds when image-ref matches nothing', async () => {
    const dir = join(work, 'named');
    handMadeLayout(dir, [10], 'release');
    await expect(loadOciLayout(directoryTree(dir), 'nope')).rejects.toThrow(/matches no image .* it holds: "release"/);
  });

  it('refuses a blob whose bytes do not match its digest', async () => {
    const dir = join(work, 'damaged');
    const { digest } = handMadeLayout(dir, [10]);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), '{}');
    await expect(loadOciLayout(directoryTree(dir), undefined)).rejects.toThrow(/is damaged/);
  });
});

describe('archives', () => {
  it('reads an OCI archive, gzip-compressed, through the tar index', async () => {
    const dir = join(work, 'oci');
    const { digest } = handMadeLayout(dir, [300]);
    const tar = execFileSync('tar', ['-C', dir, '-cf', '-', '.']);
    const file = join(work, 'oci.tar.gz');
    writeFileSync(file, gzipSync(tar));
    const scratch = mkdtempSync(join(work, 'scratch-'));
    const image = await loadArchive(file, undefined, scratch);
    expect(image.root.digest).toBe(digest);
    for (const blob of image.blobs) expect(digestOf(await blob.read(0, blob.size))).toBe(blob.digest);
  });

  it('turns a docker save archive into a schema 2 manifest with gzip layers whose digests are stable', async () => {
    const file = dockerSaveArchive(join(work, 'save'), [1000, 2000], 'shop/api:build');
    const first = await loadArchive(file, 'build', mkdtempSync(join(work, 'scratch-')));
    const second = await loadArchive(file, undefined, mkdtempSync(join(work, 'scratch-')));
    expect(first.root.mediaType).toBe(DOCKER_MANIFEST);
    expect(second.root.digest).toBe(first.root.digest);
    const manifest = JSON.parse(first.root.bytes.toString()) as { layers: { mediaType: string; digest: string }[] };
    expect(manifest.layers.map((l) => l.mediaType)).toEqual([DOCKER_LAYER_GZIP, DOCKER_LAYER_GZIP]);
    for (const blob of first.blobs) {
      const bytes = await blob.read(0, blob.size);
      expect(digestOf(bytes)).toBe(blob.digest);
      const chunks: Buffer[] = [];
      for await (const chunk of blob.stream(0, blob.size)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    }
    await expect(loadArchive(file, 'other', work)).rejects.toThrow(/matches no image .* "shop\/api:build"/);
  });
});
