import type { ContainerDefinition, KeyValuePair, Secret } from '@aws-sdk/client-ecs';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { checkImageReference } from './image-reference.js';
import type { TaskDefinitionInput } from './task-definition-file.js';

/** What a deploy changes in a task definition. */
export interface RenderOptions {
  /** container name -> image (from `images`). */
  images: { container: string; image: string }[];
  /** `image` shorthand: the only container (or `container`). */
  image?: string;
  /** Container that environment/secrets apply to; default: the only one. */
  container?: string;
  environment: { name: string; value: string }[];
  /** Explicit secrets and those found under ssm-secrets-path (explicit ones listed last win). */
  secrets: { name: string; valueFrom: string }[];
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
}

/** Apply the deploy's changes to a task definition; pure. Errors name the input at fault. */
export function renderTaskDefinition(base: TaskDefinitionInput, options: RenderOptions): TaskDefinitionInput {
  const containers: ContainerDefinition[] = structuredClone(base.containerDefinitions ?? []);
  const names = containers.map((c) => c.name ?? '');
  const find = (name: string, input: string): ContainerDefinition => {
    const found = containers.find((c) => c.name === name);
    if (!found) {
      throw new ConfigurationError(
        `Input '${input}' names container ${quote(name)}, which is not in task definition '${base.family}'. Containers: ${names.join(', ')}.`,
        { input },
      );
    }
    return found;
  };

  for (const { container, image } of options.images) {
    const target = find(container, 'images');
    checkImageReference(image, 'images', container);
    target.image = image;
  }
  if (options.image !== undefined) {
    const target = options.container ? find(options.container, 'container') : only(containers, base.family, 'image');
    checkImageReference(options.image, 'image', target.name ?? '');
    target.image = options.image;
  }
  if (options.environment.length > 0 || options.secrets.length > 0) {
    const input = options.environment.length > 0 ? 'environment' : 'secrets';
    const target = options.container ? find(options.container, 'container') : only(containers, base.family, input);
    if (options.environment.length > 0) target.environment = upsert<KeyValuePair>(target.environment, options.environment);
    if (options.secrets.length > 0) target.secrets = upsert<Secret>(target.secrets, options.secrets);
  } else if (options.container) {
    find(options.container, 'container');
  }

  const rendered: TaskDefinitionInput = { ...structuredClone(base), containerDefinitions: containers };
  if (options.cpu) rendered.cpu = options.cpu;
  if (options.memory) rendered.memory = options.memory;
  if (options.taskRoleArn) rendered.taskRoleArn = options.taskRoleArn;
  if (options.executionRoleArn) rendered.executionRoleArn = options.executionRoleArn;
  return rendered;
}

function only(containers: ContainerDefinition[], family: string | undefined, input: string): ContainerDefinition {
  if (containers.length === 1) return containers[0] as ContainerDefinition;
  const names = containers.map((c) => c.name).join(', ');
  const hint = input === 'image' ? "use 'images' (container=image per line) or set 'container'" : "set 'container' to one of them";
  throw new ConfigurationError(
    `Input '${input}' needs a container, and task definition '${family}' has ${containers.length}: ${names}. ${hint[0]?.toUpperCase()}${hint.slice(1)}.`,
    { input: input === 'image' ? 'image' : 'container' },
  );
}

/** Replace entries with the same name in place, append new ones; order otherwise kept. */
function upsert<T extends { name?: string | undefined }>(existing: T[] | undefined, entries: T[]): T[] {
  const result = [...(existing ?? [])];
  for (const entry of entries) {
    const at = result.findIndex((e) => e.name === entry.name);
    if (at >= 0) result[at] = entry;
    else result.push(entry);
  }
  return result;
}
