import { createHash } from 'node:crypto';
import type { BlobSource } from './image.js';
import type { RegistryClient } from './registry-client.js';

export interface UploadOptions {
  /** Blobs up to this size go in one PUT; larger ones in PATCH chunks of this size. */
  chunkSize: number;
  /** An upload session already opened (e.g. by a mount the registry declined). */
  location?: URL;
  onProgress?: (sent: number) => void;
}

/** Thrown when the local bytes do not hash to the digest their manifest names. */
export class CorruptBlobError extends Error {
  override readonly name = 'CorruptBlobError';
}

/**
 * Upload one blob: monolithic (POST + PUT) when it fits in one chunk, else chunked
 * (POST + PATCH... + PUT). The local bytes are hashed on the way and must match the digest;
 * the digest the registry reports must match too.
 */
export async function uploadBlob(client: RegistryClient, repository: string, blob: BlobSource, options: UploadOptions): Promise<void> {
  let location = options.location ?? (await client.startUpload(repository));
  const hash = createHash('sha256');
  let reported: string;
  if (blob.size <= options.chunkSize) {
    const bytes = await blob.read(0, blob.size);
    verify(hash.update(bytes), blob);
    reported = await client.completeUpload(repository, location, blob.digest, bytes);
  } else {
    for (let offset = 0; offset < blob.size; offset += options.chunkSize) {
      const chunk = await blob.read(offset, Math.min(options.chunkSize, blob.size - offset));
      hash.update(chunk);
      location = await client.uploadChunk(repository, location, offset, chunk);
      options.onProgress?.(offset + chunk.length);
    }
    verify(hash, blob);
    reported = await client.completeUpload(repository, location, blob.digest);
  }
  if (reported !== blob.digest) throw new Error(`The registry stored ${blob.digest} as ${reported}: the upload was corrupted`);
}

function verify(hash: ReturnType<typeof createHash>, blob: BlobSource): void {
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== blob.digest) throw new CorruptBlobError(`The local blob ${blob.digest} hashes to ${actual}: the image files are damaged`);
}
