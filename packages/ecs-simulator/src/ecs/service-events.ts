import { uuid } from '../ids.js';
import { epochSeconds } from '../wire.js';
import type { ServiceRecord } from './model.js';

const MAX_EVENTS = 100;

/** Add an event (newest first), as ECS does. */
export function addEvent(service: ServiceRecord, message: string): void {
  service.data.events ??= [];
  const events = service.data.events;
  events.unshift({ id: uuid(), createdAt: epochSeconds(), message });
  events.length = Math.min(events.length, MAX_EVENTS);
}

/** Real ECS wording for service events. */
export const eventText = {
  started: (service: string, ids: string[]) =>
    `(service ${service}) has started ${ids.length} tasks: ${ids.map((id) => `(task ${id})`).join(' ')}.`,
  stopped: (service: string, ids: string[]) =>
    `(service ${service}) has stopped ${ids.length} running tasks: ${ids.map((id) => `(task ${id})`).join(' ')}.`,
  registeredTargets: (service: string, count: number, targetGroup: string) =>
    `(service ${service}) registered ${count} targets in (target-group ${targetGroup})`,
  deregisteredTargets: (service: string, count: number, targetGroup: string) =>
    `(service ${service}) deregistered ${count} targets in (target-group ${targetGroup})`,
  unhealthyTarget: (service: string, port: number | undefined, targetGroup: string) =>
    `(service ${service}) (port ${port ?? 80}) is unhealthy in (target-group ${targetGroup}) due to (reason Health checks failed).`,
  steadyState: (service: string) => `(service ${service}) has reached a steady state.`,
  deploymentCompleted: (service: string, deployment: string) => `(service ${service}) (deployment ${deployment}) deployment completed.`,
  deploymentFailed: (service: string, deployment: string) =>
    `(service ${service}) deployment ${deployment} deployment failed: tasks failed to start.`,
  rollingBack: (service: string, deployment: string, to: string) =>
    `(service ${service}) (deployment ${deployment}) rolling back to deployment ${to}.`,
  unableToPlace: (service: string) =>
    `(service ${service}) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
  failingToStart: (service: string) =>
    `(service ${service}) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
};
