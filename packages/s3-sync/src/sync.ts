import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Clock, ConfigurationError, formatBytes, type Logger, quote } from '@baepo/action-kit';
import pLimit from 'p-limit';
import { deleteKeys } from './deleter.js';
import type { DirectPut } from './direct-put.js';
import { type ContentHasher, type HashAlgorithm, WHOLE_FILE_MAX } from './hasher.js';
import { inspectObjects } from './inspect.js';
import { invalidate } from './invalidation.js';
import { invalidationPathOf, invalidationPaths } from './invalidation-paths.js';
import { hashToCompare, type KnownObject, keysToInspect, knownFromListing } from './knowledge.js';
import { MANIFEST_NAME, type Manifest, type ManifestEntry, parseManifest, serialiseManifest } from './manifest.js';
import { describeMaxDelete } from './max-delete.js';
import type { SyncOptions } from './options.js';
import { logPlan, printable } from './plan-log.js';
import { type Plan, type PlannedFile, planCounts, planSync } from './planner.js';
import { listRemote, type RemoteObject } from './remote-listing.js';
import { s3Call } from './s3-errors.js';
import { type LocalFile, scanSource } from './scanner.js';
import { runMixed, type Task } from './schedule.js';
import { updateHeaders, uploadFile, type WriteSettings, type Written } from './uploader.js';

export interface SyncDeps {
  /** For listing, HEAD, manifest and deletes: the SDK's adaptive retries. */
  s3: S3Client;
  /** For uploads and copies: SDK retries off, baepo retries each request with a fresh body. */
  uploadS3: S3Client;
  /** Small PUTs without the SDK's per-request work, once uploadS3 has shown how (optional). */
  direct?: DirectPut;
  cloudfront: CloudFrontClient | undefined;
  /** Content hashes (large files in worker threads); the caller closes it. */
  hasher: ContentHasher;
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
}

export interface SyncResult {
  dryRun: boolean;
  uploaded: number;
  updated: number;
  deleted: number;
  unchanged: number;
  uploadedBytes: number;
  /** Full keys (prefix included) uploaded, updated or deleted, sorted. */
  changedKeys: string[];
  invalidationId: string | undefined;
  invalidationPaths: string[];
  /** The largest uploads, for the summary. */
  largest: { key: string; size: number; reason: string }[];
  durationMs: number;
}

/** Publish `source` to `s3://bucket/prefix` by content: plan everything, check it, then write in a safe order. */
export async function syncSite(options: SyncOptions, deps: SyncDeps): Promise<SyncResult> {
  const started = deps.clock.now();
  const { bucket, prefix } = options;
  const logger = deps.logger;
  const manifestKey = prefix + MANIFEST_NAME;

  // The listing's first page goes out first; the walk (synchronous) then tells it which keys to
  // expect, so the rest of the key space is listed in parallel ranges. Hashing (large files in
  // worker threads, small ones here) runs while the listing is in flight. Only files an object of
  // the same size could match must be hashed before planning; the others are hashed by their upload.
  let walked: (keys: readonly string[]) => void = () => undefined;
  const expected = new Promise<readonly string[]>((resolve) => {
    walked = resolve;
  });
  const listingCall = s3Call({ action: 's3:ListBucket', bucket }, () => listRemote(deps.s3, bucket, prefix, expected, deps.signal));
  listingCall.catch(() => undefined);
  let local: LocalFile[] = [];
  const withheld: string[] = [];
  try {
    local = scanSource(options.source, { filter: options.filter, prefix, onWithheld: (key) => withheld.push(key) });
  } finally {
    walked([...local.map((file) => file.key), MANIFEST_NAME]);
  }
  if (local.length === 0) {
    throw new ConfigurationError(
      `Input 'source' ${quote(options.source)} has no files to publish (after 'include'/'exclude'). Refusing to sync an empty site${options.delete ? ', which would delete everything under the prefix' : ''}. Check that the build ran and that 'source' points at its output.`,
      { input: 'source' },
    );
  }
  if (local.some((file) => file.key === MANIFEST_NAME)) {
    throw new ConfigurationError(
      `'source' contains '${MANIFEST_NAME}', the name baepo reserves for its sync manifest. Rename or exclude that file.`,
      {
        input: 'source',
      },
    );
  }
  if (withheld.length) {
    logger.warning(
      `Not publishing ${withheld.length} dotenv file(s) in 'source': ${someKeys(withheld)}. They hold build-time secrets (the site job writes '.env.production.local'), so s3-sync neither uploads nor deletes them. To publish one on purpose, name it in 'include' (e.g. '.env.example'); otherwise build the site into its own directory.`,
    );
  }
  const hasher = deps.hasher;
  // SHA-256 is what baepo records: hash it ahead, while the listing is in flight.
  for (const file of local) if (file.size > WHOLE_FILE_MAX) hasher.hash(file.path, file.size, 'sha256');
  await hashWhileWaiting(local, hasher, listingCall);
  const listing = await listingCall;
  logger.debug(
    `Listed ${listing.objects.size} objects in ${listing.pages} pages${listing.sdkParsedPages ? ` (${listing.sdkParsedPages} read by the SDK's XML parser)` : ''}`,
  );
  const remote = new Map(listing.objects);
  const manifestObject = remote.get(MANIFEST_NAME);
  remote.delete(MANIFEST_NAME);
  const publicDotenv = [...remote.keys()].filter((key) => options.filter.withheld(key));
  if (publicDotenv.length) {
    logger.warning(
      `${someKeys(publicDotenv.map((key) => prefix + key))} ${publicDotenv.length === 1 ? 'is a dotenv file' : 'are dotenv files'} already in the bucket (s3://${bucket}/${prefix}), published before: s3-sync leaves dotenv files alone. Delete each one that holds secrets (aws s3 rm) and rotate those secrets.`,
    );
  }
  const manifestRead = manifestObject ? readManifest(deps, bucket, manifestKey) : Promise.resolve(undefined);
  manifestRead.catch(() => undefined);
  const comparable = local.filter((file) => remote.get(file.key)?.size === file.size);
  // Nothing else to do before planning: this thread hashes alongside the workers.
  await hashAll(hasher, comparable, 'sha256');
  const manifestText = await manifestRead;
  const manifest = parseManifest(manifestText);

  const known = knownFromListing(remote, manifest);
  // Objects without a SHA-256 record (uploaded by something else, by an earlier baepo build, or the
  // manifest is gone) are compared by MD5: their single-part ETag, or the MD5 baepo recorded.
  await hashAll(
    hasher,
    comparable.filter((file) => hashToCompare(known.get(file.key)) === 'md5'),
    'md5',
  );
  const toInspect = keysToInspect(local, remote, known);
  if (toInspect.length) {
    logger.info(`Inspecting ${toInspect.length} object(s) the manifest does not vouch for (HeadObject)...`);
    for (const [key, info] of await inspectObjects(deps.s3, bucket, prefix, toInspect, options.concurrency, deps.signal))
      known.set(key, info);
    const inspected = new Set(toInspect);
    await hashAll(
      hasher,
      comparable.filter((file) => inspected.has(file.key) && hashToCompare(known.get(file.key)) === 'md5'),
      'md5',
    );
  }
  for (const pattern of options.rules.unusedRules(local.map((file) => file.key))) {
    logger.warning(`The header rule for ${quote(pattern)} matches no file in 'source'; check the glob.`);
  }

  const plan = planSync({
    local,
    remote,
    known,
    headersFor: (key) => options.rules.headersFor(key),
    deleteScope: options.delete ? options.filter : undefined,
    maxDelete: options.maxDelete,
  });
  const { uploads, updates, uploadBytes } = planCounts(plan);
  const changedKeys = [...uploads, ...updates].map((file) => prefix + file.key).concat(plan.deletes.map((key) => prefix + key));
  const paths = invalidationTargets(options, changedKeys, logger);
  logPlan(logger, plan, { bucket, prefix, paths, dryRun: options.dryRun });

  if (plan.deleteLimit.exceeded) {
    const share = plan.existing
      ? ` (${Math.round((plan.deletes.length / plan.existing) * 100)}% of the ${plan.existing} objects there)`
      : '';
    throw new ConfigurationError(
      `Refusing to sync: it would delete ${plan.deletes.length} object(s) under s3://${bucket}/${prefix}${share}, more than 'max-delete' ${describeMaxDelete(options.maxDelete)} allows (${plan.deleteLimit.allowed}). Nothing was changed. If 'source' is right (check the build output and 'include'/'exclude'), raise 'max-delete' for this run.`,
      { input: 'max-delete' },
    );
  }

  const result = (invalidationId: string | undefined): SyncResult => ({
    dryRun: options.dryRun,
    uploaded: uploads.length,
    updated: updates.length,
    deleted: plan.deletes.length,
    unchanged: plan.unchanged.length,
    uploadedBytes: uploadBytes,
    changedKeys: [...changedKeys].sort(),
    invalidationId,
    invalidationPaths: paths,
    largest: [...uploads]
      .sort((a, b) => b.size - a.size)
      .slice(0, 10)
      .map((file) => ({ key: prefix + file.key, size: file.size, reason: file.reason })),
    durationMs: deps.clock.now() - started,
  });
  if (options.dryRun) {
    logger.info('Dry run: nothing was changed.');
    return result(undefined);
  }

  const written = await writePlan(options, deps, plan);
  const nextManifest = buildManifest(plan, written, remote, known);
  const nextText = serialiseManifest(nextManifest);
  if (nextText !== manifestText) {
    await s3Call({ action: 's3:PutObject', bucket, key: manifestKey }, () =>
      deps.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: manifestKey,
          Body: nextText,
          ContentType: 'application/json',
          CacheControl: 'no-store',
          ServerSideEncryption: options.sse,
          SSEKMSKeyId: options.kmsKey,
        }),
        { abortSignal: deps.signal },
      ),
    );
  }

  let invalidationId: string | undefined;
  if (paths.length && options.distributionId && deps.cloudfront) {
    invalidationId = await invalidate(
      { cloudfront: deps.cloudfront, clock: deps.clock, logger, signal: deps.signal },
      options.distributionId,
      paths,
      {
        wait: options.invalidationWait,
        callerReference: `baepo-s3-sync-${deps.clock.now()}-${Math.random().toString(36).slice(2, 10)}`,
      },
    );
  }
  logger.info(
    `Synced: ${uploads.length} uploaded (${formatBytes(uploadBytes)}), ${updates.length} header update(s), ${plan.deletes.length} deleted, ${plan.unchanged.length} unchanged.`,
  );
  return result(invalidationId);
}

/**
 * Hash small files while the listing is in flight, a slice at a time so its pages are handled as
 * they arrive; stop when it is in (the files no object could match are then hashed by their upload).
 */
async function hashWhileWaiting(local: readonly LocalFile[], hasher: ContentHasher, listing: Promise<unknown>): Promise<void> {
  let waiting = true;
  const stop = () => {
    waiting = false;
  };
  listing.then(stop, stop);
  const small = local.filter((file) => file.size <= WHOLE_FILE_MAX);
  for (let i = 0; i < small.length && waiting; i += 32) {
    await Promise.all(small.slice(i, i + 32).map((file) => hasher.hash(file.path, file.size, 'sha256').catch(() => undefined)));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Set `algorithm`'s hash on each file; this thread takes queued large files too rather than wait. */
async function hashAll(hasher: ContentHasher, files: readonly LocalFile[], algorithm: HashAlgorithm): Promise<void> {
  const hashed = Promise.all(
    files.map(async (file) => {
      file[algorithm] = await hasher.hash(file.path, file.size, algorithm);
    }),
  );
  if (files.some((file) => file.size > WHOLE_FILE_MAX)) await hasher.help();
  await hashed;
}

/** Up to ten quoted keys, then how many more. */
function someKeys(keys: readonly string[]): string {
  const shown = keys
    .slice(0, 10)
    .map((key) => quote(key))
    .join(', ');
  return keys.length > 10 ? `${shown} and ${keys.length - 10} more` : shown;
}

function invalidationTargets(options: SyncOptions, changedKeys: readonly string[], logger: Logger): string[] {
  if (!options.distributionId || options.invalidate === 'none' || changedKeys.length === 0) return [];
  if (options.invalidate === 'all') return ['/*'];
  for (const key of changedKeys.filter((changed) => changed.includes('*')).slice(0, 10)) {
    const path = invalidationPathOf(key);
    logger.info(
      `${quote(key)} holds '*', which CloudFront reads only as a wildcard at the end of a path: invalidating ${quote(path)} (every path that starts with ${quote(path.slice(0, -1))}) to cover it.`,
    );
  }
  return invalidationPaths(changedKeys);
}

async function readManifest(deps: SyncDeps, bucket: string, key: string): Promise<string | undefined> {
  const got = await s3Call({ action: 's3:GetObject', bucket, key }, () =>
    deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: deps.signal }),
  );
  return got.Body?.transformToString('utf8');
}

/** Uploads and header updates phase by phase (assets, then HTML), then deletions. Returns each written key's new ETag and SHA-256. */
async function writePlan(options: SyncOptions, deps: SyncDeps, plan: Plan): Promise<Map<string, Written>> {
  const settings: WriteSettings = {
    bucket: options.bucket,
    prefix: options.prefix,
    sse: options.sse,
    kmsKey: options.kmsKey,
    storageClass: options.storageClass,
    multipartThreshold: options.multipartThreshold,
    partSize: options.partSize,
  };
  const uploaderDeps = {
    s3: deps.uploadS3,
    partLimit: pLimit(Math.max(1, Math.min(options.concurrency, 8))),
    hasher: deps.hasher,
    clock: deps.clock,
    signal: deps.signal,
    onRetry: (what: string, error: unknown, attempt: number) =>
      deps.logger.info(printable(`Retrying ${what} after attempt ${attempt}: ${(error as Error).message}`)),
    direct: deps.direct,
    debug: (message: string) => deps.logger.debug(message),
  };
  const written = new Map<string, Written>();
  const task = (file: PlannedFile, heavy: boolean, fn: () => Promise<Written>): Task => ({
    heavy,
    size: file.size,
    run: async () => {
      written.set(file.key, await s3Call({ action: 's3:PutObject', bucket: options.bucket, key: options.prefix + file.key }, fn));
    },
  });
  // Streamed (large) uploads hold at most half the slots while small files remain: their bodies keep
  // the network busy while this thread spends its CPU on the many small requests.
  const heavyMax = Math.max(1, Math.floor(options.concurrency / 2));
  for (const phase of plan.phases) {
    await runMixed(
      [
        ...phase.uploads.map((file) => task(file, file.size > WHOLE_FILE_MAX, () => uploadFile(uploaderDeps, settings, file))),
        ...phase.updates.map((file) => task(file, false, () => updateHeaders(uploaderDeps, settings, file))),
      ],
      options.concurrency,
      heavyMax,
    );
  }
  if (deps.direct?.sent)
    deps.logger.debug(
      `Direct PUTs sent: ${deps.direct.sent}${deps.direct.disabledReason ? ` (then stopped: ${deps.direct.disabledReason})` : ''}`,
    );
  if (plan.deletes.length)
    await deleteKeys(
      deps.s3,
      options.bucket,
      plan.deletes.map((key) => options.prefix + key),
      deps.signal,
    );
  return written;
}

/** The manifest after the sync: every published file, plus still-trusted entries for objects this sync does not own. */
function buildManifest(
  plan: Plan,
  written: ReadonlyMap<string, Written>,
  remote: ReadonlyMap<string, RemoteObject>,
  known: ReadonlyMap<string, KnownObject>,
): Manifest {
  const objects = new Map<string, ManifestEntry>();
  const deleted = new Set(plan.deletes);
  for (const [key, info] of known) {
    if (!deleted.has(key) && remote.has(key) && (info.sha256 || info.md5) && info.headers)
      objects.set(key, { etag: info.etag, sha256: info.sha256, md5: info.md5, ...info.headers });
  }
  for (const file of plan.unchanged) objects.set(file.key, { etag: file.etag, sha256: file.sha256, md5: file.md5, ...file.headers });
  for (const phase of plan.phases) {
    for (const file of [...phase.uploads, ...phase.updates]) {
      const done = written.get(file.key);
      if (done) objects.set(file.key, { etag: done.etag, sha256: done.sha256, ...file.headers });
    }
  }
  return { version: 2, objects };
}
