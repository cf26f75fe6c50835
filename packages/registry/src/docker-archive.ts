import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { digestOf } from './digest.js';
import { directoryTree, type FileTree, readWhole } from './file-tree.js';
import { type BlobSource, type ImageToPush, treeBlob } from './image.js';
import { DOCKER_CONFIG, DOCKER_LAYER_GZIP, DOCKER_MANIFEST } from './media-types.js';

interface SaveEntry {
  Config?: unknown;
  RepoTags?: unknown;
  Layers?: unknown;
}

const STEP = 4 * 1024 * 1024;

async function* chunks(tree: FileTree, path: string, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < size; at += STEP) yield await tree.read(path, at, Math.min(STEP, size - at));
}

/** A layer as pushed: gzip layers as they are, plain tar layers gzip-compressed (as `docker push` does) into `workDir`. */
async function layerBlob(tree: FileTree, path: string, workDir: string, index: number): Promise<BlobSource> {
  const size = await tree.size(path);
  if (size === undefined) throw new ConfigurationError(`The docker save archive ${quote(tree.label)} is incomplete: ${path} is missing.`);
  const head = size >= 2 ? await tree.read(path, 0, 2) : Buffer.alloc(0);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const hash = createHash('sha256');
    for await (const chunk of chunks(tree, path, size)) hash.update(chunk);
    return treeBlob(tree, path, `sha256:${hash.digest('hex')}`, size, DOCKER_LAYER_GZIP);
  }
  const file = join(workDir, `layer-${index}.tar.gz`);
  const hash = createHash('sha256');
  let compressed = 0;
  const gzip = createGzip();
  gzip.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    compressed += chunk.length;
  });
  await pipeline(Readable.from(chunks(tree, path, size)), gzip, createWriteStream(file));
  return treeBlob(directoryTree(workDir), `layer-${index}.tar.gz`, `sha256:${hash.digest('hex')}`, compressed, DOCKER_LAYER_GZIP);
}

function tagsOf(entry: SaveEntry): string[] {
  return Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The image in a `docker save` archive (manifest.json + config + layer tars), as a Docker
 * schema 2 manifest. Uncompressed layers are gzip-compressed into `workDir` first.
 */
export async function loadDockerArchive(tree: FileTree, imageRef: string | undefined, workDir: string): Promise<ImageToPush> {
  let entries: SaveEntry[];
  try {
    entries = JSON.parse((await readWhole(tree, 'manifest.json')).toString('utf8')) as SaveEntry[];
    if (!Array.isArray(entries)) throw new Error('not a list');
  } catch {
    throw new ConfigurationError(`${quote(tree.label)} is not a docker save archive: its manifest.json is not a list of images.`, {
      input: 'archive',
    });
  }
  const available = entries.flatMap(tagsOf);
  let entry: SaveEntry | undefined;
  if (imageRef !== undefined) {
    entry = entries.find((e) => tagsOf(e).some((t) => t === imageRef || t.endsWith(`:${imageRef}`)));
    if (!entry) {
      throw new ConfigurationError(
        `Input 'image-ref' ${quote(imageRef)} matches no image in ${quote(tree.label)}; it holds: ${available.map((t) => quote(t)).join(', ') || 'untagged images only'}.`,
        { input: 'image-ref' },
      );
    }
  } else if (entries.length === 1) {
    entry = entries[0];
  } else {
    throw new ConfigurationError(
      `The archive ${quote(tree.label)} holds ${entries.length} images; set 'image-ref' to one of: ${available.map((t) => quote(t)).join(', ')}.`,
      { input: 'image-ref' },
    );
  }
  if (!entry || typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) {
    throw new ConfigurationError(`${quote(tree.label)} is not a docker save archive: manifest.json lacks Config or Layers.`, {
      input: 'archive',
    });
  }
  const configPath = entry.Config;
  const configSize = await tree.size(configPath);
  if (configSize === undefined)
    throw new ConfigurationError(`The docker save archive ${quote(tree.label)} is incomplete: ${configPath} is missing.`);
  const configBytes = await readWhole(tree, configPath);
  const config = treeBlob(tree, configPath, digestOf(configBytes), configSize, DOCKER_CONFIG);
  const layers: BlobSource[] = [];
  for (const [i, path] of entry.Layers.entries()) layers.push(await layerBlob(tree, String(path), workDir, i));
  const manifest = {
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const unique = new Map([config, ...layers].map((b) => [b.digest, b]));
  return { root: { digest: digestOf(bytes), mediaType: DOCKER_MANIFEST, bytes }, children: [], blobs: [...unique.values()], platforms: [] };
}

/** True when the first bytes are a gzip header. */
export async function isGzipFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
