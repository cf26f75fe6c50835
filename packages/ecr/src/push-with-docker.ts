import { ConfigurationError, type Logger } from '@baepo/action-kit';
import type { RegistryClient } from '@baepo/registry';
import type { DockerCli } from './docker-cli.js';
import type { RegistryAuth } from './registry-auth.js';

export interface DockerPushOptions {
  docker: DockerCli;
  client: RegistryClient;
  image: string;
  repository: string;
  tags: readonly string[];
  immutable: boolean;
  auth: RegistryAuth;
  logger: Logger;
}

/**
 * Push a local Docker image: log in (password on stdin), refuse to move an immutable tag, then
 * `docker tag` + `docker push` per tag. Returns the digest docker reports.
 */
export async function pushWithDocker(options: DockerPushOptions): Promise<string> {
  const { docker, client, repository, tags, logger } = options;
  const host = client.host;
  const target = `${host}/${repository}`;
  const known = (await docker.repoDigests(options.image)).filter((d) => d.startsWith(`${target}@`)).map((d) => d.slice(target.length + 1));
  await docker.login(host, options.auth.username, options.auth.password);
  const existing = await Promise.all(tags.map((tag) => client.headManifest(repository, tag)));
  if (options.immutable) {
    const moved = tags
      .map((tag, i) => ({ tag, current: existing[i] }))
      .filter((t) => t.current !== undefined && !known.includes(t.current));
    if (moved.length > 0) {
      throw new ConfigurationError(
        `The repository '${repository}' has IMMUTABLE tags and ${moved.map((t) => `tag '${t.tag}' already points at ${t.current}`).join(', ')}; ` +
          `the local image ${options.image} is ${known[0] ?? 'not that image (Docker knows no digest for it in this repository)'}. ` +
          'An immutable tag cannot be moved: push this image under a new tag (e.g. the commit SHA or the next version).',
        { input: 'tags' },
      );
    }
  }
  let digest: string | undefined;
  for (const [i, tag] of tags.entries()) {
    if (options.immutable && existing[i] !== undefined) {
      logger.info(`${target}:${tag} already points at ${existing[i]}; not pushed again.`);
      digest ??= existing[i];
      continue;
    }
    await docker.tag(options.image, `${target}:${tag}`);
    const pushed = await docker.push(`${target}:${tag}`);
    for (const line of pushed.output.trim().split('\n')) logger.info(line);
    if (digest !== undefined && pushed.digest !== digest) {
      throw new Error(`docker push gave ${target}:${tag} the digest ${pushed.digest}, but ${digest} for an earlier tag`);
    }
    digest = pushed.digest;
  }
  return digest as string;
}
