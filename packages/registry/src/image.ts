import type { Digest } from './digest.js';

/** A content-addressed blob (config or layer) that can be read in ranges. */
export interface BlobSource {
  digest: Digest;
  size: number;
  mediaType: string;
  /** Read `length` bytes from `offset`. */
  read(offset: number, length: number): Promise<Buffer>;
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
