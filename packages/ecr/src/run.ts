import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { type Clock, ConfigurationError, formatBytes, type Logger, quote } from '@baepo/action-kit';
import {
  directoryTree,
  type ImageToPush,
  loadArchive,
  loadOciLayout,
  MountFinder,
  type PushResult,
  pushImage,
  RegistryClient,
  rankCandidates,
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
  fetch?: typeof fetch;
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
  // Independent reads in parallel: the image, the registry token, the mount candidates.
  const [image, auth, others] = await Promise.all([
    source.kind === 'image' ? undefined : loadImage(source, inputs, deps),
    getRegistryAuth(deps.ecr, registryId, deps.mask),
    source.kind === 'image' ? [] : listRepositories(deps.ecr, registryId),
  ]);
  const endpoint = resolveRegistryEndpoint(inputs['registry-endpoint'], auth.proxyEndpoint);
  const account = registryId ?? new URL(auth.proxyEndpoint).hostname.split('.')[0] ?? '*';
  const arn = repositoryArn(deps.region, account, repository);
  const listed = others.find((r) => r.name === repository);
  const repo =
    listed ??
    (await ensureRepository(
      deps.ecr,
      repository,
      registryId,
      {
        create: inputs['create-repository'],
        tagMutability: inputs['tag-mutability'],
        scanOnPush: inputs['scan-on-push'],
        encryption: inputs.encryption,
        kmsKey: inputs['kms-key'],
      },
      arn,
    ));
  if (repo.created) logger.info(`Created the ECR repository '${repository}' (${inputs['tag-mutability']} tags).`);

  const client = new RegistryClient({ endpoint, credentials: auth, fetch: deps.fetch, signal: deps.signal, userAgent: 'baepo/1 ecr-push' });
  const host = client.host;
  const context = { host, repository, arn };
  let digest: string;
  let push: EcrPushResult['push'];
  let loggedIn = false;
  try {
    if (image) {
      const candidates = rankCandidates(
        repository,
        others.map((r) => r.name),
      );
      logger.info(
        `Pushing ${image.root.digest} (${image.blobs.length} blobs${image.platforms.length ? `, ${image.platforms.join(', ')}` : ''}) to ${host}/${repository}.`,
      );
      const result = await pushImage({
        client,
        repository,
        image,
        tags,
        immutable: repo.immutable,
        newRepository: repo.created,
        concurrency: inputs.concurrency,
        mounts: new MountFinder(client, candidates),
        logger,
        clock: deps.clock,
        signal: deps.signal,
        monolithicMax: deps.monolithicMax,
        chunkSize: deps.chunkSize,
        retryDelay: deps.retryDelay,
      });
      digest = result.digest;
      push = result;
      logger.info(
        `Pushed ${host}/${repository}@${digest}: uploaded ${result.uploaded} blobs (${formatBytes(result.pushedBytes)}), ` +
          `reused ${result.present + result.mounted} (${result.present} present, ${result.mounted} mounted); tags ${tags.join(', ')}.`,
      );
    } else {
      const docker = deps.docker as DockerCli;
      digest = await pushWithDocker({ docker, client, image: source.value, repository, tags, immutable: repo.immutable, auth, logger });
      loggedIn = true;
    }
  } catch (error) {
    throw translateRegistryError(error, context);
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
    createdRepository: repo.created,
    loggedIn,
    push,
    platforms: image?.platforms ?? [],
  };
}
