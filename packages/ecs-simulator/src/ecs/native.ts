import { epochSeconds } from '../wire.js';
import { breakerThreshold } from './deployments.js';
import { invokeHooks, resolveHooks } from './lifecycle-hooks.js';
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord } from './model.js';
import { record } from './rolling.js';
import { finish, setStatus } from './service-deployments.js';
import { addEvent, eventText } from './service-events.js';
import { startServiceTasks } from './service-placement.js';
import { stopTasks, tasksOfService, updateCounts } from './service-tasks.js';
import type { EcsState } from './state.js';
import type { DeploymentStrategy } from './strategy.js';
import { isActive, isAlive } from './task-lifecycle.js';

/** The lifecycle stages a native deployment goes through, in order (PRE_PRODUCTION_TRAFFIC_SHIFT only with a hook there). */
const STAGES = [
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

/** The service deployment a native strategy drives for the service's PRIMARY deployment, if any. */
export function nativeRun(state: EcsState, service: ServiceRecord): ServiceDeploymentRecord | undefined {
  const primary = service.deployments[0];
  const run = state.serviceDeployments.get(primary?.serviceDeploymentArn ?? '');
  if (!run || run.strategy === 'ROLLING' || run.done || run.target !== primary) return undefined;
  return run;
}

/**
 * ECS native BLUE_GREEN, LINEAR and CANARY deployments: green tasks scale up beside
 * blue, test then production traffic shifts (all at once, in linear steps, or canary
 * then the rest), bake, blue is cleaned up. Hooks gate every stage; failures roll back.
 */
export const nativeStrategy: DeploymentStrategy = {
  step(state: EcsState, service: ServiceRecord): void {
    const run = nativeRun(state, service);
    if (!run) return;
    stepNative(state, service, run);
    updateCounts(service, tasksOfService(state, service));
  },
};

function stepNative(state: EcsState, service: ServiceRecord, run: ServiceDeploymentRecord): void {
  const green = run.target;
  if (run.data.status === 'ROLLBACK_REQUESTED') {
    rollBack(state, service, run, run.rollbackReason ?? 'Rollback requested.');
    return;
  }
  const desired = service.data.desiredCount ?? 0;
  green.data.desiredCount = desired;
  const breaker = service.data.deploymentConfiguration?.deploymentCircuitBreaker;
  if (breaker?.enable && (green.data.failedTasks ?? 0) >= breakerThreshold(state, desired)) {
    addEvent(service, eventText.deploymentFailed(service.name, green.data.id ?? ''));
    rollBack(state, service, run, 'ECS deployment circuit breaker: tasks failed to start.');
    return;
  }
  const stage = run.data.lifecycleStage ?? 'PRE_SCALE_UP';
  if (stage !== 'PRE_SCALE_UP' && stage !== 'CLEAN_UP') placeGreen(state, service, green, desired);
  const hooks = resolveHooks(state, run, stage);
  if (hooks.kind === 'rollback') {
    rollBack(state, service, run, hooks.reason);
    return;
  }
  if (stage === 'PRODUCTION_TRAFFIC_SHIFT' && hooks.kind === 'done' && shiftProduction(state, service, run)) return;
  if (hooks.kind === 'waiting' || !stageDone(state, service, run, stage, desired)) return;
  const next = nextStage(run, stage);
  if (!next) return;
  enter(state, service, run, next);
}

/** The stage after `stage`; PRE_PRODUCTION_TRAFFIC_SHIFT is skipped unless a hook is configured there. */
function nextStage(run: ServiceDeploymentRecord, stage: string): string | undefined {
  const hooks = run.data.deploymentConfiguration?.lifecycleHooks ?? [];
  let index = STAGES.indexOf(stage as (typeof STAGES)[number]) + 1;
  if (STAGES[index] === 'PRE_PRODUCTION_TRAFFIC_SHIFT' && !hooks.some((h) => h.lifecycleStages?.includes('PRE_PRODUCTION_TRAFFIC_SHIFT'))) {
    index += 1;
  }
  return STAGES[index];
}

function enter(state: EcsState, service: ServiceRecord, run: ServiceDeploymentRecord, stage: string): void {
  run.data.lifecycleStage = stage as ServiceDeploymentRecord['data']['lifecycleStage'];
  run.data.updatedAt = epochSeconds();
  run.stages.push(stage);
  run.stageTick = state.tick;
  invokeHooks(state, run, stage);
  if (stage === 'TEST_TRAFFIC_SHIFT') run.testWeight = 100;
  if (stage === 'PRODUCTION_TRAFFIC_SHIFT') shiftProduction(state, service, run);
  if (stage === 'CLEAN_UP') {
    const blue = tasksOfService(state, service).filter((t) => t.deploymentId !== run.target.data.id && isActive(t));
    stopTasks(service, blue, `Scaling activity initiated by (deployment ${run.target.data.id})`);
  }
}

/** Traffic percentages on green after each production shift step. */
function shiftSteps(run: ServiceDeploymentRecord): number[] {
  const configuration = run.data.deploymentConfiguration;
  if (run.strategy === 'LINEAR') {
    const step = configuration?.linearConfiguration?.stepPercent ?? 10;
    const steps: number[] = [];
    for (let weight = step; weight < 100; weight = Math.round((weight + step) * 10) / 10) steps.push(weight);
    return [...steps, 100];
  }
  if (run.strategy === 'CANARY') return [configuration?.canaryConfiguration?.canaryPercent ?? 5, 100];
  return [100];
}

/** Simulated minutes to wait after a production shift step below 100%. */
function stepBakeMinutes(run: ServiceDeploymentRecord): number {
  const configuration = run.data.deploymentConfiguration;
  if (run.strategy === 'LINEAR') return configuration?.linearConfiguration?.stepBakeTimeInMinutes ?? 6;
  if (run.strategy === 'CANARY') return configuration?.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10;
  return 0;
}

/**
 * Shift the next step of production traffic when it is due (on entering the stage, then
 * after each step bake time). True when it shifted (or rolled back) this tick.
 */
function shiftProduction(state: EcsState, service: ServiceRecord, run: ServiceDeploymentRecord): boolean {
  if (run.productionWeight >= 100) return false;
  const first = run.productionWeight === 0;
  if (!first && state.tick - run.stageTick < Math.max(1, stepBakeMinutes(run) * state.minuteTicks)) return true;
  const next = shiftSteps(run).find((weight) => weight > run.productionWeight) ?? 100;
  run.productionWeight = next;
  run.stageTick = state.tick;
  run.data.updatedAt = epochSeconds();
  if (!first) {
    run.stages.push('PRODUCTION_TRAFFIC_SHIFT');
    invokeHooks(state, run, 'PRODUCTION_TRAFFIC_SHIFT');
  }
  if (run.target.scenario.kind === 'unhealthy-after-shift') {
    const targetGroup = service.data.loadBalancers?.[0];
    const alternate = targetGroup?.advancedConfiguration?.alternateTargetGroupArn ?? targetGroup?.targetGroupArn;
    if (alternate) addEvent(service, eventText.unhealthyTarget(service.name, targetGroup?.containerPort, alternate));
    rollBack(
      state,
      service,
      run,
      `Service deployment rolled back because tasks of the target service revision failed ELB health checks in (target-group ${alternate ?? 'none'}) during production traffic shift.`,
    );
  }
  return true;
}

/** Whether the stage's own work is finished (hooks aside). */
function stageDone(state: EcsState, service: ServiceRecord, run: ServiceDeploymentRecord, stage: string, desired: number): boolean {
  const tasks = tasksOfService(state, service);
  switch (stage) {
    case 'SCALE_UP': {
      const green = tasks.filter((t) => t.deploymentId === run.target.data.id && isActive(t));
      return green.length === desired && green.every((t) => t.healthy);
    }
    case 'PRODUCTION_TRAFFIC_SHIFT':
      return run.productionWeight >= 100;
    case 'BAKE_TIME': {
      const minutes = run.data.deploymentConfiguration?.bakeTimeInMinutes ?? 0;
      return state.tick - run.stageTick >= Math.max(1, minutes * state.minuteTicks);
    }
    case 'CLEAN_UP': {
      if (tasks.some((t) => t.deploymentId !== run.target.data.id && isAlive(t))) return false;
      complete(state, service, run);
      return false;
    }
    default:
      return state.tick > run.stageTick;
  }
}

/** Start green tasks up to desired (replacing failed ones), whatever maximumPercent says: blue keeps running. */
function placeGreen(state: EcsState, service: ServiceRecord, green: DeploymentRecord, desired: number): void {
  const active = tasksOfService(state, service).filter((t) => t.deploymentId === green.data.id && isActive(t)).length;
  const count = desired - active;
  if (count <= 0) return;
  const lb = service.data.loadBalancers?.[0];
  startServiceTasks(state, service, green, count, lb?.advancedConfiguration?.alternateTargetGroupArn ?? lb?.targetGroupArn);
}

/** Blue is gone: SUCCESSFUL, green alone and COMPLETED. */
function complete(state: EcsState, service: ServiceRecord, run: ServiceDeploymentRecord): void {
  const green = run.target;
  green.data.rolloutState = 'COMPLETED';
  green.data.rolloutStateReason = `ECS deployment ${green.data.id} completed.`;
  green.data.updatedAt = epochSeconds();
  service.deployments = [green];
  service.lastCompletedTaskDefinition = green.data.taskDefinition;
  service.lastCompletedDeploymentId = green.data.id;
  record(state, service, green);
  addEvent(service, eventText.deploymentCompleted(service.name, green.data.id ?? ''));
  finish(run, 'SUCCESSFUL', 'Service deployment completed successfully.');
}

/**
 * Roll back: production and test traffic back to blue, blue PRIMARY again, green FAILED
 * (its tasks are then drained by the rolling scheduler of blue); ROLLBACK_SUCCESSFUL once
 * they are gone (progressServiceDeployments).
 */
export function rollBack(state: EcsState, service: ServiceRecord, run: ServiceDeploymentRecord, reason: string): void {
  const green = run.target;
  const blue = run.sources.find((d) => service.deployments.includes(d));
  run.productionWeight = 0;
  run.testWeight = 0;
  run.data.rollback = { reason, startedAt: epochSeconds(), serviceRevisionArn: blue?.revisionArn };
  green.data.rolloutState = 'FAILED';
  green.data.rolloutStateReason = reason;
  green.data.updatedAt = epochSeconds();
  record(state, service, green);
  if (!blue) {
    stopTasks(
      service,
      tasksOfService(state, service).filter((t) => t.deploymentId === green.data.id && isActive(t)),
      reason,
    );
    finish(run, 'ROLLBACK_FAILED', `${reason} No previous service revision to roll back to.`);
    return;
  }
  green.data.status = 'ACTIVE';
  blue.data.status = 'PRIMARY';
  blue.data.updatedAt = epochSeconds();
  service.deployments = [blue, ...service.deployments.filter((d) => d !== blue)];
  service.data.taskDefinition = blue.data.taskDefinition;
  service.steady = false;
  addEvent(service, eventText.rollingBack(service.name, green.data.id ?? '', blue.data.id ?? ''));
  setStatus(run, 'ROLLBACK_IN_PROGRESS', reason);
}
