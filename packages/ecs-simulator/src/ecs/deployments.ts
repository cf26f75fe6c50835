import { deploymentId } from '../ids.js';
import type { RolloutScenario } from '../types.js';
import { epochSeconds } from '../wire.js';
import type { DeploymentRecord, ServiceRecord } from './model.js';
import { armSecondActors } from './second-actor.js';
import { registerServiceDeployment } from './service-deployments.js';
import type { EcsState } from './state.js';

/**
 * The scenario of a new deployment: the one set for the service, except that a
 * deployment back to the last COMPLETED task definition (a rollback) is healthy.
 */
export function deploymentScenario(state: EcsState, service: ServiceRecord, taskDefinition: string): RolloutScenario {
  const scenario = state.scenarioFor(service.cluster, service.name);
  if (service.lastCompletedTaskDefinition === taskDefinition && scenario.kind !== 'healthy') return { kind: 'healthy' };
  return scenario;
}

/**
 * Start a rolling deployment: a new PRIMARY (rolloutState IN_PROGRESS) on the
 * service's current launch settings; the previous PRIMARY becomes ACTIVE and drains.
 */
export function startDeployment(
  state: EcsState,
  service: ServiceRecord,
  taskDefinition: string,
  options: { scenario?: RolloutScenario; reason?: string; rollbackOf?: DeploymentRecord; byActor?: boolean } = {},
): DeploymentRecord {
  const id = deploymentId();
  const now = epochSeconds();
  for (const previous of service.deployments) {
    if (previous.data.status === 'PRIMARY') {
      previous.data.status = 'ACTIVE';
      previous.data.updatedAt = now;
    }
  }
  const data = service.data;
  const record: DeploymentRecord = {
    scenario: options.scenario ?? deploymentScenario(state, service, taskDefinition),
    warnedFailing: false,
    data: {
      id,
      status: 'PRIMARY',
      taskDefinition,
      desiredCount: data.desiredCount ?? 0,
      pendingCount: 0,
      runningCount: 0,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      launchType: data.capacityProviderStrategy?.length ? undefined : data.launchType,
      capacityProviderStrategy: data.capacityProviderStrategy?.length ? data.capacityProviderStrategy : undefined,
      platformVersion: data.platformVersion,
      platformFamily: data.platformFamily,
      networkConfiguration: data.networkConfiguration,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: options.reason ?? `ECS deployment ${id} in progress.`,
    },
  };
  service.deployments.unshift(record);
  data.taskDefinition = taskDefinition;
  service.steady = false;
  registerServiceDeployment(state, service, record, options.rollbackOf);
  if (!options.rollbackOf && !options.byActor) armSecondActors(state, service);
  return record;
}

/** The service as DescribeServices answers it. */
export function serviceView(state: EcsState, service: ServiceRecord, withTags = false) {
  return {
    ...service.data,
    deployments: service.deployments.map((d) => d.data),
    tags: withTags ? (state.tags.get(service.data.serviceArn ?? '') ?? []) : undefined,
  };
}

/** Failed tasks that trip the circuit breaker for a desired count. */
export function breakerThreshold(state: EcsState, desired: number): number {
  return state.config.circuitBreakerThreshold ?? Math.min(Math.max(3, Math.ceil(desired / 2)), 200);
}
