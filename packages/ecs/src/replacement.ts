import type { Logger } from '@baepo/action-kit';
import { isServiceDeploymentArn } from './service-deployment-arn.js';

/** `deployment ecs-svc/1 was replaced by deployment ecs-svc/2 (task definition api:3, created ...)`. */
export function describeReplacement(target: { deploymentId: string }, replacer: string): string {
  const kind = isServiceDeploymentArn(target.deploymentId) ? 'service deployment' : 'deployment';
  return `${kind} ${target.deploymentId} was replaced by ${replacer}`;
}

/** The warning when a rollback is skipped because another actor's UpdateService owns the service now. */
export function warnNotRollingBack(logger: Logger, serviceName: string, reason: string): void {
  logger.warning(
    `${serviceName}: not rolling back: the service's primary deployment is no longer ours (${reason}). ECS does not record who called UpdateService; CloudTrail does (event UpdateService for service ${serviceName}).`,
  );
}
