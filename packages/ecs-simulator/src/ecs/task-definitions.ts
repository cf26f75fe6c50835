import type {
  Compatibility,
  ContainerDefinition,
  DeregisterTaskDefinitionRequest,
  DescribeTaskDefinitionRequest,
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionsRequest,
  RegisterTaskDefinitionRequest,
} from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';
import type { Operations } from '../operations.js';
import { epochSeconds } from '../wire.js';
import type { TaskDefinitionRecord } from './model.js';
import { page } from './paging.js';
import type { EcsState } from './state.js';

/** Reject what ECS rejects, with its wording (ClientException). */
function validate(input: RegisterTaskDefinitionRequest): void {
  if (!input.family) throw clientException('Family must be specified.');
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(input.family)) {
    throw clientException('Family contains invalid characters. Up to 255 letters, numbers, hyphens, and underscores are allowed.');
  }
  if (!input.containerDefinitions?.length) throw clientException('Container list cannot be empty.');
  for (const container of input.containerDefinitions) {
    if (!container.name) throw clientException('Container.name should not be null or empty.');
    if (!container.image) throw clientException('Container.image should not be null or empty.');
  }
  const names = input.containerDefinitions.map((c) => c.name);
  if (new Set(names).size !== names.length) throw clientException('Container names must be unique.');
  if (input.requiresCompatibilities?.includes('FARGATE')) {
    if (input.networkMode !== 'awsvpc') throw clientException("Fargate only supports network mode 'awsvpc'.");
    if (!input.cpu) throw clientException("Fargate requires that 'cpu' be defined at the task level.");
    if (!input.memory) throw clientException("Fargate requires that 'memory' be defined at the task level.");
  }
}

/** Container defaults ECS fills in on registration. */
function normalizeContainer(container: ContainerDefinition, networkMode: string | undefined): ContainerDefinition {
  return {
    ...container,
    cpu: container.cpu ?? 0,
    portMappings: (container.portMappings ?? []).map((p) => ({
      ...p,
      hostPort: p.hostPort ?? (networkMode === 'awsvpc' || networkMode === 'host' ? p.containerPort : undefined),
      protocol: p.protocol ?? 'tcp',
    })),
    essential: container.essential ?? true,
    environment: container.environment ?? [],
    mountPoints: container.mountPoints ?? [],
    volumesFrom: container.volumesFrom ?? [],
    systemControls: container.systemControls ?? [],
  };
}

/** The attributes ECS derives from a task definition (`requiresAttributes`). */
function requiredAttributes(input: RegisterTaskDefinitionRequest): { name: string }[] {
  const names = new Set<string>(['com.amazonaws.ecs.capability.docker-remote-api.1.18']);
  const containers = input.containerDefinitions ?? [];
  if (input.taskRoleArn) names.add('com.amazonaws.ecs.capability.task-iam-role');
  if (input.networkMode === 'awsvpc') names.add('ecs.capability.task-eni');
  for (const c of containers) {
    if (c.logConfiguration?.logDriver === 'awslogs') {
      names.add('com.amazonaws.ecs.capability.logging-driver.awslogs').add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
      if (input.executionRoleArn) names.add('ecs.capability.execution-role-awslogs');
    }
    if (c.image?.includes('.dkr.ecr.') && input.executionRoleArn) {
      names.add('com.amazonaws.ecs.capability.ecr-auth').add('ecs.capability.execution-role-ecr-pull');
    }
    if (c.secrets?.some((s) => !s.valueFrom?.includes(':secretsmanager:'))) names.add('ecs.capability.secrets.ssm.environment-variables');
    if (c.secrets?.some((s) => s.valueFrom?.includes(':secretsmanager:'))) names.add('ecs.capability.secrets.asm.environment-variables');
    if (c.healthCheck) names.add('ecs.capability.container-health-check');
    if (c.dependsOn?.length) names.add('ecs.capability.container-ordering');
  }
  return [...names].map((name) => ({ name }));
}

function compatibilities(input: RegisterTaskDefinitionRequest): Compatibility[] {
  const result: Compatibility[] = ['EC2'];
  if (input.networkMode === 'awsvpc' && input.cpu && input.memory) result.push('FARGATE');
  return result;
}

export const taskDefinitionOperations: Operations<EcsState> = {
  RegisterTaskDefinition: (state, input: RegisterTaskDefinitionRequest) => {
    validate(input);
    state.checkPassRole([input.taskRoleArn, input.executionRoleArn]);
    const family = input.family ?? '';
    const revisions = state.families.get(family) ?? [];
    const revision = revisions.length + 1;
    const { tags, ...definition } = input;
    const record: TaskDefinitionRecord = {
      data: {
        ...definition,
        taskDefinitionArn: state.arns.taskDefinition(family, revision),
        containerDefinitions: (input.containerDefinitions ?? []).map((c) => normalizeContainer(c, input.networkMode)),
        family,
        revision,
        volumes: input.volumes ?? [],
        status: 'ACTIVE',
        requiresAttributes: requiredAttributes(input),
        placementConstraints: input.placementConstraints ?? [],
        compatibilities: compatibilities(input),
        registeredAt: epochSeconds(),
        registeredBy: state.arns.caller(),
      },
      tags: tags ?? [],
    };
    revisions.push(record);
    state.families.set(family, revisions);
    return { taskDefinition: record.data, tags: record.tags };
  },

  DescribeTaskDefinition: (state, input: DescribeTaskDefinitionRequest) => {
    const record = state.taskDefinition(input.taskDefinition);
    if (!record) throw clientException('Unable to describe task definition.');
    return { taskDefinition: record.data, tags: input.include?.includes('TAGS') ? record.tags : undefined };
  },

  DeregisterTaskDefinition: (state, input: DeregisterTaskDefinitionRequest) => {
    if (!input.taskDefinition?.includes(':')) throw clientException('Invalid revision number. Number: ');
    const record = state.taskDefinition(input.taskDefinition);
    if (!record) throw clientException('The specified task definition does not exist.');
    record.data.status = 'INACTIVE';
    record.data.deregisteredAt = epochSeconds();
    return { taskDefinition: record.data };
  },

  ListTaskDefinitions: (state, input: ListTaskDefinitionsRequest) => {
    const status = input.status ?? 'ACTIVE';
    const arns = [...state.families.entries()]
      .filter(([family]) => !input.familyPrefix || family.startsWith(input.familyPrefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([, revisions]) => revisions.filter((r) => r.data.status === status).map((r) => r.data.taskDefinitionArn ?? ''));
    if (input.sort === 'DESC') arns.reverse();
    const { items, nextToken } = page(arns, input.maxResults ?? 100, input.nextToken);
    return { taskDefinitionArns: items, nextToken };
  },

  ListTaskDefinitionFamilies: (state, input: ListTaskDefinitionFamiliesRequest) => {
    const families = [...state.families.entries()]
      .filter(([family]) => !input.familyPrefix || family.startsWith(input.familyPrefix))
      .filter(([, revisions]) => {
        const active = revisions.some((r) => r.data.status === 'ACTIVE');
        if (input.status === 'ACTIVE') return active;
        return input.status === 'INACTIVE' ? !active : true;
      })
      .map(([family]) => family)
      .sort();
    const { items, nextToken } = page(families, input.maxResults ?? 100, input.nextToken);
    return { families: items, nextToken };
  },
};
