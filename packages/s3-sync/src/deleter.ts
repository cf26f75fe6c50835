import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { ConfigurationError } from '@baepo/action-kit';
import { s3Arn, s3Call } from './s3-errors.js';

/** Delete keys in batches of 1,000 (DeleteObjects); any per-key failure fails the sync, naming the first. */
export async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[], signal?: AbortSignal): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    const batch = keys.slice(start, start + 1000);
    const result = await s3Call({ action: 's3:DeleteObject', bucket, key: batch[0] }, () =>
      s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }), {
        abortSignal: signal,
      }),
    );
    const failed = result.Errors ?? [];
    const first = failed[0];
    if (first) {
      const hint =
        first.Code === 'AccessDenied'
          ? `Grant 's3:DeleteObject' on '${s3Arn(bucket, first.Key)}' (or '${s3Arn(bucket)}/*').`
          : 'Re-run the sync; it deletes only what is still extra.';
      throw new ConfigurationError(
        `${failed.length} object(s) could not be deleted; first: '${first.Key}': ${first.Code} ${first.Message ?? ''}. ${hint}`,
      );
    }
  }
}
