import type { Operations } from '../operations.js';
import { clusterOperations } from './clusters.js';
import { serviceDeploymentOperations } from './service-deployment-operations.js';
import { serviceOperations } from './services.js';
import type { EcsState } from './state.js';
import { tagOperations } from './tags.js';
import { taskDefinitionOperations } from './task-definitions.js';
import { taskOperations } from './tasks.js';

/** Every ECS operation the simulator answers. */
export const ecsOperations: Operations<EcsState> = {
  ...clusterOperations,
  ...taskDefinitionOperations,
  ...serviceOperations,
  ...serviceDeploymentOperations,
  ...taskOperations,
  ...tagOperations,
};

export { tickEcs } from './scheduler.js';
export { fireSecondActors } from './second-actor.js';
export { updateService } from './services.js';
export { EcsState } from './state.js';
