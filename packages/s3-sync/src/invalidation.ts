import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { type Clock, ConfigurationError, formatDuration, type Logger, poll } from '@baepo/action-kit';
import { describeAwsError, isAccessDenied, isAwsError } from '@baepo/aws';

export interface InvalidationDeps {
  cloudfront: CloudFrontClient;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
}

const distributionArn = (id: string) => `arn:aws:cloudfront::<account-id>:distribution/${id}`;

/** Create one invalidation; with `wait`, poll until CloudFront reports it Completed (capped). */
export async function invalidate(
  deps: InvalidationDeps,
  distributionId: string,
  paths: readonly string[],
  options: { wait: boolean; callerReference: string; timeoutMs?: number },
): Promise<string> {
  // Loaded only when a distribution is given: the CloudFront client is a fifth of the bundle.
  const { CreateInvalidationCommand, GetInvalidationCommand } = await import('@aws-sdk/client-cloudfront');
  let id: string;
  try {
    const created = await deps.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: options.callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
      }),
      { abortSignal: deps.signal },
    );
    id = created.Invalidation?.Id ?? '';
  } catch (error) {
    throw translateCloudFrontError(error, distributionId, 'cloudfront:CreateInvalidation');
  }
  deps.logger.info(`CloudFront invalidation ${id} created on ${distributionId} for ${paths.length} path(s).`);
  if (!options.wait) return id;
  const result = await poll({
    interval: 5000,
    timeout: options.timeoutMs ?? 15 * 60_000,
    clock: deps.clock,
    signal: deps.signal,
    check: async () => {
      const got = await deps.cloudfront
        .send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }), { abortSignal: deps.signal })
        .catch((error: unknown) => {
          throw translateCloudFrontError(error, distributionId, 'cloudfront:GetInvalidation');
        });
      const status = got.Invalidation?.Status ?? 'unknown';
      return status === 'Completed' || status === 'COMPLETED' ? { done: true, value: status } : { done: false };
    },
  });
  if (result.status === 'timeout') {
    throw new Error(
      `CloudFront invalidation ${id} was not Completed after ${formatDuration(result.elapsed)}; the files are synced, the cache may still serve old copies.`,
    );
  }
  deps.logger.info(`CloudFront invalidation ${id} completed in ${formatDuration(result.elapsed)}.`);
  return id;
}

function translateCloudFrontError(error: unknown, distributionId: string, action: string): unknown {
  if (isAwsError(error, 'NoSuchDistribution')) {
    return new ConfigurationError(
      `CloudFront distribution '${distributionId}' does not exist; the files were synced but nothing was invalidated. Check 'cloudfront-distribution-id'.`,
      { input: 'cloudfront-distribution-id', cause: error },
    );
  }
  if (isAccessDenied(error)) {
    return new ConfigurationError(
      `Access denied: grant '${action}' on '${distributionArn(distributionId)}' to the role this job assumes; the files were synced but nothing was invalidated. (${describeAwsError(error)})`,
      { cause: error },
    );
  }
  return error;
}
