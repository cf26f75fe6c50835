import type { Service } from '@aws-sdk/client-ecs';
import type { ServiceResult } from './request.js';

/** One service's line in the `services` output, from its latest description. */
export function serviceResult(service: Service, status: ServiceResult['status'], reason?: string, deploymentId?: string): ServiceResult {
  const deployment = service.deployments?.find((d) => d.id === deploymentId) ?? service.deployments?.find((d) => d.status === 'PRIMARY');
  return {
    service: service.serviceName ?? '',
    status,
    ...(deploymentId ? { deploymentId } : {}),
    ...(deployment?.taskDefinition || service.taskDefinition
      ? { taskDefinition: deployment?.taskDefinition ?? service.taskDefinition }
      : {}),
    desired: deployment?.desiredCount ?? service.desiredCount ?? 0,
    running: deployment?.runningCount ?? service.runningCount ?? 0,
    pending: deployment?.pendingCount ?? service.pendingCount ?? 0,
    ...(deployment?.rolloutState ? { rolloutState: deployment.rolloutState } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The exact command that puts a service back on its previous task definition. */
export function rollbackCommand(cluster: string, service: string, previous: string): string {
  return `aws ecs update-service --cluster ${cluster} --service ${service} --task-definition ${previous}`;
}
