import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { type Clock, ConfigurationError, formatBytes, type Logger, quote } from '@baepo/action-kit';
import { networkTimeouts } from '@baepo/aws';
import {
  currentTags,
  directoryTree,
  type ImageToPush,
  loadArchive,
  loadOciLayout,
  MountFinder,
  type PushResult,
  pushImage,
  REGISTRY_TIMEOUTS,
  RegistryClient,
  RegistryError,
  rankCandidates,
  type Transport,
  type TransportTimeouts,
} from '@baepo/registry';
import type { DockerCli } from './docker-cli.js';
import { repositoryArn } from './iam.js';
import type { EcrPushInputs } from './inputs.js';
import { pushWithDocker } from './push-with-docker.js';
import { getRegistryAuth } from './registry-auth.js';
import { resolveRegistryEndpoint } from './registry-endpoint.js';
import { translateRegistryError } from './registry-errors.js';
import { ensureRepository, listRepositories } from './repository.js';
import { type ImageSourceInput, validateInputs } from './validate.js';

export interface EcrPushDeps {
  ecr: Pick<ECRClient, 'send'>;
  region: string;
  logger: Logger;
  clock: Clock;
  /** Registers a secret with the runner before anything can log it. */
  mask: (secret: string) => void;
  /** Scratch space (decompressed archives, compressed layers). */
  workDir: string;
  /** Relative paths in inputs resolve against this directory (the workspace). */
  cwd: string;
  /** The Docker CLI when one is on PATH. */
  docker: DockerCli | undefined;
  /** Replaces node:http for the registry (tests). */
  transport?: Transport;
  signal?: AbortSignal;
  /** Blobs above this size are streamed, in PATCH requests of at most `chunkSize` bytes. */
  monolithicMax?: number;
  chunkSize?: number;
  retryDelay?: number;
}

export interface EcrPushResult {
  registry: string;
  repository: string;
  /** `<registry>/<repository>@sha256:...` */
  image: string;
  digest: string;
  imageUris: string[];
  tags: string[];
  source: string;
  createdRepository: boolean;
  loggedIn: boolean;
  /** Daemonless pushes know exactly what they sent; Docker pushes report what docker printed. */
  push: Pick<PushResult, 'pushedBytes' | 'uploaded' | 'mounted' | 'present' | 'totalBytes' | 'unchangedTags'> | undefined;
  platforms: string[];
}

async function loadImage(source: ImageSourceInput, inputs: EcrPushInputs, deps: EcrPushDeps): Promise<ImageToPush> {
  const path = resolve(deps.cwd, source.value);
  if (source.kind === 'archive') return loadArchive(path, inputs['image-ref'], deps.workDir);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ConfigurationError(
      `Input 'oci-layout' names ${quote(source.value)}, which is not a directory. Point it at the 'dest' of 'docker buildx build --output type=oci,tar=false,dest=DIR'; for a tarball use 'archive'.`,
      { input: 'oci-layout' },
    );
  }
  return loadOciLayout(directoryTree(path), inputs['image-ref']);
}

/** Push an image to ECR and return the immutable reference and what was sent. */
export async function run(inputs: EcrPushInputs, deps: EcrPushDeps): Promise<EcrPushResult> {
  const { logger } = deps;
  const { source, tags } = validateInputs(inputs);
  const repository = inputs.repository;
  if (source.kind === 'image' && !deps.docker) {
    throw new ConfigurationError(
      "Input 'image' needs the Docker CLI, which is not on PATH. Install Docker, or export the image with 'docker save' / buildx OCI output and use 'archive' or 'oci-layout'.",
      { input: 'image' },
    );
  }

  const registryId = inputs['registry-id'];
  const settings = {
    create: inputs['create-repository'],
    tagMutability: inputs['tag-mutability'],
    scanOnPush: inputs['scan-on-push'],
    encryption: inputs.encryption,
    kmsKey: inputs['kms-key'],
  };
  // Independent reads in parallel: the image, the registry token, the mount candidates. The list is
  // awaited only when something must be sent: a re-push ends on the tag checks. `background` stops
  // what is no longer needed.
  const background = new AbortController();
  const token = getRegistryAuth(deps.ecr, registryId, deps.mask); // first: every path waits for it
  const others = source.kind === 'image' ? Promise.resolve([]) : listRepositories(deps.ecr, registryId, 1000, background.signal);
  others.catch(() => undefined); // awaited below, or abandoned
  const [image, auth] = await Promise.all([source.kind === 'image' ? undefined : loadImage(source, inputs, deps), token]).catch(
    (error: unknown) => {
      background.abort();
      throw error;
    },
  );
  const endpoint = resolveRegistryEndpoint(inputs['registry-endpoint'], auth.proxyEndpoint);
  const account = registryId ?? new URL(auth.proxyEndpoint).hostname.split('.')[0] ?? '*';
  const arn = repositoryArn(deps.region, account, repository);

  const client = new RegistryClient({
    endpoint,
    credentials: auth,
    connections: inputs.concurrency,
    transport: deps.transport,
    signal: deps.signal,
    userAgent: 'baepo/1 ecr-push',
    timeouts: registryTimeouts(),
  });
  const host = client.host;
  const context = { host, repository, arn };
  const retries = { logger, clock: deps.clock, signal: deps.signal, retryDelay: deps.retryDelay };
  let digest: string;
  let push: EcrPushResult['push'];
  let loggedIn = false;
  let created = false;
  try {
    // The repository: from the list, else described or created. Started as soon as the list is in,
    // with the mount candidates probed meanwhile, while the tags are checked.
    const target = others.then(async (repositories) => {
      const mounts = new MountFinder(
        client,
        rankCandidates(
          repository,
          repositories.map((r) => r.name),
        ),
      );
      const listed = repositories.find((r) => r.name === repository);
      if (!listed && image)
        mounts.prefetch(
          repository,
          image.blobs.map((b) => b.digest),
        );
      const repo = listed ?? (await ensureRepository(deps.ecr, repository, registryId, settings, arn, background.signal));
      if (repo.created) logger.info(`Created the ECR repository '${repository}' (${inputs['tag-mutability']} tags).`);
      return { mounts, repo };
    });
    target.catch(() => undefined);
    if (image) {
      // An answer other than 404 (e.g. a registry that refuses HEAD in a missing repository) leaves
      // the tags to be checked after the repository is known, as pushImage does. A repository that
      // cannot be had (missing, not allowed) is reported as soon as that is known.
      const signal = deps.signal ? AbortSignal.any([deps.signal, background.signal]) : background.signal;
      const checked = currentTags(client, repository, tags, { ...retries, signal }).catch((error: unknown) => {
        if (error instanceof RegistryError) return undefined;
        throw error;
      });
      const existing = await Promise.race([
        checked.catch(async (error: unknown) => {
          await target; // the repository's own failure, if any, is the one to report
          throw error;
        }),
        target.then(() => checked),
      ]);
      const upToDate = existing?.every((d) => d === image.root.digest) ?? false;
      if (upToDate) background.abort();
      // Every tag already on this digest: nothing is sent, whatever the repository's settings.
      const { mounts, repo } = upToDate
        ? { mounts: new MountFinder(client, []), repo: { name: repository, immutable: false, created: false } }
        : await target;
      created = repo.created;
      logger.info(
        `Pushing ${image.root.digest} (${image.blobs.length} blobs${image.platforms.length ? `, ${image.platforms.join(', ')}` : ''}) to ${host}/${repository}.`,
      );
      const result = await pushImage({
        client,
        repository,
        image,
        tags,
        existing,
        immutable: repo.immutable,
        newRepository: repo.created,
        concurrency: inputs.concurrency,
        mounts,
        ...retries,
        monolithicMax: deps.monolithicMax,
        chunkSize: deps.chunkSize,
      });
      digest = result.digest;
      push = result;
      logger.info(
        `Pushed ${host}/${repository}@${digest}: uploaded ${result.uploaded} blobs (${formatBytes(result.pushedBytes)}), ` +
          `reused ${result.present + result.mounted} (${result.present} present, ${result.mounted} mounted); tags ${tags.join(', ')}.`,
      );
    } else {
      const { repo } = await target;
      created = repo.created;
      const docker = deps.docker as DockerCli;
      digest = await pushWithDocker({ docker, client, image: source.value, repository, tags, immutable: repo.immutable, auth, logger });
      loggedIn = true;
    }
  } catch (error) {
    throw translateRegistryError(error, context);
  } finally {
    background.abort();
    client.close();
  }
  if (inputs.login && !loggedIn && deps.docker) {
    await deps.docker.login(host, auth.username, auth.password);
    loggedIn = true;
  }
  if (loggedIn) logger.info(`Docker is logged in to ${host}.`);
  return {
    registry: host,
    repository,
    image: `${host}/${repository}@${digest}`,
    digest,
    imageUris: tags.map((tag) => `${host}/${repository}:${tag}`),
    tags,
    source: `${source.kind} ${source.value}${inputs['image-ref'] ? ` (${inputs['image-ref']})` : ''}`,
    createdRepository: created,
    loggedIn,
    push,
    platforms: image?.platforms ?? [],
  };
}

/**
 * The registry's connect and idle limits: REGISTRY_TIMEOUTS, or the BAEPO_AWS_CONNECT_TIMEOUT /
 * BAEPO_AWS_READ_TIMEOUT the user set for every AWS connection.
 */
export function registryTimeouts(env: NodeJS.ProcessEnv = process.env): TransportTimeouts {
  const set = networkTimeouts(env);
  return {
    connectMs: env.BAEPO_AWS_CONNECT_TIMEOUT ? set.connectMs : REGISTRY_TIMEOUTS.connectMs,
    idleMs: env.BAEPO_AWS_READ_TIMEOUT ? set.readMs : REGISTRY_TIMEOUTS.idleMs,
  };
}
