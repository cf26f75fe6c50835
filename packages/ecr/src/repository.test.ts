import { CreateRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { ensureRepository, listRepositories, type RepositorySettings } from './repository.js';

const settings: RepositorySettings = {
  create: false,
  tagMutability: 'IMMUTABLE',
  scanOnPush: true,
  encryption: 'KMS',
  kmsKey: 'alias/ecr',
};
const ARN = 'arn:aws:ecr:eu-west-1:123456789012:repository/shop/api';
const awsError = (name: string, status = 400) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

function fakeEcr(handle: (command: unknown) => unknown) {
  const sent: unknown[] = [];
  return {
    sent,
    send: (async (command: unknown) => {
      sent.push(command);
      const result = handle(command);
      if (result instanceof Error) throw result;
      return result;
    }) as never,
  };
}

describe('ensureRepository', () => {
  it('reports the tag mutability of an existing repository', async () => {
    const ecr = fakeEcr(() => ({ repositories: [{ repositoryName: 'shop/api', imageTagMutability: 'IMMUTABLE' }] }));
    await expect(ensureRepository(ecr, 'shop/api', undefined, settings, ARN)).resolves.toEqual({
      name: 'shop/api',
      immutable: true,
      created: false,
    });
  });

  it('explains how to create a missing repository', async () => {
    const ecr = fakeEcr(() => awsError('RepositoryNotFoundException'));
    await expect(ensureRepository(ecr, 'shop/api', undefined, settings, ARN)).rejects.toThrow(
      "'create-repository: true' to create it on push, or create it once: aws ecr create-repository --repository-name shop/api " +
        '--image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true --encryption-configuration encryptionType=KMS,kmsKey=alias/ecr',
    );
  });

  it('creates it with the requested settings', async () => {
    const ecr = fakeEcr((c) => (c instanceof DescribeRepositoriesCommand ? awsError('RepositoryNotFoundException') : {}));
    await expect(ensureRepository(ecr, 'shop/api', '123456789012', { ...settings, create: true }, ARN)).resolves.toMatchObject({
      created: true,
      immutable: true,
    });
    const create = ecr.sent.find((c) => c instanceof CreateRepositoryCommand) as CreateRepositoryCommand;
    expect(create.input).toEqual({
      repositoryName: 'shop/api',
      registryId: '123456789012',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/ecr' },
    });
  });

  it('names the IAM action and the ARN when access is denied', async () => {
    const ecr = fakeEcr(() => awsError('AccessDeniedException', 403));
    await expect(ensureRepository(ecr, 'shop/api', undefined, settings, ARN)).rejects.toThrow(
      `grant the workflow's role ecr:DescribeRepositories on ${ARN}`,
    );
  });
});

describe('listRepositories', () => {
  it('pages through the registry, and is empty when listing is denied', async () => {
    const pages = fakeEcr((c) =>
      (c as DescribeRepositoriesCommand).input.nextToken
        ? { repositories: [{ repositoryName: 'b' }] }
        : { repositories: [{ repositoryName: 'a' }], nextToken: 't' },
    );
    await expect(listRepositories(pages, undefined)).resolves.toEqual([
      { name: 'a', immutable: false, created: false },
      { name: 'b', immutable: false, created: false },
    ]);
    await expect(
      listRepositories(
        fakeEcr(() => awsError('AccessDeniedException', 403)),
        undefined,
      ),
    ).resolves.toEqual([]);
  });
});
