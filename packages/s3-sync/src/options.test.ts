import { describe, expect, it } from 'vitest';
import { resolveSyncOptions, type SyncInputs } from './options.js';

const MIB = 1024 * 1024;
const base: SyncInputs = {
  source: 'dist',
  bucket: 'www.example.com',
  prefix: '/site/',
  include: [],
  exclude: ['.git/**'],
  delete: false,
  maxDelete: '50%',
  cacheControl: [],
  contentType: [],
  sse: undefined,
  kmsKey: undefined,
  storageClass: undefined,
  concurrency: 16,
  multipartThreshold: 16 * MIB,
  partSize: 16 * MIB,
  dryRun: false,
  distributionId: undefined,
  invalidate: 'changed',
  invalidationWait: false,
};

describe('resolveSyncOptions', () => {
  it('resolves the source against the workspace and normalises the prefix', () => {
    const options = resolveSyncOptions(base, '/work/repo');
    expect(options.source).toBe('/work/repo/dist');
    expect(options.prefix).toBe('site/');
    expect(options.filter.covers('.git/HEAD')).toBe(false);
  });

  it.each([
    [{ bucket: 's3://www.example.com' }, /Input 'bucket' must be a bucket name .* \(no 's3:\/\/'/],
    [{ bucket: 'bucket/path' }, /put a path in 'prefix'/],
    [{ kmsKey: 'alias/site' }, /Input 'kms-key' is only used with 'sse: aws:kms'/],
    [
      { distributionId: 'd111111abcdef8.cloudfront.net' },
      /Input 'cloudfront-distribution-id' must be a distribution ID such as 'E2QWRUHAPOMQZL'/,
    ],
    [{ partSize: 32 * MIB }, /Input 'part-size' \(33554432 bytes\) must not exceed 'multipart-threshold'/],
    [{ maxDelete: 'all' }, /Input 'max-delete' must be a number of objects/],
    [{ include: ['/abs'] }, /Input 'include' has an invalid glob "\/abs"/],
  ])('rejects %o', (change, message) => {
    expect(() => resolveSyncOptions({ ...base, ...change } as SyncInputs)).toThrow(message);
  });

  it('reports every bad input at once', () => {
    expect(() => resolveSyncOptions({ ...base, bucket: 's3://x', maxDelete: 'all' })).toThrow(
      /^2 inputs are invalid: Input 'bucket'.* Input 'max-delete'/,
    );
  });
});
