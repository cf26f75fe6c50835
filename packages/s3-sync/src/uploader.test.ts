import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { manualClock } from '@baepo/action-kit';
import pLimit from 'p-limit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectPut } from './direct-put.js';
import { ContentHasher } from './hasher.js';
import { isTransient } from './transient.js';
import { type FileToWrite, uploadFile, type WriteSettings } from './uploader.js';

const MIB = 1024 * 1024;
const settings: WriteSettings = {
  bucket: 'b',
  prefix: 'p/',
  sse: 'AES256',
  kmsKey: undefined,
  storageClass: undefined,
  multipartThreshold: 16 * MIB,
  partSize: 5 * MIB,
};

interface Sent {
  command: string;
  input: Record<string, unknown>;
  bytes: number;
}

/** A fake S3 client: records each command and the bytes of its body; `fail` decides which attempts throw. */
function fakeS3(fail: (command: string, attempt: number) => unknown): { s3: S3Client; sent: Sent[] } {
  const sent: Sent[] = [];
  const attempts = new Map<string, number>();
  const s3 = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      const id = `${name}:${command.input.PartNumber ?? ''}`;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const body = command.input.Body;
      let bytes = 0;
      if (Buffer.isBuffer(body)) bytes = body.length;
      else if (body instanceof Readable) for await (const chunk of body) bytes += (chunk as Buffer).length;
      sent.push({ command: name, input: command.input, bytes });
      const error = fail(name, attempt);
      if (error) throw error;
      if (name === 'CreateMultipartUpload') return { UploadId: 'u1' };
      if (name === 'UploadPart') return { ETag: `"part-${command.input.PartNumber}"` };
      return { ETag: '"etag-1"' };
    },
  } as unknown as S3Client;
  return { s3, sent };
}

const slowDown = Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
let dir: string;
let hasher: ContentHasher;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baepo-upload-'));
  hasher = new ContentHasher(1);
});
afterEach(async () => {
  await hasher.close();
  rmSync(dir, { recursive: true, force: true });
});

const HASH = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function file(size: number): FileToWrite {
  const path = join(dir, 'f.bin');
  writeFileSync(path, Buffer.alloc(size, 7));
  return {
    key: 'a/f.bin',
    path,
    size,
    sha256: HASH,
    headers: { contentType: 'application/octet-stream', cacheControl: 'max-age=60' },
  };
}

describe('uploadFile', () => {
  it('puts a small file with its headers, SHA-256 metadata and x-amz-checksum-sha256', async () => {
    const { s3, sent } = fakeS3(() => undefined);
    const written = await uploadFile({ s3, partLimit: pLimit(2), hasher, clock: manualClock() }, settings, file(1000));
    expect(written).toEqual({ etag: 'etag-1', sha256: HASH });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.input).toMatchObject({
      Bucket: 'b',
      Key: 'p/a/f.bin',
      CacheControl: 'max-age=60',
      ContentLength: 1000,
      ChecksumSHA256: Buffer.from(HASH, 'hex').toString('base64'),
      Metadata: { 'baepo-sha256': HASH },
      ServerSideEncryption: 'AES256',
    });
  });

  it('hashes a file the plan did not hash: small ones from the bytes it sends, streamed ones in a worker', async () => {
    const { s3, sent } = fakeS3(() => undefined);
    const deps = { s3, partLimit: pLimit(2), hasher, clock: manualClock() };
    for (const size of [1000, 3 * MIB, 17 * MIB]) {
      const sha256 = createHash('sha256').update(Buffer.alloc(size, 7)).digest('hex');
      const written = await uploadFile(deps, settings, { ...file(size), sha256: undefined });
      expect(written.sha256).toBe(sha256);
      const first = sent.find((s) => s.command === (size >= settings.multipartThreshold ? 'CreateMultipartUpload' : 'PutObject'));
      expect(first?.input.Metadata).toEqual({ 'baepo-sha256': sha256 });
      if (first?.command === 'PutObject') expect(first.input.ChecksumSHA256).toBe(Buffer.from(sha256, 'hex').toString('base64'));
      sent.length = 0;
    }
  });

  it('retries SlowDown with a fresh streamed body each time, then gives up on a non-transient error', async () => {
    const retried: string[] = [];
    const { s3, sent } = fakeS3((_command, attempt) => (attempt <= 2 ? slowDown : undefined));
    const clock = manualClock();
    await uploadFile({ s3, partLimit: pLimit(2), hasher, clock, onRetry: (what) => retried.push(what) }, settings, file(3 * MIB));
    expect(sent.map((s) => s.bytes)).toEqual([3 * MIB, 3 * MIB, 3 * MIB]);
    expect(retried).toEqual(['upload of a/f.bin', 'upload of a/f.bin']);
    expect(clock.elapsed()).toBeGreaterThan(0);

    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const failing = fakeS3(() => denied);
    await expect(uploadFile({ s3: failing.s3, partLimit: pLimit(2), hasher, clock }, settings, file(10))).rejects.toBe(denied);
    expect(failing.sent).toHaveLength(1);
  });

  it('uploads large files in parts of the requested size, retrying a failed part alone, and aborts on failure', async () => {
    const { s3, sent } = fakeS3((command, attempt) => (command === 'UploadPart' && attempt === 1 ? slowDown : undefined));
    await uploadFile({ s3, partLimit: pLimit(2), hasher, clock: manualClock() }, settings, file(17 * MIB));
    const parts = sent.filter((s) => s.command === 'UploadPart');
    expect(parts.map((p) => [p.input.PartNumber, p.bytes]).sort()).toEqual(
      [
        [1, 5 * MIB],
        [1, 5 * MIB],
        [2, 5 * MIB],
        [2, 5 * MIB],
        [3, 5 * MIB],
        [3, 5 * MIB],
        [4, 2 * MIB],
        [4, 2 * MIB],
      ].sort(),
    );
    const complete = sent.find((s) => s.command === 'CompleteMultipartUpload');
    expect(complete?.input.MultipartUpload).toEqual({
      Parts: [1, 2, 3, 4].map((n) => ({ PartNumber: n, ETag: `"part-${n}"` })),
    });
    expect(sent.find((s) => s.command === 'CreateMultipartUpload')?.input).toMatchObject({
      Metadata: { 'baepo-sha256': HASH },
    });

    const broken = fakeS3((command) => (command === 'UploadPart' ? new Error('disk on fire') : undefined));
    await expect(
      uploadFile({ s3: broken.s3, partLimit: pLimit(2), hasher, clock: manualClock() }, settings, file(17 * MIB)),
    ).rejects.toThrow('disk on fire');
    expect(broken.sent.map((s) => s.command)).toContain('AbortMultipartUpload');
  });
});

/** A stand-in for DirectPut: ready for bucket 'b', answering each put with `outcome(attempt)`. */
function fakeDirect(outcome: (attempt: number) => Error | string) {
  const calls: { key: string; body: Buffer; sha256: string; headers: Record<string, string> }[] = [];
  let disabled: string | undefined;
  const direct = {
    readyFor: (bucket: string) => bucket === 'b' && !disabled,
    disable: (reason: string) => {
      disabled ??= reason;
    },
    put: async (key: string, body: Buffer, sha256: string, headers: Record<string, string>) => {
      calls.push({ key, body, sha256, headers });
      const result = outcome(calls.length);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { direct: direct as unknown as DirectPut, calls, disabled: () => disabled };
}

describe('uploadFile with a direct PUT path', () => {
  const withKms: WriteSettings = { ...settings, sse: 'aws:kms', kmsKey: 'alias/site', storageClass: 'STANDARD_IA' };

  it('sends a small file direct, with the headers the SDK would set, and never the SDK', async () => {
    const { s3, sent } = fakeS3(() => undefined);
    const fake = fakeDirect(() => 'direct-etag');
    const written = await uploadFile({ s3, partLimit: pLimit(2), hasher, direct: fake.direct }, withKms, file(1000));
    expect(written).toEqual({ etag: 'direct-etag', sha256: HASH });
    expect(sent).toHaveLength(0);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ key: 'p/a/f.bin', sha256: HASH });
    expect(fake.calls[0]?.body.equals(Buffer.alloc(1000, 7))).toBe(true);
    expect(fake.calls[0]?.headers).toEqual({
      'content-type': 'application/octet-stream',
      'cache-control': 'max-age=60',
      'x-amz-meta-baepo-sha256': HASH,
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'alias/site',
      'x-amz-storage-class': 'STANDARD_IA',
    });
  });

  it('leaves streamed files, multipart files and other buckets to the SDK', async () => {
    const { s3, sent } = fakeS3(() => undefined);
    const fake = fakeDirect(() => 'direct-etag');
    await uploadFile({ s3, partLimit: pLimit(2), hasher, direct: fake.direct }, settings, file(3 * MIB));
    await uploadFile({ s3, partLimit: pLimit(2), hasher, direct: fake.direct }, { ...settings, bucket: 'other' }, file(10));
    expect(fake.calls).toHaveLength(0);
    expect(sent.map((s) => s.command)).toEqual(['PutObject', 'PutObject']);
  });

  it('retries a throttled direct PUT after the back-off, through the SDK, and keeps the direct path', async () => {
    const { s3, sent } = fakeS3(() => undefined);
    const fake = fakeDirect(() => slowDown);
    const retried: string[] = [];
    const clock = manualClock();
    const written = await uploadFile(
      { s3, partLimit: pLimit(2), hasher, clock, direct: fake.direct, onRetry: (what) => retried.push(what) },
      settings,
      file(10),
    );
    expect(written.etag).toBe('etag-1');
    expect(retried).toEqual(['upload of a/f.bin']);
    expect(clock.elapsed()).toBeGreaterThan(0);
    expect(sent.map((s) => s.command)).toEqual(['PutObject']);
    expect(fake.disabled()).toBeUndefined();
  });

  it('stops using the direct path when the SDK succeeds where a direct PUT was refused', async () => {
    const { s3, sent } = fakeS3(() => undefined);
    const fake = fakeDirect(() => Object.assign(new Error('bad'), { name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } }));
    const debug: string[] = [];
    const clock = manualClock();
    const written = await uploadFile(
      { s3, partLimit: pLimit(2), hasher, clock, direct: fake.direct, debug: (m) => debug.push(m) },
      settings,
      file(10),
    );
    expect(written.etag).toBe('etag-1');
    expect(sent).toHaveLength(1);
    expect(clock.elapsed()).toBe(0);
    expect(fake.disabled()).toBe('refused a/f.bin: InvalidArgument');
    expect(debug[0]).toMatch(/^Direct PUT of a\/f.bin was refused \(InvalidArgument: bad\) but the SDK's succeeded/);
  });

  it("reports the SDK's error when both refuse, and keeps the direct path", async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const { s3, sent } = fakeS3(() => denied);
    const fake = fakeDirect(() => Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    await expect(uploadFile({ s3, partLimit: pLimit(2), hasher, direct: fake.direct }, settings, file(10))).rejects.toBe(denied);
    expect(sent).toHaveLength(1);
    expect(fake.disabled()).toBeUndefined();
  });
});

describe('isTransient', () => {
  it('retries throttling, 5xx and dropped connections only', () => {
    expect(isTransient(slowDown)).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isTransient(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }))).toBe(false);
    expect(isTransient(new Error('plain'))).toBe(false);
  });
});
