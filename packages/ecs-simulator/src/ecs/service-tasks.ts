import { epochSeconds } from '../wire.js';
import type { ServiceRecord, TaskRecord } from './model.js';
import { addEvent, eventText } from './service-events.js';
import type { EcsState } from './state.js';
import { isActive, isAlive, requestStop, type TaskChange, taskIdOf } from './task-lifecycle.js';

/** Changes of one tick, per task. */
export type Changes = Map<TaskRecord, TaskChange[]>;

/** The tasks the service scheduler started for a service (any deployment, any status). */
export const tasksOfService = (state: EcsState, service: ServiceRecord): TaskRecord[] =>
  state.tasksOf(service.cluster).filter((t) => t.service === service.name);

/** Service events for what tasks did this tick (targets registered, health check failures, failed tasks). */
export function reportTaskChanges(service: ServiceRecord, tasks: TaskRecord[], changes: Changes): void {
  const targetGroup = service.data.loadBalancers?.[0];
  let registered = 0;
  for (const task of tasks) {
    const changed = changes.get(task) ?? [];
    if (changed.includes('running')) registered += 1;
    if (changed.includes('unhealthy') && targetGroup?.targetGroupArn) {
      addEvent(service, eventText.unhealthyTarget(service.name, targetGroup.containerPort, targetGroup.targetGroupArn));
    }
    if (changed.includes('stopped') && task.outcome?.failed) {
      const deployment = service.deployments.find((d) => d.data.id === task.deploymentId);
      if (deployment) deployment.data.failedTasks = (deployment.data.failedTasks ?? 0) + 1;
      if (task.outcome.stopCode === 'ServiceSchedulerInitiated') addEvent(service, eventText.stopped(service.name, [taskIdOf(task)]));
    }
  }
  if (registered && targetGroup?.targetGroupArn) {
    addEvent(service, eventText.registeredTargets(service.name, registered, targetGroup.targetGroupArn));
  }
}

/** Scheduler-initiated stop of service tasks (drain, scale in), with the events ECS sends. */
export function stopTasks(service: ServiceRecord, tasks: TaskRecord[], reason: string): void {
  if (!tasks.length) return;
  const running = tasks.filter((t) => t.data.lastStatus === 'RUNNING');
  for (const task of tasks) requestStop(task, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: reason, exitCode: 0, failed: false });
  const targetGroup = service.data.loadBalancers?.[0]?.targetGroupArn;
  if (targetGroup && running.length) addEvent(service, eventText.deregisteredTargets(service.name, running.length, targetGroup));
  addEvent(service, eventText.stopped(service.name, tasks.map(taskIdOf)));
  service.steady = false;
}

/** runningCount / pendingCount per deployment and for the service. */
export function updateCounts(service: ServiceRecord, tasks: TaskRecord[]): void {
  let running = 0;
  let pending = 0;
  const now = epochSeconds();
  for (const deployment of service.deployments) {
    const mine = tasks.filter((t) => t.deploymentId === deployment.data.id && isAlive(t));
    const r = mine.filter((t) => t.data.lastStatus === 'RUNNING').length;
    const p = mine.filter((t) => t.data.lastStatus !== 'RUNNING' && isActive(t)).length;
    if (deployment.data.status !== 'PRIMARY') deployment.data.desiredCount = mine.filter(isActive).length;
    if (r !== deployment.data.runningCount || p !== deployment.data.pendingCount) deployment.data.updatedAt = now;
    deployment.data.runningCount = r;
    deployment.data.pendingCount = p;
    running += r;
    pending += p;
  }
  service.data.runningCount = running;
  service.data.pendingCount = pending;
}

/** A deleted service: stop its tasks, INACTIVE once they are STOPPED. */
export function drainDeletedService(state: EcsState, service: ServiceRecord): void {
  stopTasks(service, tasksOfService(state, service).filter(isActive), 'Service was deleted');
  updateCounts(service, tasksOfService(state, service));
  if (!tasksOfService(state, service).some(isAlive)) {
    service.data.status = 'INACTIVE';
    service.deployments = [];
  }
}
