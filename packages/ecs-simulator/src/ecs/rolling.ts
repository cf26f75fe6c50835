import { epochSeconds } from '../wire.js';
import { breakerThreshold, startDeployment } from './deployments.js';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './model.js';
import { addEvent, eventText } from './service-events.js';
import { startServiceTasks } from './service-placement.js';
import { stopTasks, tasksOfService, updateCounts } from './service-tasks.js';
import type { EcsState } from './state.js';
import type { DeploymentStrategy } from './strategy.js';
import { isActive, isAlive } from './task-lifecycle.js';

/**
 * The ECS rolling update (deployment controller ECS, strategy ROLLING): start
 * new tasks within maximumPercent, stop old ones once new ones are healthy while
 * keeping minimumHealthyPercent, trip the circuit breaker, complete.
 */
export const rollingStrategy: DeploymentStrategy = {
  step(state: EcsState, service: ServiceRecord): void {
    stepRolling(state, service);
  },
};

function stepRolling(state: EcsState, service: ServiceRecord): void {
  const serviceTasks = () => tasksOfService(state, service);
  const primary = service.deployments[0];
  if (!primary) return;
  const desired = service.data.desiredCount ?? 0;
  primary.data.desiredCount = desired;
  if (tripBreaker(state, service, primary, desired)) {
    stepRolling(state, service);
    return;
  }
  if (primary.data.rolloutState !== 'FAILED') {
    const alive = serviceTasks().filter(isAlive);
    const mine = alive.filter((t) => t.deploymentId === primary.data.id && isActive(t)).length;
    const others = alive.filter((t) => t.deploymentId !== primary.data.id || !isActive(t)).length;
    place(state, service, primary, mine, others, desired);
  }
  drainOld(service, primary, serviceTasks(), desired);
  scaleIn(
    service,
    serviceTasks().filter((t) => t.deploymentId === primary.data.id && isActive(t)),
    desired,
    primary,
  );
  const tasks = serviceTasks();
  // Drained deployments go; a FAILED one stays visible until the PRIMARY completes (circuit-breaker rollback).
  service.deployments = service.deployments.filter(
    (d) => d === primary || d.data.rolloutState === 'FAILED' || tasks.some((t) => t.deploymentId === d.data.id && isAlive(t)),
  );
  updateCounts(service, tasks);
  complete(state, service, primary, tasks, desired);
}

/** Start tasks for the PRIMARY deployment up to desired, within maximumPercent. */
function place(
  state: EcsState,
  service: ServiceRecord,
  primary: DeploymentRecord,
  active: number,
  oldActive: number,
  desired: number,
): void {
  const maximumPercent = service.data.deploymentConfiguration?.maximumPercent ?? 200;
  const room = Math.max(Math.floor((desired * maximumPercent) / 100), desired > 0 ? 1 : 0) - active - oldActive;
  const count = Math.min(desired - active, room);
  if (count <= 0) return;
  startServiceTasks(state, service, primary, count, service.data.loadBalancers?.[0]?.targetGroupArn);
}

/** Circuit breaker: too many failed tasks → FAILED, and with rollback a new deployment of the last good task definition. */
function tripBreaker(state: EcsState, service: ServiceRecord, primary: DeploymentRecord, desired: number): boolean {
  const breaker = service.data.deploymentConfiguration?.deploymentCircuitBreaker;
  const failed = primary.data.failedTasks ?? 0;
  if (primary.data.rolloutState !== 'IN_PROGRESS') return false;
  if (!breaker?.enable) {
    if (failed >= 3 && !primary.warnedFailing) {
      primary.warnedFailing = true;
      addEvent(service, eventText.failingToStart(service.name));
    }
    return false;
  }
  if (failed < breakerThreshold(state, desired)) return false;
  const id = primary.data.id ?? '';
  primary.data.rolloutState = 'FAILED';
  primary.data.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  primary.data.updatedAt = epochSeconds();
  record(state, service, primary);
  addEvent(service, eventText.deploymentFailed(service.name, id));
  const previous = service.lastCompletedTaskDefinition;
  if (!breaker.rollback || !previous) return false;
  const rollback = startDeployment(state, service, previous, {
    scenario: { kind: 'healthy' },
    rollbackOf: primary,
    reason: `ECS deployment circuit breaker: rolling back to deploymentId ${service.lastCompletedDeploymentId}.`,
  });
  addEvent(service, eventText.rollingBack(service.name, rollback.data.id ?? '', service.lastCompletedDeploymentId ?? ''));
  return true;
}

/** Stop old deployments' tasks once enough new ones are healthy, keeping minimumHealthyPercent. */
function drainOld(service: ServiceRecord, primary: DeploymentRecord, tasks: TaskRecord[], desired: number): void {
  const old = tasks.filter((t) => t.deploymentId !== primary.data.id && isActive(t));
  if (!old.length) return;
  const fresh = tasks.filter((t) => t.deploymentId === primary.data.id && isActive(t));
  const healthy = fresh.filter((t) => t.healthy).length;
  const oldRunning = old.filter((t) => t.data.lastStatus === 'RUNNING').length;
  const configuration = service.data.deploymentConfiguration;
  const minimumHealthy = Math.ceil((desired * (configuration?.minimumHealthyPercent ?? 100)) / 100);
  const maximumTotal = Math.floor((desired * (configuration?.maximumPercent ?? 200)) / 100);
  // Old tasks above desired once new ones are healthy...
  const surplus = healthy + old.length - desired;
  // ...and room the PRIMARY still needs that maximumPercent does not give, never below minimumHealthyPercent.
  const placing = primary.data.rolloutState === 'FAILED' ? 0 : desired - fresh.length;
  const missingRoom = Math.min(placing, tasks.filter(isAlive).length + placing - maximumTotal);
  const allowed = healthy + oldRunning - minimumHealthy;
  const count = Math.min(old.length, Math.max(surplus, Math.min(missingRoom, allowed)));
  if (count <= 0) return;
  // Tasks not yet running go first, then the oldest deployments' tasks.
  const order = [...old].sort((a, b) => Number(a.data.lastStatus === 'RUNNING') - Number(b.data.lastStatus === 'RUNNING'));
  stopTasks(service, order.slice(0, count), `Scaling activity initiated by (deployment ${primary.data.id})`);
}

/** Stop the newest tasks of the PRIMARY deployment above desired (desiredCount lowered). */
function scaleIn(service: ServiceRecord, active: TaskRecord[], desired: number, primary: DeploymentRecord): void {
  const excess = active.length - desired;
  if (excess > 0) stopTasks(service, active.slice(-excess), `Scaling activity initiated by (deployment ${primary.data.id})`);
}

/** PRIMARY alone, all desired tasks healthy → COMPLETED; then a steady-state event once. */
function complete(state: EcsState, service: ServiceRecord, primary: DeploymentRecord, tasks: TaskRecord[], desired: number): void {
  const fresh = tasks.filter((t) => t.deploymentId === primary.data.id && isActive(t));
  const othersAlive = tasks.some((t) => t.deploymentId !== primary.data.id && isAlive(t));
  const settled = !othersAlive && fresh.length === desired && fresh.every((t) => t.healthy);
  if (!settled) return;
  service.deployments = [primary];
  if (primary.data.rolloutState === 'IN_PROGRESS') {
    primary.data.rolloutState = 'COMPLETED';
    primary.data.rolloutStateReason = `ECS deployment ${primary.data.id} completed.`;
    primary.data.updatedAt = epochSeconds();
    service.lastCompletedTaskDefinition = primary.data.taskDefinition;
    service.lastCompletedDeploymentId = primary.data.id;
    record(state, service, primary);
    addEvent(service, eventText.deploymentCompleted(service.name, primary.data.id ?? ''));
  }
  if (!service.steady && primary.data.rolloutState === 'COMPLETED') {
    service.steady = true;
    addEvent(service, eventText.steadyState(service.name));
  }
}

export function record(state: EcsState, service: ServiceRecord, deployment: DeploymentRecord): void {
  state.rollouts.push({
    cluster: service.cluster,
    service: service.name,
    deploymentId: deployment.data.id ?? '',
    taskDefinition: deployment.data.taskDefinition ?? '',
    rolloutState: deployment.data.rolloutState ?? '',
    at: Date.now(),
  });
}
