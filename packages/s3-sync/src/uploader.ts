import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  type StorageClass,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type Clock, retry } from '@baepo/action-kit';
import type pLimit from 'p-limit';
import type { DirectPut } from './direct-put.js';
import { type ContentHasher, digestHex, WHOLE_FILE_MAX } from './hasher.js';
import type { ObjectHeaders } from './header-rules.js';
import { partRanges, partSizeFor } from './part-size.js';
import { unquote } from './remote-listing.js';
import { isTransient } from './transient.js';

/** The metadata key holding the content SHA-256 (hex) of every object baepo uploads (`x-amz-meta-baepo-sha256`). */
export const SHA256_METADATA = 'baepo-sha256';
/** What earlier baepo builds recorded instead: the content MD5 (hex). Still read. */
export const MD5_METADATA = 'baepo-md5';

export interface WriteSettings {
  bucket: string;
  prefix: string;
  sse: 'AES256' | 'aws:kms' | undefined;
  kmsKey: string | undefined;
  storageClass: StorageClass | undefined;
  multipartThreshold: number;
  partSize: number;
}

export interface UploaderDeps {
  /** A client whose own retries are off (maxAttempts 1): a streamed body cannot be replayed, so each attempt here opens a fresh one. */
  s3: S3Client;
  /** Limits concurrent part uploads across all multipart files. */
  partLimit: ReturnType<typeof pLimit>;
  /** Hashes streamed files not hashed yet (whole-file uploads hash the bytes they read). */
  hasher: ContentHasher;
  clock?: Clock;
  signal?: AbortSignal;
  onRetry?: (what: string, error: unknown, attempt: number) => void;
  /** Sends small whole-file PUTs without the SDK's per-request work, once it knows how (see direct-put.ts). */
  direct?: DirectPut;
  debug?: (message: string) => void;
}

export interface FileToWrite {
  key: string;
  path: string;
  size: number;
  /** Undefined when the plan did not need it: computed here. */
  sha256: string | undefined;
  headers: ObjectHeaders;
}

/** What a write left in the bucket: the object's new ETag and the content SHA-256 it holds. */
export interface Written {
  etag: string;
  sha256: string;
}

function objectParams(settings: WriteSettings, file: FileToWrite, sha256: string) {
  return {
    Bucket: settings.bucket,
    Key: settings.prefix + file.key,
    ContentType: file.headers.contentType,
    CacheControl: file.headers.cacheControl,
    Metadata: { [SHA256_METADATA]: sha256 },
    ServerSideEncryption: settings.sse,
    SSEKMSKeyId: settings.kmsKey,
    StorageClass: settings.storageClass,
  } as const;
}

/** The headers `objectParams` sets, as a direct PUT sends them. */
function directHeaders(settings: WriteSettings, file: FileToWrite, sha256: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': file.headers.contentType,
    [`x-amz-meta-${SHA256_METADATA}`]: sha256,
  };
  if (file.headers.cacheControl !== undefined) headers['cache-control'] = file.headers.cacheControl;
  if (settings.sse) headers['x-amz-server-side-encryption'] = settings.sse;
  if (settings.kmsKey) headers['x-amz-server-side-encryption-aws-kms-key-id'] = settings.kmsKey;
  if (settings.storageClass) headers['x-amz-storage-class'] = settings.storageClass;
  return headers;
}

/** A streamed body for one attempt (a stream cannot be replayed: each attempt opens its own). */
function stream(path: string, start: number, length: number): Readable {
  return createReadStream(path, { start, end: start + length - 1, highWaterMark: 1024 * 1024 });
}

/**
 * Upload one file: small files in one PUT from memory (read once, hashed from those bytes),
 * larger ones streamed in one PUT, or multipart in parallel parts from the threshold up.
 */
export async function uploadFile(deps: UploaderDeps, settings: WriteSettings, file: FileToWrite): Promise<Written> {
  // Small files are read synchronously: thousands of them cost less without a thread-pool round trip each.
  const whole = file.size <= WHOLE_FILE_MAX ? readFileSync(file.path) : undefined;
  if (whole && whole.length !== file.size)
    throw new Error(`${file.path} changed size during the sync (${file.size} -> ${whole.length} bytes)`);
  const sha256 = file.sha256 ?? (whole ? digestHex('sha256', whole) : await deps.hasher.hash(file.path, file.size, 'sha256'));
  if (file.size >= settings.multipartThreshold) return { etag: await uploadMultipart(deps, settings, file, sha256), sha256 };
  const viaSdk = async () => {
    const result = await deps.s3.send(
      new PutObjectCommand({
        ...objectParams(settings, file, sha256),
        Body: whole ?? stream(file.path, 0, file.size),
        ContentLength: file.size,
        // S3 checks the bytes it receives against this (and keeps it as the object's checksum).
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
      { abortSignal: deps.signal },
    );
    return unquote(result.ETag ?? '');
  };
  // The first attempt goes direct when it can; any later one through the SDK.
  let untried = whole && deps.direct?.readyFor(settings.bucket) ? deps.direct : undefined;
  const attempt = async () => {
    const direct = untried;
    untried = undefined;
    if (!direct || !whole) return viaSdk();
    let refused: unknown;
    try {
      return await direct.put(settings.prefix + file.key, whole, sha256, directHeaders(settings, file, sha256), deps.signal);
    } catch (error) {
      // Throttling, 5xx and dropped connections: retried (through the SDK) after the usual back-off.
      if (isTransient(error) || deps.signal?.aborted) throw error;
      refused = error;
    }
    // Anything else: the SDK sends it again and reports its error the usual way. If the SDK
    // succeeds where the direct request was refused, the direct path is wrong here: stop using it.
    const etag = await viaSdk();
    deps.debug?.(
      `Direct PUT of ${file.key} was refused (${(refused as Error).name}: ${(refused as Error).message}) but the SDK's succeeded: sending the rest through the SDK`,
    );
    direct.disable(`refused ${file.key}: ${(refused as Error).name}`);
    return etag;
  };
  return { etag: await withRetry(deps, `upload of ${file.key}`, attempt), sha256 };
}

async function uploadMultipart(deps: UploaderDeps, settings: WriteSettings, file: FileToWrite, sha256: string): Promise<string> {
  const key = settings.prefix + file.key;
  const created = await withRetry(deps, `start of the multipart upload of ${file.key}`, () =>
    deps.s3.send(new CreateMultipartUploadCommand(objectParams(settings, file, sha256)), { abortSignal: deps.signal }),
  );
  const uploadId = created.UploadId as string;
  try {
    const ranges = partRanges(file.size, partSizeFor(file.size, settings.partSize));
    const parts = await Promise.all(
      ranges.map((range, index) =>
        deps.partLimit(() =>
          withRetry(deps, `part ${index + 1} of ${file.key}`, async () => {
            const partBody = stream(file.path, range.start, range.length);
            const result = await deps.s3.send(
              new UploadPartCommand({
                Bucket: settings.bucket,
                Key: key,
                UploadId: uploadId,
                PartNumber: index + 1,
                // A streamed part carries a CRC32 the SDK computes on the way (S3 checks it).
                ChecksumAlgorithm: 'CRC32',
                Body: partBody,
                ContentLength: range.length,
              }),
              { abortSignal: deps.signal },
            );
            return { PartNumber: index + 1, ETag: result.ETag };
          }),
        ),
      ),
    );
    const done = await withRetry(deps, `completion of ${file.key}`, () =>
      deps.s3.send(
        new CompleteMultipartUploadCommand({ Bucket: settings.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
        {
          abortSignal: deps.signal,
        },
      ),
    );
    return unquote(done.ETag ?? '');
  } catch (error) {
    // Cleanup, also after a cancel (whose signal is already aborted): a few seconds at most.
    await deps.s3
      .send(new AbortMultipartUploadCommand({ Bucket: settings.bucket, Key: key, UploadId: uploadId }), {
        abortSignal: AbortSignal.timeout(5000),
      })
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Replace an object's headers in place (CopyObject onto itself, MetadataDirective REPLACE): no
 * content is uploaded. The metadata is rewritten with the content's SHA-256.
 */
export async function updateHeaders(deps: UploaderDeps, settings: WriteSettings, file: FileToWrite): Promise<Written> {
  const key = settings.prefix + file.key;
  const sha256 = file.sha256 ?? (await deps.hasher.hash(file.path, file.size, 'sha256'));
  const result = await withRetry(deps, `header update of ${file.key}`, () =>
    deps.s3.send(
      new CopyObjectCommand({
        ...objectParams(settings, file, sha256),
        CopySource: `${settings.bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
        MetadataDirective: 'REPLACE',
      }),
      { abortSignal: deps.signal },
    ),
  );
  return { etag: unquote(result.CopyObjectResult?.ETag ?? ''), sha256 };
}

function withRetry<T>(deps: UploaderDeps, what: string, fn: () => Promise<T>): Promise<T> {
  return retry(fn, {
    attempts: 6,
    initialDelay: 300,
    maxDelay: 10_000,
    retryable: (error) => isTransient(error) && !deps.signal?.aborted,
    clock: deps.clock,
    signal: deps.signal,
    onRetry: (error, attempt) => deps.onRetry?.(what, error, attempt),
  });
}
