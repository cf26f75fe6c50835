import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { type RunResult, runAction } from '../../harness/run-action.js';
import { awsEnv } from '../../stack/index.js';

let buckets = 0;

/** A fresh, empty bucket for one test. */
export async function newBucket(s3: S3Client, name = 'site'): Promise<string> {
  const bucket = `${name}-${process.pid}-${++buckets}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-northeast-2' } }));
  return bucket;
}

/** Run the bundled s3-sync action with S3 (through the counting proxy) and CloudFront endpoints. */
export function runSync(
  endpoints: { s3: string; cloudfront?: string },
  inputs: Record<string, string | number | boolean | undefined>,
  workspace?: string,
): Promise<RunResult> {
  return runAction({
    action: 's3-sync',
    inputs,
    env: awsEnv({ s3: endpoints.s3, cloudfront: endpoints.cloudfront }),
    workspace,
    timeoutMs: 120_000,
  });
}

/** Write requests a run made: anything but listing, HEAD and GET. */
export function writes(counts: Record<string, number | undefined>): number {
  return Object.entries(counts)
    .filter(([operation]) => !['ListObjects', 'ListObjectsV2', 'HeadObject', 'GetObject'].includes(operation))
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
}
