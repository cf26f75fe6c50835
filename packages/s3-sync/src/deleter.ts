import { DeleteObjectCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { ConfigurationError } from '@baepo/action-kit';
import pLimit from 'p-limit';
import { s3Arn, s3Call } from './s3-errors.js';

/**
 * Characters an XML 1.0 document cannot hold, even as a character reference (XML 1.0, "Char"):
 * C0 controls other than tab, line feed and carriage return (the SDK writes those two as
 * `&#x0D;`/`&#x0A;`, as the S3 guide's "XML related object key constraints" asks), lone surrogates,
 * U+FFFE and U+FFFF. A key holding one cannot be named in a DeleteObjects request body.
 */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function xmlCanCarry(key: string): boolean {
  return !NOT_XML.test(key);
}

/**
 * Delete keys in batches of 1,000 (DeleteObjects); keys XML cannot carry one by one (DeleteObject,
 * the key goes in the URL), so one such key never fails a whole batch. Any per-key failure fails the
 * sync, naming the first.
 */
export async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[], signal?: AbortSignal): Promise<void> {
  const batched = keys.filter(xmlCanCarry);
  for (let start = 0; start < batched.length; start += 1000) {
    const batch = batched.slice(start, start + 1000);
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
        `${failed.length} object(s) could not be deleted; first: ${JSON.stringify(first.Key)}: ${first.Code} ${first.Message ?? ''}. ${hint}`,
      );
    }
  }
  const single = keys.filter((key) => !xmlCanCarry(key));
  const limit = pLimit(8);
  await Promise.all(
    single.map((key) =>
      limit(() =>
        s3Call({ action: 's3:DeleteObject', bucket, key }, () =>
          s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }),
        ),
      ),
    ),
  );
}
