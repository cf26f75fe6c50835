import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { awsCall } from './aws-errors.js';
import type { EcsApi } from './clients.js';

/** `api:3` from a task definition ARN (or the reference as given). */
export function familyRevision(taskDefinition: string | undefined): string {
  if (!taskDefinition) return 'unknown';
  const at = taskDefinition.indexOf('task-definition/');
  return at === -1 ? taskDefinition : taskDefinition.slice(at + 'task-definition/'.length);
}

/**
 * The service's steady state, as DescribeServices shows it: a single deployment, PRIMARY,
 * rolloutState COMPLETED, with its desired count running (and the service's desired count).
 */
export function isSettled(service: Service): boolean {
  const deployments = service.deployments ?? [];
  const primary = deployments[0];
  return (
    deployments.length === 1 &&
    primary?.status === 'PRIMARY' &&
    primary.rolloutState === 'COMPLETED' &&
    primary.runningCount === primary.desiredCount &&
    primary.desiredCount === service.desiredCount
  );
}

/** The PRIMARY deployment, and the newest ACTIVE one (the revision the primary replaces), if any. */
export function primaryOf(service: Service): { primary?: Deployment; replaced?: Deployment } {
  const deployments = service.deployments ?? [];
  const byNewest = (a: Deployment, b: Deployment) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);
  return {
    primary: deployments.find((d) => d.status === 'PRIMARY'),
    replaced: deployments.filter((d) => d.status === 'ACTIVE').sort(byNewest)[0],
  };
}

/** What a deployment is, in words: `deployment ecs-svc/2 (task definition api:3, created 2026-12-02T18:00:00.000Z)`. */
export function describeDeployment(deployment: Deployment | undefined): string {
  if (!deployment) return 'another deployment';
  const created = deployment.createdAt ? `, created ${deployment.createdAt.toISOString()}` : '';
  return `deployment ${deployment.id ?? 'unknown'} (task definition ${familyRevision(deployment.taskDefinition)}${created})`;
}

/** `rollout IN_PROGRESS, 0/2 running, 2 deployments`: why a service is not settled. */
export function settleState(service: Service): string {
  const deployments = service.deployments ?? [];
  const { primary } = primaryOf(service);
  const parts = [
    `rollout ${primary?.rolloutState ?? 'unknown'}${primary?.rolloutStateReason && primary.rolloutState === 'FAILED' ? ` (${primary.rolloutStateReason})` : ''}`,
    `${primary?.runningCount ?? 0}/${primary?.desiredCount ?? service.desiredCount ?? 0} running`,
  ];
  if (deployments.length !== 1) parts.push(`${deployments.length} deployments`);
  return parts.join(', ');
}

/** One DescribeServices for one service (the check before a rollback); undefined when it is gone. */
export async function describeService(ecs: EcsApi, cluster: string, name: string): Promise<Service | undefined> {
  const response = await awsCall('ecs:DescribeServices', `service/${cluster}/${name}`, () =>
    ecs.describeServices({ cluster, services: [name] }),
  );
  return response.services?.find((s) => s.serviceName === name && s.status !== 'INACTIVE');
}
