import { ConfigurationError } from '@baepo/action-kit';
import { describeAwsError, isAccessDenied, isAwsError } from '@baepo/aws';

/** The IAM action a failed S3 call needed, and on what. */
export interface S3Access {
  action: string;
  bucket: string;
  /** Full object key; omitted for bucket-level actions. */
  key?: string;
}

export function s3Arn(bucket: string, key?: string): string {
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}

/** Turn a missing bucket or an access denial into a ConfigurationError that says what to fix; other errors pass through. */
export function translateS3Error(error: unknown, access: S3Access): unknown {
  if (isAwsError(error, 'NoSuchBucket')) {
    return new ConfigurationError(
      `Bucket '${access.bucket}' does not exist (or not in this account and region). Check the 'bucket' input, or create the bucket first.`,
      { input: 'bucket', cause: error },
    );
  }
  if (isAccessDenied(error)) {
    const resource = s3Arn(access.bucket, access.key);
    return new ConfigurationError(
      `Access denied: the credentials cannot ${access.action} on ${resource}. Grant '${access.action}' on '${resource}' to the role this job assumes. (${describeAwsError(error)})`,
      { cause: error },
    );
  }
  return error;
}

/** Run an S3 call and translate its failure. */
export async function s3Call<T>(access: S3Access, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateS3Error(error, access);
  }
}
