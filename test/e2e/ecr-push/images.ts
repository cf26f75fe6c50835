import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string };
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A tar of files with fixed metadata, as image builders write layers. */
export function tarOf(files: Record<string, Buffer>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'baepo-layer-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return execFileSync('tar', ['-C', dir, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '.'], {
      maxBuffer: 1 << 30,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Write a blob into an OCI layout and return its descriptor. */
export function writeBlob(layout: string, mediaType: string, bytes: Buffer, extra: Partial<Descriptor> = {}): Descriptor {
  const digest = sha256(bytes);
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { mediaType, digest, size: bytes.length, ...extra };
}

function writeIndex(layout: string, manifests: Descriptor[]): void {
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
}

/** One OCI image manifest with `layerSizes.length` random gzip layers; returns its descriptor. */
export function writeImage(layout: string, layerSizes: number[], architecture = 'amd64'): Descriptor {
  const layers = layerSizes.map((size, i) => {
    const tar = tarOf({ [`data/layer-${i}.bin`]: randomBytes(size) });
    return { tar, descriptor: writeBlob(layout, 'application/vnd.oci.image.layer.v1.tar+gzip', gzipSync(tar, { level: 1 })) };
  });
  const config = {
    architecture,
    os: 'linux',
    config: { Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l.tar)) },
  };
  const configDescriptor = writeBlob(layout, 'application/vnd.oci.image.config.v1+json', Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: configDescriptor,
    layers: layers.map((l) => l.descriptor),
  };
  return writeBlob(layout, manifest.mediaType, Buffer.from(JSON.stringify(manifest)), { platform: { os: 'linux', architecture } });
}

/** A hand-made OCI layout holding one image named `ref`. */
export function handMadeLayout(dir: string, layerSizes: number[], ref = 'v1'): { digest: string } {
  const manifest = writeImage(dir, layerSizes);
  const { platform: _, ...descriptor } = manifest;
  writeIndex(dir, [{ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': ref } }]);
  return { digest: manifest.digest };
}

/** A multi-platform image (linux/amd64 + linux/arm64) as buildx writes it: index.json -> image index -> two manifests. */
export function multiPlatformLayout(dir: string, ref = 'multi'): { digest: string; children: string[] } {
  const amd64 = writeImage(dir, [3000, 5000], 'amd64');
  const arm64 = writeImage(dir, [4000], 'arm64');
  const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [amd64, arm64] };
  const descriptor = writeBlob(dir, index.mediaType, Buffer.from(JSON.stringify(index)), {
    annotations: { 'org.opencontainers.image.ref.name': ref },
  });
  writeIndex(dir, [descriptor]);
  return { digest: descriptor.digest, children: [amd64.digest, arm64.digest] };
}

/** An OCI layout built by umoci: `layers` layers, each inserting a random file of `size` bytes. */
export function umociLayout(dir: string, layers: number, size: number, ref = 'v1'): void {
  execFileSync('umoci', ['init', '--layout', dir]);
  execFileSync('umoci', ['new', '--image', `${dir}:${ref}`]);
  const scratch = mkdtempSync(join(tmpdir(), 'baepo-umoci-'));
  try {
    for (let i = 0; i < layers; i++) {
      const file = join(scratch, `file-${i}.bin`);
      writeFileSync(file, randomBytes(size));
      execFileSync('umoci', ['insert', '--image', `${dir}:${ref}`, file, `/data/file-${i}.bin`], { stdio: 'ignore' });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A `docker save` archive (legacy format: manifest.json, <id>/layer.tar uncompressed, config
 * JSON), optionally gzip-compressed. Returns the archive path.
 */
export function dockerSaveArchive(dir: string, layerSizes: number[], repoTag = 'shop/api:build', gzip = false): string {
  const root = join(dir, 'save');
  mkdirSync(root, { recursive: true });
  const layerTars = layerSizes.map((size, i) => tarOf({ [`app/file-${i}.bin`]: randomBytes(size) }));
  const layerPaths = layerTars.map((tar, i) => {
    const id = createHash('sha256').update(`${i}`).update(tar).digest('hex');
    mkdirSync(join(root, id));
    writeFileSync(join(root, id, 'layer.tar'), tar);
    writeFileSync(join(root, id, 'VERSION'), '1.0');
    return `${id}/layer.tar`;
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/app'] },
      rootfs: { type: 'layers', diff_ids: layerTars.map(sha256) },
    }),
  );
  const configName = `${sha256(config).slice(7)}.json`;
  writeFileSync(join(root, configName), config);
  writeFileSync(join(root, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [repoTag], Layers: layerPaths }]));
  const tar = execFileSync('tar', ['-C', root, '-cf', '-', '.'], { maxBuffer: 1 << 30 });
  const file = join(dir, gzip ? 'image.tar.gz' : 'image.tar');
  writeFileSync(file, gzip ? gzipSync(tar) : tar);
  return file;
}
