import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { isAwsError } from '@baepo/aws';
import { type Change, diffTaskDefinitions } from './diff.js';
import { renderTaskDefinition } from './render.js';
import type { DeployDeps, DeployRequest } from './request.js';
import { type Location, resolveCluster, resolveServices } from './resolve-services.js';
import { secretsFromSsmPaths } from './ssm-secrets.js';
import type { TaskDefinitionInput } from './task-definition-file.js';
import { describeTaskDefinition, fromDescribed, loadBaseTaskDefinition } from './task-definition-source.js';

/** The outcome of every read-only step: what would be registered and deployed. */
export interface Plan {
  location: Location;
  services: Service[];
  rendered: TaskDefinitionInput;
  /** What runs now (the first service's task definition, or the family's latest revision). */
  current?: TaskDefinition;
  changes: Change[];
  /** Every service already runs exactly the rendered task definition. */
  unchanged: boolean;
  /** An existing revision to deploy as is (no RegisterTaskDefinition), when there is one. */
  reuseArn?: string;
  runTaskContainer?: string;
}

/**
 * Validate everything and work out what would change, without writing to AWS:
 * cluster, services, task definition source, secrets under the SSM path,
 * rendering, containers named by inputs, and the comparison with what runs.
 */
export async function prepareDeploy(request: DeployRequest, deps: DeployDeps): Promise<Plan> {
  const { ecs } = deps;
  const { location } = await resolveCluster(ecs, request.cluster, request.region);
  const services = await resolveServices(ecs, request.cluster, request.services, location);
  const base = await loadBaseTaskDefinition(ecs, request.taskDefinition, services, deps.readFile, location);

  const paths = request.ssmSecretsPaths;
  const pathSecrets = paths.length
    ? await secretsFromSsmPaths(
        deps.ssm,
        paths,
        (path) => `arn:aws:ssm:${location.region}:${location.account}:parameter${path.replace(/\/$/, '')}/*`,
        {
          onEmpty: (path) => deps.logger.warning(`Input 'ssm-secrets-path': no parameters under ${quote(path)}.`),
          onOverride: (name, from, to) => deps.logger.info(`Secret ${name} from ${to} overrides the one from ${from}.`),
        },
      )
    : [];
  if (pathSecrets.length) deps.logger.info(`Secrets from ${paths.join(', ')}: ${pathSecrets.map((s) => s.name).join(', ')}`);
  const rendered = renderTaskDefinition(base.base, {
    images: request.images,
    image: request.image,
    container: request.container,
    environment: request.environment,
    secrets: [...pathSecrets, ...request.secrets],
    cpu: request.cpu,
    memory: request.memory,
    taskRoleArn: request.taskRoleArn,
    executionRoleArn: request.executionRoleArn,
  });
  const runTaskContainer = request.runTaskCommand ? pickRunTaskContainer(rendered, request) : undefined;

  const described = new Map<string, TaskDefinition>();
  const describe = async (arn: string) => {
    const known = described.get(arn) ?? (await describeTaskDefinition(ecs, arn, location));
    described.set(arn, known);
    return known;
  };
  let current: TaskDefinition | undefined;
  let unchanged: boolean;
  if (services.length > 0) {
    const currents = await Promise.all(services.map((s) => describe(s.taskDefinition ?? '')));
    current = currents[0];
    unchanged = currents.every((c) => diffTaskDefinitions(c, rendered).length === 0);
  } else {
    current = await latestRevision(deps, rendered.family ?? '', location);
    unchanged = current !== undefined && diffTaskDefinitions(current, rendered).length === 0;
  }
  const changes = diffTaskDefinitions(current, rendered);
  const reuseArn =
    unchanged && current?.taskDefinitionArn
      ? current.taskDefinitionArn
      : base.registeredArn && diffTaskDefinitions(fromDescribed(await describe(base.registeredArn)), rendered).length === 0
        ? base.registeredArn
        : undefined;
  return {
    location,
    services,
    rendered,
    ...(current ? { current } : {}),
    changes,
    unchanged,
    ...(reuseArn ? { reuseArn } : {}),
    ...(runTaskContainer ? { runTaskContainer } : {}),
  };
}

function pickRunTaskContainer(rendered: TaskDefinitionInput, request: DeployRequest): string {
  const names = (rendered.containerDefinitions ?? []).map((c) => c.name ?? '');
  const chosen = request.runTaskContainer ?? request.container ?? (names.length === 1 ? names[0] : undefined);
  const input = request.runTaskContainer ? 'run-task-container' : 'container';
  if (chosen === undefined) {
    throw new ConfigurationError(
      `Input 'run-task-container' is needed: task definition '${rendered.family}' has ${names.length} containers (${names.join(', ')}); name the one that runs the command.`,
      { input: 'run-task-container' },
    );
  }
  if (!names.includes(chosen)) {
    throw new ConfigurationError(
      `Input '${input}' names container ${quote(chosen)}, which is not in task definition '${rendered.family}'. Containers: ${names.join(', ')}.`,
      { input },
    );
  }
  return chosen;
}

async function latestRevision(deps: DeployDeps, family: string, location: Location): Promise<TaskDefinition | undefined> {
  try {
    return await describeTaskDefinition(deps.ecs, family, location);
  } catch (error) {
    if ((error instanceof ConfigurationError && error.input === 'task-definition') || isAwsError(error, 'ClientException'))
      return undefined;
    throw error;
  }
}
