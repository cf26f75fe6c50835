import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
import type { ObjectHeaders } from './header-rules.js';
import { partRanges, partSizeFor } from './part-size.js';
import { unquote } from './remote-listing.js';
import { isTransient } from './transient.js';

/** The metadata key holding the content MD5 (hex) of every object baepo uploads (`x-amz-meta-baepo-md5`). */
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
  clock?: Clock;
  signal?: AbortSignal;
  onRetry?: (what: string, error: unknown, attempt: number) => void;
}

export interface FileToWrite {
  key: string;
  path: string;
  size: number;
  md5: string;
  headers: ObjectHeaders;
}

const BUFFERED = 1024 * 1024;

function objectParams(settings: WriteSettings, file: FileToWrite) {
  return {
    Bucket: settings.bucket,
    Key: settings.prefix + file.key,
    ContentType: file.headers.contentType,
    CacheControl: file.headers.cacheControl,
    Metadata: { [MD5_METADATA]: file.md5 },
    ServerSideEncryption: settings.sse,
    SSEKMSKeyId: settings.kmsKey,
    StorageClass: settings.storageClass,
  } as const;
}

/** A body for one attempt: small files from memory, larger ones streamed from disk. */
async function body(path: string, start: number, length: number): Promise<Buffer | Readable> {
  if (length === 0) return Buffer.alloc(0);
  if (length <= BUFFERED && start === 0) return readFile(path);
  return createReadStream(path, { start, end: start + length - 1, highWaterMark: 1024 * 1024 });
}

/** Upload one file (single PUT below the threshold, parallel multipart above); returns the new ETag. */
export async function uploadFile(deps: UploaderDeps, settings: WriteSettings, file: FileToWrite): Promise<string> {
  if (file.size >= settings.multipartThreshold) return uploadMultipart(deps, settings, file);
  const attempt = async () => {
    const result = await deps.s3.send(
      new PutObjectCommand({
        ...objectParams(settings, file),
        Body: await body(file.path, 0, file.size),
        ContentLength: file.size,
        ContentMD5: Buffer.from(file.md5, 'hex').toString('base64'),
      }),
      { abortSignal: deps.signal },
    );
    return unquote(result.ETag ?? '');
  };
  return withRetry(deps, `upload of ${file.key}`, attempt);
}

async function uploadMultipart(deps: UploaderDeps, settings: WriteSettings, file: FileToWrite): Promise<string> {
  const key = settings.prefix + file.key;
  const created = await withRetry(deps, `start of the multipart upload of ${file.key}`, () =>
    deps.s3.send(new CreateMultipartUploadCommand(objectParams(settings, file)), { abortSignal: deps.signal }),
  );
  const uploadId = created.UploadId as string;
  try {
    const ranges = partRanges(file.size, partSizeFor(file.size, settings.partSize));
    const parts = await Promise.all(
      ranges.map((range, index) =>
        deps.partLimit(() =>
          withRetry(deps, `part ${index + 1} of ${file.key}`, async () => {
            const partBody = await body(file.path, range.start, range.length);
            const result = await deps.s3.send(
              new UploadPartCommand({
                Bucket: settings.bucket,
                Key: key,
                UploadId: uploadId,
                PartNumber: index + 1,
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
    await deps.s3.send(new AbortMultipartUploadCommand({ Bucket: settings.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}

/** Replace an object's headers in place (CopyObject onto itself, MetadataDirective REPLACE): no content is uploaded. */
export async function updateHeaders(deps: UploaderDeps, settings: WriteSettings, file: FileToWrite): Promise<string> {
  const key = settings.prefix + file.key;
  const result = await withRetry(deps, `header update of ${file.key}`, () =>
    deps.s3.send(
      new CopyObjectCommand({
        ...objectParams(settings, file),
        CopySource: `${settings.bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
        MetadataDirective: 'REPLACE',
      }),
      { abortSignal: deps.signal },
    ),
  );
  return unquote(result.CopyObjectResult?.ETag ?? '');
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
