import type { Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { revisionOf } from './task-definition-source.js';

/** `api: 3/4 running on rev 42, 1 draining on rev 41, rollout IN_PROGRESS`; pure. */
export function progressLine(service: Service, deploymentId: string): string {
  const deployments = service.deployments ?? [];
  const mine = deployments.find((d) => d.id === deploymentId);
  const parts: string[] = [];
  if (mine) {
    let text = `${mine.runningCount ?? 0}/${mine.desiredCount ?? 0} running on rev ${revisionOf(mine.taskDefinition)}`;
    if (mine.pendingCount) text += ` (${mine.pendingCount} pending)`;
    if (mine.failedTasks) text += ` (${mine.failedTasks} failed)`;
    parts.push(text);
  }
  for (const other of deployments) {
    if (other.id === deploymentId) continue;
    const verb = other.status === 'PRIMARY' ? 'running' : 'draining';
    parts.push(`${other.runningCount ?? 0} ${verb} on rev ${revisionOf(other.taskDefinition)}`);
  }
  const state = mine?.rolloutState ? `rollout ${mine.rolloutState}` : `deployment ${mine?.status ?? 'gone'}`;
  parts.push(state);
  return `${service.serviceName}: ${parts.join(', ')}`;
}

/** Events not seen before, oldest first; marks them seen. */
export function newEvents(service: Service, seen: Set<string>): ServiceEvent[] {
  const fresh = (service.events ?? []).filter((e) => e.id && !seen.has(e.id));
  for (const event of fresh) seen.add(event.id as string);
  return fresh.reverse();
}
