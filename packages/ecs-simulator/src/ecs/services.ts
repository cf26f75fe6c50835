import type {
  CreateServiceRequest,
  DeleteServiceRequest,
  DeploymentConfiguration,
  DescribeServicesRequest,
  ListServicesRequest,
  LoadBalancer,
  UpdateServiceRequest,
} from '@aws-sdk/client-ecs';
import { AwsError, invalidParameter } from '../errors.js';
import type { Operations } from '../operations.js';
import type { RolloutScenario } from '../types.js';
import { epochSeconds, type Wire } from '../wire.js';
import { lastSegment } from './arns.js';
import { serviceView, startDeployment } from './deployments.js';
import { validateLaunch } from './launch-validation.js';
import type { ServiceRecord, TaskDefinitionRecord } from './model.js';
import { page } from './paging.js';
import type { EcsState } from './state.js';
import { validateDeploymentStrategy } from './strategy-validation.js';

const DEFAULT_DEPLOYMENT_CONFIGURATION: DeploymentConfiguration = {
  deploymentCircuitBreaker: { enable: false, rollback: false },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
};

function mergeDeploymentConfiguration(
  current: Wire<DeploymentConfiguration> | undefined,
  update: DeploymentConfiguration | undefined,
): Wire<DeploymentConfiguration> {
  return { ...DEFAULT_DEPLOYMENT_CONFIGURATION, ...current, ...(update as Wire<DeploymentConfiguration> | undefined) };
}

function validateLoadBalancers(definition: TaskDefinitionRecord, loadBalancers: LoadBalancer[] | undefined): void {
  for (const lb of loadBalancers ?? []) {
    const container = definition.data.containerDefinitions?.find((c) => c.name === lb.containerName);
    if (!container) throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    if (!container.portMappings?.some((p) => p.containerPort === lb.containerPort)) {
      throw invalidParameter(`The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`);
    }
  }
}

function passRoles(state: EcsState, definition: TaskDefinitionRecord): void {
  state.checkPassRole([definition.data.taskRoleArn, definition.data.executionRoleArn]);
}

/** UpdateService; `scenario`: what a new deployment does (a second actor's), default the service's scenario. */
export function updateService(state: EcsState, input: UpdateServiceRequest, scenario?: RolloutScenario) {
  const cluster = state.cluster(input.cluster);
  const service = state.service(cluster.name, input.service);
  if (service.data.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  const primary = service.deployments[0];
  const definition = state.requireTaskDefinition(input.taskDefinition ?? service.data.taskDefinition);
  if (input.taskDefinition && service.data.deploymentController?.type === 'CODE_DEPLOY') {
    throw invalidParameter(
      'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    );
  }
  const data = service.data;
  const networkConfiguration = input.networkConfiguration ?? data.networkConfiguration;
  const capacityProviderStrategy = input.capacityProviderStrategy ?? data.capacityProviderStrategy;
  validateLaunch(definition, {
    launchType: capacityProviderStrategy?.length ? undefined : data.launchType,
    capacityProviderStrategy,
    networkConfiguration,
  });
  validateLoadBalancers(definition, input.loadBalancers ?? data.loadBalancers);
  validateDeploymentStrategy(
    mergeDeploymentConfiguration(data.deploymentConfiguration, input.deploymentConfiguration),
    input.loadBalancers ?? data.loadBalancers,
    data.deploymentController?.type,
  );
  if (input.taskDefinition) passRoles(state, definition);
  const newDefinition = definition.data.taskDefinitionArn !== primary?.data.taskDefinition;
  const launchChanged =
    input.networkConfiguration !== undefined ||
    input.capacityProviderStrategy !== undefined ||
    input.platformVersion !== undefined ||
    input.loadBalancers !== undefined;
  if (input.desiredCount !== undefined) {
    if (input.desiredCount < 0) throw invalidParameter('desiredCount can not be negative.');
    data.desiredCount = input.desiredCount;
    service.steady = false;
  }
  if (input.deploymentConfiguration) {
    data.deploymentConfiguration = mergeDeploymentConfiguration(data.deploymentConfiguration, input.deploymentConfiguration);
  }
  data.networkConfiguration = networkConfiguration;
  if (input.capacityProviderStrategy) {
    data.capacityProviderStrategy = input.capacityProviderStrategy;
    data.launchType = undefined;
  }
  if (input.platformVersion) data.platformVersion = input.platformVersion;
  if (input.loadBalancers) data.loadBalancers = input.loadBalancers;
  if (input.healthCheckGracePeriodSeconds !== undefined) data.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
  if (input.enableExecuteCommand !== undefined) data.enableExecuteCommand = input.enableExecuteCommand;
  if (input.propagateTags) data.propagateTags = input.propagateTags;
  if (newDefinition || input.forceNewDeployment || launchChanged) {
    startDeployment(state, service, definition.data.taskDefinitionArn ?? '', scenario ? { scenario, byActor: true } : {});
  }
  return { service: serviceView(state, service) };
}

export const serviceOperations: Operations<EcsState> = {
  CreateService: (state, input: CreateServiceRequest) => {
    const cluster = state.cluster(input.cluster);
    const name = input.serviceName;
    if (!name) throw invalidParameter('serviceName must be specified.');
    const existing = state.services.get(`${cluster.name}/${name}`);
    if (existing && existing.data.status !== 'INACTIVE') throw invalidParameter('Creation of service was not idempotent.');
    const definition = state.requireTaskDefinition(input.taskDefinition);
    validateLaunch(definition, input);
    validateLoadBalancers(definition, input.loadBalancers);
    validateDeploymentStrategy(
      mergeDeploymentConfiguration(undefined, input.deploymentConfiguration),
      input.loadBalancers,
      input.deploymentController?.type,
    );
    passRoles(state, definition);
    const fargate =
      input.launchType === 'FARGATE' || input.capacityProviderStrategy?.some((s) => s.capacityProvider?.startsWith('FARGATE'));
    const serviceArn = state.arns.service(cluster.name, name);
    const service: ServiceRecord = {
      cluster: cluster.name,
      name,
      deployments: [],
      steady: false,
      data: {
        serviceArn,
        serviceName: name,
        clusterArn: cluster.data.clusterArn,
        loadBalancers: input.loadBalancers ?? [],
        serviceRegistries: input.serviceRegistries ?? [],
        status: 'ACTIVE',
        desiredCount: input.desiredCount ?? 0,
        runningCount: 0,
        pendingCount: 0,
        launchType: input.capacityProviderStrategy?.length ? undefined : (input.launchType ?? 'EC2'),
        capacityProviderStrategy: input.capacityProviderStrategy,
        platformVersion: fargate ? (input.platformVersion ?? 'LATEST') : undefined,
        platformFamily: fargate ? 'Linux' : undefined,
        taskDefinition: definition.data.taskDefinitionArn,
        deploymentConfiguration: mergeDeploymentConfiguration(undefined, input.deploymentConfiguration),
        roleArn: input.role,
        events: [],
        createdAt: epochSeconds(),
        placementConstraints: input.placementConstraints ?? [],
        placementStrategy: input.placementStrategy ?? [],
        networkConfiguration: input.networkConfiguration,
        healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? (input.loadBalancers?.length ? 0 : undefined),
        schedulingStrategy: input.schedulingStrategy ?? 'REPLICA',
        deploymentController: input.deploymentController ?? { type: 'ECS' },
        createdBy: state.arns.caller(),
        enableECSManagedTags: input.enableECSManagedTags ?? false,
        propagateTags: input.propagateTags ?? 'NONE',
        enableExecuteCommand: input.enableExecuteCommand ?? false,
      },
    };
    state.services.set(`${cluster.name}/${name}`, service);
    if (input.tags?.length) state.tags.set(serviceArn, input.tags);
    startDeployment(state, service, definition.data.taskDefinitionArn ?? '');
    return { service: serviceView(state, service) };
  },

  UpdateService: (state, input: UpdateServiceRequest) => updateService(state, input),

  DescribeServices: (state, input: DescribeServicesRequest) => {
    const cluster = state.cluster(input.cluster);
    const refs = input.services ?? [];
    if (!refs.length) throw invalidParameter('Services cannot be empty.');
    if (refs.length > 10) throw invalidParameter('Too many services. Maximum of 10 services can be described at once.');
    const services = [];
    const failures = [];
    for (const ref of refs) {
      const service = state.services.get(`${cluster.name}/${lastSegment(ref)}`);
      if (service) services.push(serviceView(state, service, input.include?.includes('TAGS') ?? false));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : state.arns.service(cluster.name, ref), reason: 'MISSING' });
    }
    return { services, failures };
  },

  ListServices: (state, input: ListServicesRequest) => {
    const cluster = state.cluster(input.cluster);
    const arns = [...state.services.values()]
      .filter((s) => s.cluster === cluster.name && s.data.status !== 'INACTIVE')
      .filter((s) => !input.launchType || s.data.launchType === input.launchType)
      .filter((s) => !input.schedulingStrategy || s.data.schedulingStrategy === input.schedulingStrategy)
      .map((s) => s.data.serviceArn ?? '');
    const { items, nextToken } = page(arns, input.maxResults ?? 10, input.nextToken);
    return { serviceArns: items, nextToken };
  },

  DeleteService: (state, input: DeleteServiceRequest) => {
    const cluster = state.cluster(input.cluster);
    const service = state.service(cluster.name, input.service);
    if (service.data.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if ((service.data.desiredCount ?? 0) > 0 && !input.force) {
      throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    service.data.status = 'DRAINING';
    service.data.desiredCount = 0;
    return { service: serviceView(state, service) };
  },
};
