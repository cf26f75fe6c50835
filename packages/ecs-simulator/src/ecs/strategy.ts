import type { ServiceRecord } from './model.js';
import type { EcsState } from './state.js';

/**
 * How a service's deployments progress on each tick. The rolling update is one;
 * native blue/green, linear, canary and external controllers plug in here.
 */
export interface DeploymentStrategy {
  /** One tick of the service's scheduler: place, stop, count, complete or fail deployments. */
  step(state: EcsState, service: ServiceRecord): void;
}
