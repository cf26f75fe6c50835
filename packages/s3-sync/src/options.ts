import { resolve } from 'node:path';
import type { StorageClass } from '@aws-sdk/client-s3';
import { ConfigurationError, type KeyValue } from '@baepo/action-kit';
import { type KeyFilter, keyFilter } from './globs.js';
import { type HeaderRules, headerRules } from './header-rules.js';
import { type MaxDelete, parseMaxDelete } from './max-delete.js';
import { normalisePrefix } from './prefix.js';

export type InvalidateMode = 'changed' | 'all' | 'none';

/** The action's inputs, already typed by action-kit. */
export interface SyncInputs {
  source: string;
  bucket: string;
  prefix: string | undefined;
  include: string[];
  exclude: string[];
  delete: boolean;
  maxDelete: string;
  cacheControl: KeyValue[];
  contentType: KeyValue[];
  sse: 'AES256' | 'aws:kms' | undefined;
  kmsKey: string | undefined;
  storageClass: StorageClass | undefined;
  concurrency: number;
  multipartThreshold: number;
  partSize: number;
  dryRun: boolean;
  distributionId: string | undefined;
  invalidate: InvalidateMode;
  invalidationWait: boolean;
}

/** Everything a sync needs, validated: a bad value is found here, before any request. */
export interface SyncOptions extends Omit<SyncInputs, 'prefix' | 'maxDelete' | 'cacheControl' | 'contentType' | 'include' | 'exclude'> {
  prefix: string;
  filter: KeyFilter;
  maxDelete: MaxDelete;
  rules: HeaderRules;
}

// S3 bucket names: 3-63 chars of lowercase letters, digits, dots and hyphens (legacy names may hold uppercase and underscores).
const BUCKET = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]$/;
const DISTRIBUTION = /^[A-Z0-9]{8,20}$/;

export function resolveSyncOptions(inputs: SyncInputs, workspace: string = process.cwd()): SyncOptions {
  const problems: string[] = [];
  const check = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof ConfigurationError) problems.push(error.message);
      else throw error;
    }
  };
  let prefix = '';
  let filter: KeyFilter = keyFilter([], []);
  let maxDelete: MaxDelete = { kind: 'percent', percent: 50 };
  let rules: HeaderRules = headerRules([], []);
  if (inputs.bucket.startsWith('s3://') || inputs.bucket.includes('/') || !BUCKET.test(inputs.bucket)) {
    problems.push(
      `Input 'bucket' must be a bucket name such as 'www.example.com' (no 's3://', no path: put a path in 'prefix'); got ${JSON.stringify(inputs.bucket)}.`,
    );
  }
  check(() => {
    prefix = normalisePrefix(inputs.prefix);
  });
  check(() => {
    filter = keyFilter(inputs.include, inputs.exclude);
  });
  check(() => {
    maxDelete = parseMaxDelete(inputs.maxDelete);
  });
  check(() => {
    rules = headerRules(inputs.cacheControl, inputs.contentType);
  });
  if (inputs.kmsKey && inputs.sse !== 'aws:kms') {
    problems.push(
      `Input 'kms-key' is only used with 'sse: aws:kms'; got sse ${JSON.stringify(inputs.sse ?? '')}. Set 'sse: aws:kms' or remove 'kms-key'.`,
    );
  }
  if (inputs.distributionId !== undefined && !DISTRIBUTION.test(inputs.distributionId)) {
    problems.push(
      `Input 'cloudfront-distribution-id' must be a distribution ID such as 'E2QWRUHAPOMQZL' (not a domain name or ARN); got ${JSON.stringify(inputs.distributionId)}.`,
    );
  }
  if (inputs.partSize > inputs.multipartThreshold) {
    problems.push(
      `Input 'part-size' (${inputs.partSize} bytes) must not exceed 'multipart-threshold' (${inputs.multipartThreshold} bytes).`,
    );
  }
  if (problems.length === 1) throw new ConfigurationError(problems[0] as string);
  if (problems.length > 1) throw new ConfigurationError(`${problems.length} inputs are invalid: ${problems.join(' ')}`);
  const { include: _i, exclude: _e, cacheControl: _c, contentType: _t, ...rest } = inputs;
  return { ...rest, source: resolve(workspace, inputs.source), prefix, filter, maxDelete, rules };
}
