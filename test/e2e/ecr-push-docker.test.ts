import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, runAction } from '../harness/run-action.js';
import { awsEnv, MOTO_ECR_PASSWORD, type Moto, type Registry, requireTool, startMoto, startRegistry } from '../stack/index.js';
import { dockerStandIn } from './ecr-push/docker-standin.js';
import { handMadeLayout } from './ecr-push/images.js';
import { registryDigest } from './ecr-push/skopeo.js';

let moto: Moto;
let registry: Registry;
let work: string;
let layout: string;

beforeAll(async () => {
  requireTool('skopeo', 'apt-get install -y skopeo');
  [moto, registry] = await Promise.all([startMoto(), startRegistry()]);
  work = mkdtempSync(join(tmpdir(), 'baepo-ecr-docker-'));
  layout = join(work, 'layout');
  handMadeLayout(layout, [4000, 6000], 'v1');
});

afterAll(async () => {
  await Promise.all([moto?.stop(), registry?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('ecr-push with the Docker CLI (a stand-in docker on PATH)', () => {
  it('pushes a local image: login with the password on stdin only, tag + push per tag, digest read back', async () => {
    const docker = dockerStandIn(join(work, 'docker-image'));
    const result = await runAction({
      action: 'ecr-push',
      inputs: {
        repository: 'shop/web',
        tags: 'abc123\nstaging',
        image: 'shop-web:build',
        'registry-endpoint': registry.endpoint,
        'create-repository': 'true',
        'scan-on-push': 'false',
        encryption: 'KMS',
        'kms-key': 'alias/ecr',
      },
      env: { ...awsEnv({ ecr: moto.endpoint }), PATH: `${docker.bin}:${process.env.PATH}`, DOCKER_STANDIN_LAYOUT: layout },
    });
    expect(result.exitCode, explain(result)).toBe(0);
    const digest = result.outputs.digest as string;
    expect(registryDigest(registry.host, 'shop/web', 'abc123')).toBe(digest);
    expect(registryDigest(registry.host, 'shop/web', 'staging')).toBe(digest);
    expect(result.outputs.image).toBe(`${registry.host}/shop/web@${digest}`);
    expect(result.outputs['pushed-bytes']).toBe('');
    const calls = docker.calls();
    expect(calls).toContain(`login --username AWS --password-stdin ${registry.host}`);
    expect(calls).toContain(`tag shop-web:build ${registry.host}/shop/web:abc123`);
    expect(calls).toContain(`push ${registry.host}/shop/web:staging`);
    expect(calls.join('\n')).not.toContain(MOTO_ECR_PASSWORD);
    expect(docker.loginStdin()).toBe(MOTO_ECR_PASSWORD);
    expect(result.visibleLog).not.toContain(MOTO_ECR_PASSWORD);

    const ecr = new ECRClient({ ...awsEnvClient(), endpoint: moto.endpoint });
    const created = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['shop/web'] }));
    expect(created.repositories?.[0]?.imageScanningConfiguration?.scanOnPush).toBe(false);
    expect(created.repositories?.[0]?.encryptionConfiguration).toEqual({ encryptionType: 'KMS', kmsKey: 'alias/ecr' });
  });

  it('leaves Docker logged in after a daemonless push when login is true, and not when false', async () => {
    for (const login of ['true', 'false']) {
      const docker = dockerStandIn(join(work, `docker-login-${login}`));
      const result = await runAction({
        action: 'ecr-push',
        inputs: {
          repository: 'shop/login',
          tags: 'v1',
          'oci-layout': layout,
          'registry-endpoint': registry.endpoint,
          'create-repository': 'true',
          login,
        },
        env: { ...awsEnv({ ecr: moto.endpoint }), PATH: `${docker.bin}:${process.env.PATH}` },
      });
      expect(result.exitCode, explain(result)).toBe(0);
      expect(registryDigest(registry.host, 'shop/login', 'v1')).toBe(result.outputs.digest);
      if (login === 'true') {
        expect(docker.calls()).toEqual([`login --username AWS --password-stdin ${registry.host}`]);
        expect(docker.loginStdin()).toBe(MOTO_ECR_PASSWORD);
      } else {
        expect(docker.calls()).toEqual([]);
      }
      expect(result.visibleLog).not.toContain(MOTO_ECR_PASSWORD);
    }
  });

  it('refuses to move an IMMUTABLE tag with docker too, unless Docker knows the image has that digest there', async () => {
    const first = await runAction({
      action: 'ecr-push',
      inputs: {
        repository: 'shop/frozen',
        tags: 'v1',
        'oci-layout': layout,
        'registry-endpoint': registry.endpoint,
        'create-repository': 'true',
        'tag-mutability': 'IMMUTABLE',
        login: 'false',
      },
      env: awsEnv({ ecr: moto.endpoint }),
    });
    expect(first.exitCode, explain(first)).toBe(0);
    const digest = first.outputs.digest as string;
    for (const [repoDigests, expected] of [
      ['[]', 1],
      [`["other/repo@sha256:${'1'.repeat(64)}","${registry.host}/shop/frozen@${digest}"]`, 0],
    ] as const) {
      const docker = dockerStandIn(join(work, `docker-frozen-${expected}`));
      const result = await runAction({
        action: 'ecr-push',
        inputs: { repository: 'shop/frozen', tags: 'v1', image: 'shop-frozen:build', 'registry-endpoint': registry.endpoint },
        env: {
          ...awsEnv({ ecr: moto.endpoint }),
          PATH: `${docker.bin}:${process.env.PATH}`,
          DOCKER_STANDIN_LAYOUT: layout,
          DOCKER_STANDIN_REPODIGESTS: repoDigests,
        },
      });
      expect(result.exitCode, explain(result)).toBe(expected);
      expect(docker.calls().some((c) => c.startsWith('push'))).toBe(false);
      if (expected === 1) expect(result.errors[0]).toContain(`tag 'v1' already points at ${digest}`);
      else expect(result.outputs.digest).toBe(digest);
    }
  });
});

function awsEnvClient(): { region: string; credentials: { accessKeyId: string; secretAccessKey: string } } {
  const env = awsEnv({});
  return {
    region: env.AWS_REGION as string,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID as string, secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string },
  };
}
