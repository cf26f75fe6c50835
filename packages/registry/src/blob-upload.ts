import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobSource } from './image.js';
import type { RegistryClient } from './registry-client.js';

export interface UploadOptions {
  /** Blobs up to this size are sent in one PUT (read into memory). */
  monolithicMax: number;
  /** Larger blobs are streamed in PATCH requests of at most this many bytes. */
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
 * Hash the chunks of `source` as they go by, whoever reads them (piped into the request or
 * read by a test transport): a 'data' listener on a paused stream sees every chunk without
 * copying it, and the stream starts flowing only when it is piped or read.
 */
function hashing(source: Readable, hash: Hash, onBytes: (n: number) => void): Readable {
  source.pause();
  source.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    onBytes(chunk.length);
  });
  return source;
}

/**
 * Upload one blob: monolithic (POST + PUT) when small, else streamed (POST + PATCH... + PUT).
 * The local bytes are hashed on the way and must match the digest before the upload is
 * committed; the digest the registry reports must match too.
 */
export async function uploadBlob(client: RegistryClient, repository: string, blob: BlobSource, options: UploadOptions): Promise<void> {
  let location = options.location ?? (await client.startUpload(repository));
  const hash = createHash('sha256');
  let reported: string;
  if (blob.size <= options.monolithicMax) {
    const bytes = await blob.read(0, blob.size);
    verify(hash.update(bytes), blob);
    reported = await client.completeUpload(repository, location, blob.digest, bytes);
  } else {
    let sent = 0;
    const count = (n: number): void => {
      sent += n;
      options.onProgress?.(sent);
    };
    for (let offset = 0; offset < blob.size; offset += options.chunkSize) {
      const length = Math.min(options.chunkSize, blob.size - offset);
      location = await client.uploadChunk(repository, location, offset, length, hashing(blob.stream(offset, length), hash, count));
    }
    verify(hash, blob);
    reported = await client.completeUpload(repository, location, blob.digest);
  }
  if (reported !== blob.digest) throw new Error(`The registry stored ${blob.digest} as ${reported}: the upload was corrupted`);
}

function verify(hash: Hash, blob: BlobSource): void {
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== blob.digest) throw new CorruptBlobError(`The local blob ${blob.digest} hashes to ${actual}: the image files are damaged`);
}
