import type { Readable } from 'node:stream';
import type { Digest } from './digest.js';
import type { FileTree } from './file-tree.js';

/** A content-addressed blob (config or layer) that can be read in ranges. */
export interface BlobSource {
  digest: Digest;
  size: number;
  mediaType: string;
  /** Read `length` bytes from `offset`. */
  read(offset: number, length: number): Promise<Buffer>;
  /** Stream `length` bytes from `offset` (large uploads are streamed, not buffered). */
  stream(offset: number, length: number): Readable;
}

/** A blob stored as one file of a file tree. */
export function treeBlob(tree: FileTree, path: string, digest: Digest, size: number, mediaType: string): BlobSource {
  return { digest, size, mediaType, read: (o, l) => tree.read(path, o, l), stream: (o, l) => tree.stream(path, o, l) };
}

/** A manifest or index, exactly the bytes that are pushed (their sha256 is the digest). */
export interface ManifestBytes {
  digest: Digest;
  mediaType: string;
  bytes: Buffer;
}

/** Everything one push sends: blobs, then child manifests, then the root under each tag. */
export interface ImageToPush {
  /** What the tags point at: an image manifest or a multi-platform index. */
  root: ManifestBytes;
  /** Manifests of an index, pushed by digest before the index; empty for a single manifest. */
  children: ManifestBytes[];
  /** Config and layer blobs of every manifest, without duplicates. */
  blobs: BlobSource[];
  /** `linux/amd64`, ... for an index; empty for a single manifest without platform. */
  platforms: string[];
}
