import type { Service } from '@aws-sdk/client-ecs';
import { awsCall } from './aws-errors.js';
import type { DeployStrategy } from './strategy.js';

/**
 * ECS rolling update. Success only when the new deployment is PRIMARY with
 * rolloutState COMPLETED, runningCount equals desiredCount, and no other
 * deployment remains. rolloutState FAILED means the circuit breaker tripped:
 * `rolled-back` when the breaker rolls back, `failed` otherwise.
 */
export const rollingStrategy: DeployStrategy = {
  name: 'rolling',

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
};

export function assessRolling(service: Service, deploymentId: string): ReturnType<DeployStrategy['assess']> {
  const deployments = service.deployments ?? [];
  const mine = deployments.find((d) => d.id === deploymentId);
  if (!mine) {
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    return {
      state: 'failed',
      reason: `deployment ${deploymentId} no longer exists: another deployment (${primary?.id ?? 'unknown'} on ${primary?.taskDefinition ?? 'unknown'}) replaced it`,
    };
  }
  if (mine.rolloutState === 'FAILED') {
    const reason = mine.rolloutStateReason ?? 'rolloutState FAILED';
    const breakerRollsBack = service.deploymentConfiguration?.deploymentCircuitBreaker?.rollback === true;
    return breakerRollsBack || mine.status !== 'PRIMARY' ? { state: 'rolled-back', reason } : { state: 'failed', reason };
  }
  const done =
    mine.status === 'PRIMARY' && mine.rolloutState === 'COMPLETED' && mine.runningCount === mine.desiredCount && deployments.length === 1;
  return done ? { state: 'succeeded' } : { state: 'in-progress' };
}
