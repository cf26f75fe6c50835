import { ConfigurationError, quote } from '@baepo/action-kit';
import { type Digest, digestOf, isDigest } from './digest.js';
import { type FileTree, readWhole } from './file-tree.js';
import { type BlobSource, type ImageToPush, type ManifestBytes, treeBlob } from './image.js';
import { isIndexType, isManifestType, OCI_INDEX } from './media-types.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';

const blobPath = (digest: string): string => `blobs/${digest.replace(':', '/')}`;

function refsOf(descriptor: Descriptor): string[] {
  const a = descriptor.annotations ?? {};
  return [a[REF_NAME], a[CONTAINERD_NAME]].filter((r): r is string => typeof r === 'string' && r !== '');
}

function matchesRef(descriptor: Descriptor, ref: string): boolean {
  return refsOf(descriptor).some((name) => name === ref || name.endsWith(`:${ref}`) || name.endsWith(`/${ref}`));
}

function platformOf(descriptor: Descriptor): string | undefined {
  const p = descriptor.platform;
  if (!p?.os || !p.architecture || p.os === 'unknown') return undefined;
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

function parseJson(bytes: Buffer, what: string, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ConfigurationError(`${what} in ${where} is not valid JSON; the image is damaged. Rebuild it.`);
  }
}

function asDescriptor(value: unknown, what: string, where: string): Descriptor {
  const d = value as Partial<Descriptor> | undefined;
  if (!d || typeof d.mediaType !== 'string' || !isDigest(d.digest) || typeof d.size !== 'number') {
    throw new ConfigurationError(
      `${what} in ${where} is not a valid descriptor (needs mediaType, a sha256 digest and size); got ${quote(JSON.stringify(value) ?? '')}.`,
    );
  }
  return d as Descriptor;
}

/** Reads blobs of an OCI image layout (a directory or an OCI archive) and checks their digests. */
class LayoutReader {
  constructor(readonly tree: FileTree) {}

  async bytes(descriptor: Descriptor, what: string): Promise<Buffer> {
    const path = blobPath(descriptor.digest);
    const size = await this.tree.size(path);
    if (size === undefined) {
      throw new ConfigurationError(`The image in ${this.tree.label} is incomplete: ${what} ${descriptor.digest} is missing (${path}).`);
    }
    const bytes = await readWhole(this.tree, path);
    if (digestOf(bytes) !== descriptor.digest) {
      throw new ConfigurationError(`The image in ${this.tree.label} is damaged: ${path} does not match its digest. Rebuild the image.`);
    }
    return bytes;
  }

  async blob(descriptor: Descriptor, what: string): Promise<BlobSource> {
    const path = blobPath(descriptor.digest);
    const size = await this.tree.size(path);
    if (size === undefined) {
      throw new ConfigurationError(`The image in ${this.tree.label} is incomplete: ${what} ${descriptor.digest} is missing (${path}).`);
    }
    if (size !== descriptor.size) {
      throw new ConfigurationError(
        `The image in ${this.tree.label} is damaged: ${path} has ${size} bytes, its descriptor says ${descriptor.size}. Rebuild the image.`,
      );
    }
    return treeBlob(this.tree, path, descriptor.digest as Digest, size, descriptor.mediaType);
  }

  /** An image manifest and its config and layers. */
  async manifest(descriptor: Descriptor): Promise<{ manifest: ManifestBytes; blobs: BlobSource[] }> {
    const bytes = await this.bytes(descriptor, 'manifest');
    const where = this.tree.label;
    const parsed = parseJson(bytes, `Manifest ${descriptor.digest}`, where) as { config?: unknown; layers?: unknown };
    if (!Array.isArray(parsed.layers)) throw new ConfigurationError(`Manifest ${descriptor.digest} in ${where} has no layers list.`);
    const config = asDescriptor(parsed.config, `The config of manifest ${descriptor.digest}`, where);
    const blobs = [await this.blob(config, 'config')];
    for (const layer of parsed.layers) blobs.push(await this.blob(asDescriptor(layer, 'A layer', where), 'layer'));
    return { manifest: { digest: descriptor.digest as Digest, mediaType: descriptor.mediaType, bytes }, blobs };
  }
}

function uniqueBlobs(blobs: BlobSource[]): BlobSource[] {
  const seen = new Map<string, BlobSource>();
  for (const blob of blobs) if (!seen.has(blob.digest)) seen.set(blob.digest, blob);
  return [...seen.values()];
}

async function imageOf(reader: LayoutReader, root: Descriptor, childrenOfIndex?: Descriptor[]): Promise<ImageToPush> {
  if (isManifestType(root.mediaType) && !isIndexType(root.mediaType)) {
    const { manifest, blobs } = await reader.manifest(root);
    return { root: manifest, children: [], blobs: uniqueBlobs(blobs), platforms: [] };
  }
  let rootBytes: ManifestBytes;
  let manifests: Descriptor[];
  if (childrenOfIndex) {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: childrenOfIndex }));
    rootBytes = { digest: digestOf(bytes), mediaType: OCI_INDEX, bytes };
    manifests = childrenOfIndex;
  } else {
    const bytes = await reader.bytes(root, 'image index');
    const parsed = parseJson(bytes, `Image index ${root.digest}`, reader.tree.label) as { manifests?: unknown };
    if (!Array.isArray(parsed.manifests)) {
      throw new ConfigurationError(`Image index ${root.digest} in ${reader.tree.label} has no manifests list.`);
    }
    rootBytes = { digest: root.digest as Digest, mediaType: root.mediaType, bytes };
    manifests = parsed.manifests.map((m) => asDescriptor(m, 'A manifest of the index', reader.tree.label));
  }
  const children: ManifestBytes[] = [];
  const blobs: BlobSource[] = [];
  for (const child of manifests) {
    if (isIndexType(child.mediaType)) {
      throw new ConfigurationError(
        `The image in ${reader.tree.label} nests an index inside an index (${child.digest}); baepo pushes one level.`,
      );
    }
    const loaded = await reader.manifest(child);
    children.push(loaded.manifest);
    blobs.push(...loaded.blobs);
  }
  const platforms = manifests.map(platformOf).filter((p): p is string => p !== undefined);
  return { root: rootBytes, children, blobs: uniqueBlobs(blobs), platforms };
}

/**
 * The image to push from an OCI image layout (`index.json` + `blobs/`), as written by
 * `docker buildx build --output type=oci`, buildah, umoci, ko, jib or nix. `imageRef` picks one
 * entry by its `org.opencontainers.image.ref.name` annotation; entries of a layout without names
 * are pushed together as one multi-platform index.
 */
export async function loadOciLayout(tree: FileTree, imageRef: string | undefined, input = 'oci-layout'): Promise<ImageToPush> {
  if ((await tree.size('index.json')) === undefined) {
    throw new ConfigurationError(
      `${quote(tree.label)} is not an OCI image layout: it has no index.json. Point '${input}' at the directory written by ` +
        "'docker buildx build --output type=oci,tar=false,dest=DIR' (or umoci, buildah, ko, jib), or use 'archive' for a tarball.",
      { input },
    );
  }
  const index = parseJson(await readWhole(tree, 'index.json'), 'index.json', tree.label) as { manifests?: unknown };
  const entries = Array.isArray(index.manifests) ? index.manifests.map((m) => asDescriptor(m, 'An entry of index.json', tree.label)) : [];
  if (entries.length === 0) throw new ConfigurationError(`The OCI layout ${quote(tree.label)} is empty: index.json lists no image.`);
  const reader = new LayoutReader(tree);
  const named = entries.filter((e) => refsOf(e).length > 0);
  const available = [...new Set(named.flatMap(refsOf))];
  if (imageRef !== undefined) {
    const matching = entries.filter((e) => matchesRef(e, imageRef));
    if (matching.length === 0) {
      throw new ConfigurationError(
        `Input 'image-ref' ${quote(imageRef)} matches no image in ${quote(tree.label)}; ` +
          (available.length
            ? `it holds: ${available.map((r) => quote(r)).join(', ')}.`
            : 'its images have no ref names: leave image-ref empty.'),
        { input: 'image-ref' },
      );
    }
    return matching.length === 1 ? imageOf(reader, matching[0] as Descriptor) : imageOf(reader, matching[0] as Descriptor, matching);
  }
  if (entries.length === 1) return imageOf(reader, entries[0] as Descriptor);
  if (named.length === 0 && entries.every((e) => !isIndexType(e.mediaType))) return imageOf(reader, entries[0] as Descriptor, entries);
  throw new ConfigurationError(
    `The OCI layout ${quote(tree.label)} holds ${entries.length} images; set 'image-ref' to the one to push: ${available.map((r) => quote(r)).join(', ')}.`,
    { input: 'image-ref' },
  );
}
