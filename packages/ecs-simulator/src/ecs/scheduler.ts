import type { ServiceRecord } from './model.js';
import { rollingStrategy } from './rolling.js';
import { type Changes, drainDeletedService, reportTaskChanges, tasksOfService } from './service-tasks.js';
import type { EcsState } from './state.js';
import type { DeploymentStrategy } from './strategy.js';
import { advanceTask } from './task-lifecycle.js';

/**
 * The strategy that drives a service's deployments. Only the rolling update so far;
 * part 2 chooses by `deploymentConfiguration.strategy` and `deploymentController.type`.
 */
function strategyFor(_service: ServiceRecord): DeploymentStrategy {
  return rollingStrategy;
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
    else strategyFor(service).step(state, service);
  }
}
