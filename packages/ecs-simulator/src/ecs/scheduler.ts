import type { ServiceRecord } from './model.js';
import { nativeRun, nativeStrategy } from './native.js';
import { rollingStrategy } from './rolling.js';
import { fireSecondActors } from './second-actor.js';
import { progressServiceDeployments } from './service-deployments.js';
import { type Changes, drainDeletedService, reportTaskChanges, tasksOfService } from './service-tasks.js';
import { updateService } from './services.js';
import type { EcsState } from './state.js';
import type { DeploymentStrategy } from './strategy.js';
import { advanceTask } from './task-lifecycle.js';

/**
 * The strategy that drives a service's deployments: a native BLUE_GREEN / LINEAR / CANARY
 * deployment while one is in progress for the PRIMARY deployment, else the rolling scheduler
 * (which also keeps a settled service at desiredCount and drains a rolled-back green).
 */
function strategyFor(state: EcsState, service: ServiceRecord): DeploymentStrategy {
  return nativeRun(state, service) ? nativeStrategy : rollingStrategy;
}

/** One step of simulated time: every task advances, then every service's scheduler acts. */
export function tickEcs(state: EcsState): void {
  state.tick += 1;
  const changes: Changes = new Map();
  for (const task of state.tasks.values()) {
    const changed = advanceTask(task, state.taskDefinition(task.data.taskDefinitionArn), state.logs);
    if (changed.length) changes.set(task, changed);
  }
  for (const service of state.services.values()) {
    if (service.data.status === 'INACTIVE') continue;
    reportTaskChanges(service, tasksOfService(state, service), changes);
    if (service.data.status === 'DRAINING') drainDeletedService(state, service);
    else strategyFor(state, service).step(state, service);
  }
  progressServiceDeployments(state);
  fireSecondActors(state, updateService);
}
