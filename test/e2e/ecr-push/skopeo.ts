import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { MOTO_ECR_PASSWORD, MOTO_ECR_USER } from '../../stack/index.js';

/** The digest of `host/repo:reference` as the registry serves it: sha256 of `skopeo inspect --raw`. */
export function registryDigest(host: string, repository: string, reference: string): string {
  const separator = reference.startsWith('sha256:') ? '@' : ':';
  const raw = execFileSync(
    'skopeo',
    [
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      `${MOTO_ECR_USER}:${MOTO_ECR_PASSWORD}`,
      `docker://${host}/${repository}${separator}${reference}`,
    ],
    { maxBuffer: 1 << 24 },
  );
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}
