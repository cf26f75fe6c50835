import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { isAwsError } from '@baepo/aws';
import { awsCall } from './aws-errors.js';
import type { EcsApi } from './clients.js';
import type { Location } from './resolve-services.js';
import { parseTaskDefinitionFile, type TaskDefinitionInput } from './task-definition-file.js';
import { DESCRIBE_ONLY_KEYS } from './task-definition-keys.js';

export interface BaseTaskDefinition {
  /** The task definition to render from. */
  base: TaskDefinitionInput;
  /** Set when the base is a registered revision (an ARN, family[:revision] or the service's). */
  registeredArn?: string;
  /** For messages: the file path, the ARN, or `service <name>`. */
  source: string;
}

const REFERENCE = /^(arn:aws[\w-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}(:\d+)?$/;

/** Read the task definition input: a file, an ARN, `family[:revision]`, or (empty) the first service's current one. */
export async function loadBaseTaskDefinition(
  ecs: EcsApi,
  value: string | undefined,
  services: Service[],
  readFile: (path: string) => string | undefined,
  location: Location,
): Promise<BaseTaskDefinition> {
  if (value === undefined) {
    const first = services[0];
    if (!first?.taskDefinition) {
      throw new ConfigurationError(
        "Input 'task-definition' is required when no 'service' is given (a file, an ARN or family[:revision]).",
        {
          input: 'task-definition',
        },
      );
    }
    const families = new Set(services.map((s) => familyOf(s.taskDefinition ?? '')));
    if (families.size > 1) {
      const list = services.map((s) => `${s.serviceName}: ${familyOf(s.taskDefinition ?? '')}`).join(', ');
      throw new ConfigurationError(
        `Input 'task-definition' is needed: the services run different task definition families (${list}), and one revision is registered for all of them.`,
        { input: 'task-definition' },
      );
    }
    const described = await describeTaskDefinition(ecs, first.taskDefinition, location);
    return { base: fromDescribed(described), registeredArn: described.taskDefinitionArn, source: `service ${first.serviceName}` };
  }
  const looksLikeFile = /\.(json|ya?ml)$/i.test(value) || value.includes('/') || value.startsWith('.');
  if (!value.startsWith('arn:') && looksLikeFile) {
    const text = readFile(value);
    if (text === undefined) {
      throw new ConfigurationError(
        `Input 'task-definition': file ${quote(value)} does not exist (paths are relative to the workspace). Give a JSON or YAML file, an ARN or family[:revision].`,
        { input: 'task-definition' },
      );
    }
    return { base: parseTaskDefinitionFile(text, value), source: value };
  }
  if (!REFERENCE.test(value)) {
    throw new ConfigurationError(
      `Input 'task-definition' must be a .json/.yaml file, a task definition ARN or family[:revision]; got ${quote(value)}.`,
      { input: 'task-definition' },
    );
  }
  const described = await describeTaskDefinition(ecs, value, location);
  return { base: fromDescribed(described), registeredArn: described.taskDefinitionArn, source: described.taskDefinitionArn ?? value };
}

/** DescribeTaskDefinition; a missing one is a ConfigurationError naming it. */
export async function describeTaskDefinition(ecs: EcsApi, reference: string, location: Location): Promise<TaskDefinition> {
  const resource = `arn:aws:ecs:${location.region}:${location.account}:task-definition/${familyOf(reference)}:*`;
  try {
    const response = await awsCall('ecs:DescribeTaskDefinition', resource, () => ecs.describeTaskDefinition({ taskDefinition: reference }));
    if (!response.taskDefinition) throw new Error(`DescribeTaskDefinition returned nothing for ${reference}`);
    return response.taskDefinition;
  } catch (error) {
    if (isAwsError(error, 'ClientException', 'InvalidParameterException')) {
      throw new ConfigurationError(
        `Input 'task-definition': task definition ${quote(reference)} was not found in ${location.region} (${(error as Error).message}). Check the family and revision.`,
        { input: 'task-definition' },
      );
    }
    throw error;
  }
}

/** A described task definition as a RegisterTaskDefinition input (describe-only keys dropped). */
export function fromDescribed(taskDefinition: TaskDefinition): TaskDefinitionInput {
  const copy: Record<string, unknown> = { ...taskDefinition };
  for (const key of DESCRIBE_ONLY_KEYS) delete copy[key];
  return copy as unknown as TaskDefinitionInput;
}

/** `family` of `arn:...:task-definition/family:3`, `family:3` or `family`. */
export function familyOf(reference: string): string {
  return (reference.split('/').pop() ?? reference).split(':')[0] ?? reference;
}

/** The revision number of a task definition ARN, or '?' */
export function revisionOf(reference: string | undefined): string {
  const match = /:(\d+)$/.exec(reference ?? '');
  return match?.[1] ?? '?';
}
