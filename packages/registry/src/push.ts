import { type Clock, ConfigurationError, type Logger, retry } from '@baepo/action-kit';
import pLimit from 'p-limit';
import { CorruptBlobError, uploadBlob } from './blob-upload.js';
import { shortDigest } from './digest.js';
import type { BlobSource, ImageToPush } from './image.js';
import type { MountFinder } from './mount-finder.js';
import { progressLogger } from './progress.js';
import type { RegistryClient } from './registry-client.js';
import { isTransient } from './registry-error.js';

/** How registry operations are retried. */
export interface RetryOptions {
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** Attempts per registry operation (blob uploads restart from their first byte). */
  attempts?: number;
  /** Delay before the first retry, in ms. */
  retryDelay?: number;
}

export interface PushOptions extends RetryOptions {
  client: RegistryClient;
  repository: string;
  image: ImageToPush;
  tags: readonly string[];
  /** The digest each tag points at now (see currentTags), when the caller has checked already. */
  existing?: readonly (string | undefined)[];
  /** The repository refuses to move a tag (ECR IMMUTABLE): a tag on another digest is an error. */
  immutable: boolean;
  /** The repository was created just now: no tag or blob can be there, so skip those checks. */
  newRepository?: boolean;
  concurrency: number;
  mounts: MountFinder;
  /** Blobs up to this size go in one PUT; larger ones are streamed (and log progress). Default 8 MiB. */
  monolithicMax?: number;
  /** Streamed blobs are sent in PATCH requests of at most this size. Default 512 MiB. */
  chunkSize?: number;
}

export type BlobOutcome = 'present' | 'mounted' | 'uploaded';

export interface PushResult {
  digest: string;
  /** Layer and config bytes sent (uploads only; retries not double counted). */
  pushedBytes: number;
  uploaded: number;
  mounted: number;
  present: number;
  /** Sum of the blob sizes: the image's size in the registry. */
  totalBytes: number;
  /** Tags that already pointed at this digest. */
  unchangedTags: string[];
  pushedTags: string[];
}

const MONOLITHIC_MAX = 8 * 1024 * 1024;
const CHUNK_SIZE = 512 * 1024 * 1024;

type Attempt = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

function retrying({ logger, clock, signal, attempts, retryDelay }: RetryOptions): Attempt {
  return (what, fn) =>
    retry(fn, {
      attempts: attempts ?? 5,
      initialDelay: retryDelay ?? 500,
      retryable: isTransient,
      clock,
      signal,
      onRetry: (error, n, delay) => logger.warning(`${what}: ${(error as Error).message}; retry ${n} in ${delay} ms.`),
    });
}

/** The digest each tag points at in the repository (undefined: no such tag, or no such repository). */
export function currentTags(
  client: RegistryClient,
  repository: string,
  tags: readonly string[],
  options: RetryOptions,
): Promise<(string | undefined)[]> {
  const attempt = retrying(options);
  return Promise.all(tags.map((tag) => attempt(`Checking tag ${tag}`, () => client.headManifest(repository, tag))));
}

/**
 * Push an image: check the tags first (an immutable tag elsewhere fails before any byte is
 * sent), then each blob (HEAD, else mount, else upload; in parallel), child manifests, and
 * the root under each tag. Transient errors retry the failed operation only.
 */
export async function pushImage(options: PushOptions): Promise<PushResult> {
  const { client, repository, image, tags, logger, clock } = options;
  const attempt = retrying(options);
  const digest = image.root.digest;
  const totalBytes = image.blobs.reduce((sum, b) => sum + b.size, 0);

  const existing = options.newRepository
    ? tags.map(() => undefined)
    : (options.existing ?? (await currentTags(client, repository, tags, options)));
  const unchangedTags = tags.filter((_, i) => existing[i] === digest);
  const moved = tags.map((tag, i) => ({ tag, current: existing[i] })).filter((t) => t.current !== undefined && t.current !== digest);
  if (options.immutable && moved.length > 0) {
    throw new ConfigurationError(
      `The repository '${repository}' has IMMUTABLE tags and ${moved
        .map((t) => `tag '${t.tag}' already points at ${t.current}`)
        .join(', ')}; this image is ${digest}. An immutable tag cannot be moved: push this image under a new tag ` +
        `(e.g. the commit SHA or the next version), or make the repository MUTABLE ` +
        `('aws ecr put-image-tag-mutability --repository-name ${repository} --image-tag-mutability MUTABLE').`,
      { input: 'tags' },
    );
  }
  if (unchangedTags.length === tags.length) {
    logger.info(`${repository}: every tag already points at ${digest}; nothing to send.`);
    return { digest, pushedBytes: 0, uploaded: 0, mounted: 0, present: image.blobs.length, totalBytes, unchangedTags, pushedTags: [] };
  }

  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const monolithicMax = options.monolithicMax ?? MONOLITHIC_MAX;
  let pushedBytes = 0;
  const counts: Record<BlobOutcome, number> = { present: 0, mounted: 0, uploaded: 0 };
  const sendBlob = async (blob: BlobSource): Promise<BlobOutcome> => {
    if (
      !options.newRepository &&
      (await attempt(`Checking ${shortDigest(blob.digest)}`, () => client.headBlob(repository, blob.digest))) !== undefined
    )
      return 'present';
    const mount = await attempt(`Mounting ${shortDigest(blob.digest)}`, () => options.mounts.mount(repository, blob.digest));
    if (mount.mounted) {
      logger.info(`Mounted ${shortDigest(blob.digest)} (${blob.size} bytes) from ${mount.from}.`);
      return 'mounted';
    }
    const label = `Uploading ${shortDigest(blob.digest)}`;
    const onProgress = blob.size > monolithicMax ? progressLogger({ label, total: blob.size, logger, clock }) : undefined;
    let session = mount.location;
    await attempt(label, async () => {
      const location = session;
      session = undefined; // a retry opens a fresh session: the blob restarts from its first byte
      try {
        await uploadBlob(client, repository, blob, { monolithicMax, chunkSize, location, onProgress });
      } catch (error) {
        if (error instanceof CorruptBlobError) throw new ConfigurationError(`${error.message}. Rebuild the image and push again.`);
        throw error;
      }
    });
    pushedBytes += blob.size;
    return 'uploaded';
  };
  const limit = pLimit(Math.max(1, options.concurrency));
  const outcomes = await Promise.all(image.blobs.map((blob) => limit(() => sendBlob(blob))));
  for (const outcome of outcomes) counts[outcome]++;

  for (const child of image.children) {
    await attempt(`Pushing manifest ${shortDigest(child.digest)}`, () =>
      client.putManifest(repository, child.digest, child.mediaType, child.bytes),
    );
  }
  const pushedTags = tags.filter((tag) => !unchangedTags.includes(tag));
  for (const tag of pushedTags) {
    await attempt(`Tagging ${tag}`, () => client.putManifest(repository, tag, image.root.mediaType, image.root.bytes));
  }
  return { digest, pushedBytes, ...counts, totalBytes, unchangedTags, pushedTags };
}
