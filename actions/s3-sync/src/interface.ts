import { boolean, byteSize, choice, integer, keyValues, list, text } from '@baepo/action-kit';

const MIB = 1024 * 1024;

export const inputs = {
  source: text({ required: true }),
  bucket: text({ required: true }),
  prefix: text(),
  include: list(),
  exclude: list({ default: '.git/**\n**/.DS_Store' }),
  delete: boolean({ default: false }),
  'max-delete': text({ default: '50%' }),
  'cache-control': keyValues(),
  'content-type': keyValues(),
  sse: choice(['AES256', 'aws:kms']),
  'kms-key': text(),
  'storage-class': choice(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR']),
  concurrency: integer({ default: 16, min: 1, max: 64 }),
  'multipart-threshold': byteSize({ default: '16MiB', min: 5 * MIB, max: 5 * 1024 * MIB }),
  'part-size': byteSize({ default: '8MiB', min: 5 * MIB, max: 5 * 1024 * MIB }),
  'dry-run': boolean({ default: false }),
  'cloudfront-distribution-id': text(),
  invalidate: choice(['changed', 'all', 'none'], { default: 'changed' }),
  'invalidation-wait': boolean({ default: false }),
  'aws-region': text(),
};

export const outputs = [
  'uploaded',
  'updated',
  'deleted',
  'unchanged',
  'uploaded-bytes',
  'changed-keys',
  'changed-keys-omitted',
  'invalidation-id',
] as const;
