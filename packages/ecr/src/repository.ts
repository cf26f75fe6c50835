import { CreateRepositoryCommand, DescribeRepositoriesCommand, type ECRClient, type Repository } from '@aws-sdk/client-ecr';
import { ConfigurationError } from '@baepo/action-kit';
import { describeAwsError, isAccessDenied, isAwsError } from '@baepo/aws';
import { accessDeniedMessage } from './iam.js';

export interface RepositorySettings {
  create: boolean;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryption: 'AES256' | 'KMS';
  kmsKey: string | undefined;
}

export interface RepositoryInfo {
  name: string;
  immutable: boolean;
  created: boolean;
}

type Ecr = Pick<ECRClient, 'send'>;

/** IMMUTABLE and IMMUTABLE_WITH_EXCLUSION both refuse to move tags. */
const isImmutable = (repository: Repository): boolean => repository.imageTagMutability?.startsWith('IMMUTABLE') ?? false;

function createCommandLine(name: string, s: RepositorySettings): string {
  const encryption = s.encryption === 'KMS' ? `encryptionType=KMS${s.kmsKey ? `,kmsKey=${s.kmsKey}` : ''}` : 'encryptionType=AES256';
  return (
    `aws ecr create-repository --repository-name ${name} --image-tag-mutability ${s.tagMutability} ` +
    `--image-scanning-configuration scanOnPush=${s.scanOnPush} --encryption-configuration ${encryption}`
  );
}

/** Describe the repository; create it when missing and allowed, else explain how to create it. */
export async function ensureRepository(
  ecr: Ecr,
  name: string,
  registryId: string | undefined,
  settings: RepositorySettings,
  arn: string,
  signal?: AbortSignal,
): Promise<RepositoryInfo> {
  const denied = (what: string, actions: string[], error: unknown) =>
    new ConfigurationError(accessDeniedMessage(what, actions, arn, describeAwsError(error)), { cause: error });
  let found: Repository | undefined;
  try {
    const response = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId }), { abortSignal: signal });
    found = response.repositories?.[0];
  } catch (error) {
    if (isAccessDenied(error)) throw denied(`describing the repository '${name}'`, ['ecr:DescribeRepositories'], error);
    if (!isAwsError(error, 'RepositoryNotFoundException')) throw error;
  }
  if (found) return { name, immutable: isImmutable(found), created: false };
  if (!settings.create) {
    throw new ConfigurationError(
      `The ECR repository '${name}' does not exist${registryId ? ` in registry ${registryId}` : ''}. Set 'create-repository: true' ` +
        `to create it on push, or create it once: ${createCommandLine(name, settings)}`,
      { input: 'repository' },
    );
  }
  try {
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        registryId,
        imageTagMutability: settings.tagMutability,
        imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
        encryptionConfiguration: {
          encryptionType: settings.encryption,
          kmsKey: settings.encryption === 'KMS' ? settings.kmsKey : undefined,
        },
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    if (isAwsError(error, 'RepositoryAlreadyExistsException'))
      return ensureRepository(ecr, name, registryId, { ...settings, create: false }, arn, signal);
    if (isAccessDenied(error)) throw denied(`creating the repository '${name}'`, ['ecr:CreateRepository'], error);
    if (isAwsError(error, 'KmsException', 'InvalidParameterException')) {
      throw new ConfigurationError(`ECR refused to create '${name}': ${describeAwsError(error)}. Check 'encryption' and 'kms-key'.`, {
        cause: error,
      });
    }
    throw error;
  }
  return { name, immutable: settings.tagMutability === 'IMMUTABLE', created: true };
}

/**
 * The repositories of the registry: cross-repository mount candidates, and (when the target is
 * among them) its settings without another call. An empty list when the role may not list them
 * (mounting is an optimisation, never a requirement).
 */
export async function listRepositories(
  ecr: Ecr,
  registryId: string | undefined,
  limit = 1000,
  signal?: AbortSignal,
): Promise<RepositoryInfo[]> {
  const names: RepositoryInfo[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await ecr.send(new DescribeRepositoriesCommand({ registryId, nextToken, maxResults: 1000 }), { abortSignal: signal });
      for (const repository of page.repositories ?? []) {
        if (repository.repositoryName) names.push({ name: repository.repositoryName, immutable: isImmutable(repository), created: false });
      }
      nextToken = page.nextToken;
    } while (nextToken && names.length < limit);
  } catch (error) {
    if (isAccessDenied(error)) return [];
    throw error;
  }
  return names;
}
