import type { UpdateServiceRequest } from '@aws-sdk/client-ecs';
import type { RolloutScenario, SecondActor } from '../types.js';
import type { ServiceRecord } from './model.js';
import type { EcsState } from './state.js';

/** A second actor waiting for its moment: armed by the next deployment of its service. */
export interface ScheduledActor {
  cluster: string;
  service: string;
  actor: SecondActor;
  /** Tick the service's next deployment started (armed); undefined until then. */
  armedTick?: number;
  /** Calls of `actor.afterCalls.operation` answered since armed. */
  calls: number;
}

/** What the actor's UpdateService runs: the services' own UpdateService, with the actor's scenario. */
export type UpdateService = (state: EcsState, input: UpdateServiceRequest, scenario: RolloutScenario) => unknown;

/** A deployment of the service started (not the actor's own, not a rollback): arm its actors. */
export function armSecondActors(state: EcsState, service: ServiceRecord): void {
  for (const scheduled of state.actors) {
    if (scheduled.armedTick !== undefined || scheduled.service !== service.name) continue;
    if (scheduled.cluster !== '*' && scheduled.cluster !== service.cluster) continue;
    scheduled.armedTick = state.tick;
  }
}

/**
 * Fire the armed actors whose moment came: `afterTicks` ticks after arming, or right
 * after the `afterCalls.count`-th answer to `afterCalls.operation` (so that answer
 * still shows the state before the actor's UpdateService). Each actor fires once.
 */
export function fireSecondActors(state: EcsState, update: UpdateService, answered?: string): void {
  for (const scheduled of [...state.actors]) {
    if (scheduled.armedTick === undefined) continue;
    const { actor } = scheduled;
    if (actor.afterCalls) {
      if (answered !== actor.afterCalls.operation || ++scheduled.calls < actor.afterCalls.count) continue;
    } else if (answered !== undefined || state.tick - scheduled.armedTick < (actor.afterTicks ?? 2)) {
      continue;
    }
    state.actors.delete(scheduled);
    const service = [...state.services.values()].find(
      (s) => s.name === scheduled.service && (scheduled.cluster === '*' || s.cluster === scheduled.cluster),
    );
    if (!service) continue;
    update(
      state,
      {
        cluster: service.cluster,
        service: service.name,
        taskDefinition: actor.taskDefinition,
        ...(actor.desiredCount === undefined ? {} : { desiredCount: actor.desiredCount }),
      },
      actor.scenario ?? { kind: 'healthy' },
    );
  }
}
