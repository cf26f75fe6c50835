import { coreLogger, envInputReader, parseInputs, runAction, setOutputs, systemClock, writeSummary } from '@baepo/action-kit';
import { resolveRegion } from '@baepo/aws';
import { ContentHasher, resolveSyncOptions, syncClients, syncSite, syncSummary } from '@baepo/s3-sync';
import { inputs } from './interface.js';

await runAction(async ({ signal }) => {
  const given = parseInputs(inputs, envInputReader());
  const options = resolveSyncOptions(
    {
      source: given.source,
      bucket: given.bucket,
      prefix: given.prefix,
      include: given.include,
      exclude: given.exclude,
      delete: given.delete,
      maxDelete: given['max-delete'],
      cacheControl: given['cache-control'],
      contentType: given['content-type'],
      sse: given.sse,
      kmsKey: given['kms-key'],
      storageClass: given['storage-class'],
      concurrency: given.concurrency,
      multipartThreshold: given['multipart-threshold'],
      partSize: given['part-size'],
      dryRun: given['dry-run'],
      distributionId: given['cloudfront-distribution-id'],
      invalidate: given.invalidate,
      invalidationWait: given['invalidation-wait'],
    },
    process.env.GITHUB_WORKSPACE,
  );
  const region = resolveRegion(given['aws-region']);
  const clients = await syncClients(region, options.concurrency, options.distributionId !== undefined);
  const hasher = new ContentHasher();
  const result = await syncSite(options, { ...clients, hasher, logger: coreLogger, clock: systemClock, signal }).finally(() =>
    hasher.close(),
  );
  setOutputs({
    uploaded: result.uploaded,
    updated: result.updated,
    deleted: result.deleted,
    unchanged: result.unchanged,
    'uploaded-bytes': result.uploadedBytes,
    'changed-keys': JSON.stringify(result.changedKeys),
    'invalidation-id': result.invalidationId ?? '',
  });
  await writeSummary(syncSummary(result, `s3://${options.bucket}/${options.prefix}`));
});
