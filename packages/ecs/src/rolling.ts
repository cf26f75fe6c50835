import type { Service } from '@aws-sdk/client-ecs';
import { awsCall } from './aws-errors.js';
import { describeDeployment, describeService, familyRevision, isSettled, primaryOf, settleState } from './primary-deployment.js';
import type { Assessment, DeployStrategy, Standing } from './strategy.js';

/**
 * ECS rolling update. Success only when the new deployment is PRIMARY with
 * rolloutState COMPLETED, runningCount equals desiredCount, and no other
 * deployment remains. rolloutState FAILED means the circuit breaker tripped:
 * `rolled-back` when the breaker rolls back, `failed` otherwise.
 */
export const rollingStrategy: DeployStrategy = {
  name: 'rolling',
  rollsBackToRevision: true,

  async start(ecs, { cluster, service, taskDefinitionArn, desiredCount, forceNewDeployment }) {
    const response = await awsCall(
      'ecs:UpdateService',
      service.serviceArn ?? service.serviceName ?? '',
      () =>
        ecs.updateService({
          cluster,
          service: service.serviceName,
          taskDefinition: taskDefinitionArn,
          ...(desiredCount === undefined ? {} : { desiredCount }),
          forceNewDeployment,
          // A service configured for blue/green, linear or canary is switched back to rolling when asked to roll.
          ...(service.deploymentConfiguration?.strategy && service.deploymentConfiguration.strategy !== 'ROLLING'
            ? { deploymentConfiguration: { ...service.deploymentConfiguration, strategy: 'ROLLING' as const } }
            : {}),
        }),
      [],
    );
    const updated = response.service ?? service;
    const primary = updated.deployments?.find((d) => d.status === 'PRIMARY');
    if (!primary?.id) throw new Error(`UpdateService on ${service.serviceName} returned no PRIMARY deployment`);
    return { deploymentId: primary.id, service: updated };
  },

  assess(service, deploymentId) {
    return assessRolling(service, deploymentId);
  },

  async rollback(ecs, { cluster, service, taskDefinitionArn }) {
    const { deploymentId } = await rollingStrategy.start(ecs, { cluster, service, taskDefinitionArn, forceNewDeployment: false });
    return { deploymentId };
  },

  async standing(_ecs, _cluster, service) {
    return rollingStanding(service);
  },

  async replacedBy(ecs, cluster, serviceName, deploymentId) {
    const service = await describeService(ecs, cluster, serviceName);
    if (!service) return undefined; // deleted: nothing replaced it (the watch reports it gone)
    const { primary } = primaryOf(service);
    return primary?.id === deploymentId ? undefined : describeDeployment(primary);
  },
};

/**
 * A service whose PRIMARY deployment already has the revision: settled only when that
 * deployment is COMPLETED and steady; otherwise the PRIMARY deployment is followed.
 */
export function rollingStanding(service: Service): Standing {
  if (isSettled(service)) return { kind: 'settled' };
  const { primary, replaced } = primaryOf(service);
  const state = `${familyRevision(primary?.taskDefinition ?? service.taskDefinition)} is the PRIMARY deployment (${primary?.id ?? 'none'}) but not settled: ${settleState(service)}`;
  if (!primary?.id) return { kind: 'unsettled', state };
  return { kind: 'follow', deploymentId: primary.id, ...(replaced?.taskDefinition ? { previous: replaced.taskDefinition } : {}), state };
}

export function assessRolling(service: Service, deploymentId: string): ReturnType<DeployStrategy['assess']> {
  const deployments = service.deployments ?? [];
  const mine = deployments.find((d) => d.id === deploymentId);
  const replaced = (): Assessment => ({
    state: 'replaced',
    reason: `deployment ${deploymentId} was replaced by ${describeDeployment(primaryOf(service).primary)}`,
  });
  if (!mine) return replaced();
  if (mine.rolloutState === 'FAILED') {
    const reason = mine.rolloutStateReason ?? 'rolloutState FAILED';
    // The circuit breaker's rollback makes a new PRIMARY; any other new PRIMARY is someone else's UpdateService.
    const breakerRollsBack = service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback === true;
    if (mine.status === 'PRIMARY') return breakerRollsBack ? { state: 'rolled-back', reason } : { state: 'failed', reason };
    return breakerRollsBack ? { state: 'rolled-back', reason } : replaced();
  }
  if (mine.status !== 'PRIMARY') return replaced();
  const done =
    mine.status === 'PRIMARY' && mine.rolloutState === 'COMPLETED' && mine.runningCount === mine.desiredCount && deployments.length === 1;
  return done ? { state: 'succeeded' } : { state: 'in-progress' };
}
