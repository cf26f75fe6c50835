import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function blob(layout: string, mediaType: string, bytes: Buffer): { mediaType: string; digest: string; size: number } {
  const digest = sha256(bytes);
  writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { mediaType, digest, size: bytes.length };
}

/** CMD/ENTRYPOINT/WORKDIR/ENV/EXPOSE from a Dockerfile, for the image config (no RUN: nothing is executed). */
function dockerfileConfig(dockerfile: string): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (!existsSync(dockerfile)) throw new Error(`docker/build-push-action stand-in: Dockerfile ${dockerfile} not found`);
  for (const line of readFileSync(dockerfile, 'utf8').split('\n')) {
    const match = /^\s*(CMD|ENTRYPOINT|WORKDIR|ENV|EXPOSE)\s+(.+)$/i.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const [instruction, rest] = [match[1].toUpperCase(), match[2].trim()];
    const list = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : ['/bin/sh', '-c', rest];
    if (instruction === 'CMD') config.Cmd = list;
    if (instruction === 'ENTRYPOINT') config.Entrypoint = list;
    if (instruction === 'WORKDIR') config.WorkingDir = rest;
    if (instruction === 'ENV') config.Env = [...((config.Env as string[]) ?? []), rest.replace(/\s+/, '=')];
    if (instruction === 'EXPOSE') config.ExposedPorts = { ...(config.ExposedPorts as object), [`${rest}/tcp`]: {} };
  }
  return config;
}

/**
 * What `docker/build-push-action` with `outputs: type=oci,tar=false,dest=DIR` leaves behind:
 * an OCI image layout whose single layer holds the build context's files
 * (reproducible: sorted, mtime 0, gzip without a timestamp). Returns the manifest digest.
 */
export function buildOciLayout(context: string, dockerfile: string, dest: string): string {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(dest, 'blobs', 'sha256'), { recursive: true });
  const tar = execFileSync(
    'tar',
    ['-C', context, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--exclude=./.git', '-cf', '-', '.'],
    { maxBuffer: 1 << 30 },
  );
  const layer = blob(dest, 'application/vnd.oci.image.layer.v1.tar+gzip', gzipSync(tar));
  const config = blob(
    dest,
    'application/vnd.oci.image.config.v1+json',
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: dockerfileConfig(dockerfile),
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      }),
    ),
  );
  const manifest = blob(
    dest,
    'application/vnd.oci.image.manifest.v1+json',
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] })),
  );
  writeFileSync(join(dest, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dest, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [manifest] }),
  );
  return manifest.digest;
}
