import type { DeploymentRecord, ServiceRecord } from './model.js';
import { addEvent, eventText } from './service-events.js';
import type { EcsState } from './state.js';
import { taskIdOf } from './task-lifecycle.js';
import { placeTask } from './task-placement.js';
import { serviceTaskPlan } from './task-plans.js';

/**
 * The service scheduler starting `count` tasks of a deployment (rolling PRIMARY or
 * blue/green's green), registered with `targetGroupArn`. When the deployment's
 * scenario cannot place tasks, an "unable to place" event at most every 10 ticks.
 */
export function startServiceTasks(
  state: EcsState,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  count: number,
  targetGroupArn: string | undefined,
): void {
  const definition = state.taskDefinition(deployment.data.taskDefinition);
  if (!definition) return;
  const container = definition.data.containerDefinitions?.find((c) => c.essential !== false);
  const plan = serviceTaskPlan(deployment.scenario, { image: container?.image ?? '', targetGroupArn });
  if (!plan) {
    if (deployment.lastStuckEventTick === undefined || state.tick - deployment.lastStuckEventTick >= 10) {
      deployment.lastStuckEventTick = state.tick;
      addEvent(service, eventText.unableToPlace(service.name));
    }
    return;
  }
  const started: string[] = [];
  for (let i = 0; i < count; i++) {
    const task = placeTask(state, {
      cluster: service.cluster,
      taskDefinition: definition,
      plan,
      group: `service:${service.name}`,
      launchType: deployment.data.launchType,
      capacityProviderStrategy: deployment.data.capacityProviderStrategy,
      platformVersion: deployment.data.platformVersion,
      networkConfiguration: deployment.data.networkConfiguration,
      startedBy: deployment.data.id,
      service: service.name,
      deploymentId: deployment.data.id,
      tags: service.data.propagateTags === 'SERVICE' ? state.tags.get(service.data.serviceArn ?? '') : undefined,
    });
    started.push(taskIdOf(task));
  }
  addEvent(service, eventText.started(service.name, started));
}
