import type { HealthStatus } from '@aws-sdk/client-ecs';
import type { LogsState } from '../logs.js';
import { epochSeconds } from '../wire.js';
import type { StopOutcome, TaskDefinitionRecord, TaskRecord } from './model.js';

/** What happened to a task during one tick. */
export type TaskChange = 'pending' | 'running' | 'healthy' | 'unhealthy' | 'stopped';

/** The id at the end of a task ARN. */
export const taskIdOf = (task: TaskRecord): string => (task.data.taskArn ?? '').split('/').pop() ?? '';

/** True while the task counts for its deployment (not STOPPED, not being stopped). */
export const isActive = (task: TaskRecord): boolean => task.data.desiredStatus === 'RUNNING' && task.data.lastStatus !== 'STOPPED';

/** True until the task is STOPPED (a task being stopped still holds capacity). */
export const isAlive = (task: TaskRecord): boolean => task.data.lastStatus !== 'STOPPED';

/** Ask a task to stop: desiredStatus STOPPED now, lastStatus STOPPED on the next tick. */
export function requestStop(task: TaskRecord, outcome: StopOutcome): void {
  if (task.data.lastStatus === 'STOPPED' || task.pendingStop) return;
  task.data.desiredStatus = 'STOPPED';
  task.data.stoppingAt = epochSeconds();
  task.pendingStop = outcome;
}

/** The container an outcome is about: the named one, else the first essential one. */
function targetContainer(task: TaskRecord, name: string | undefined, definition: TaskDefinitionRecord | undefined): string | undefined {
  const essential = definition?.data.containerDefinitions?.find((c) => c.essential !== false)?.name;
  return name ?? essential ?? task.data.containers?.[0]?.name;
}

/** Write the plan's log lines to the container's awslogs stream `<prefix>/<container>/<task id>`. */
function writeLogs(task: TaskRecord, definition: TaskDefinitionRecord | undefined, container: string | undefined, logs: LogsState): void {
  if (!task.plan.logLines?.length || !definition) return;
  const config = definition.data.containerDefinitions?.find((c) => c.name === container)?.logConfiguration;
  if (config?.logDriver !== 'awslogs') return;
  const group = config.options?.['awslogs-group'];
  if (!group) return;
  const prefix = config.options?.['awslogs-stream-prefix'];
  const stream = prefix ? `${prefix}/${container}/${taskIdOf(task)}` : `${container}/${taskIdOf(task)}`;
  logs.write(group, stream, task.plan.logLines);
}

/**
 * Container health checks as ECS reports them: containers with a `healthCheck` get the status,
 * others stay UNKNOWN; the task is UNHEALTHY if any essential one is, HEALTHY if all checked ones are.
 * A scenario that fails container health checks applies to every container.
 */
function setContainerHealth(task: TaskRecord, definition: TaskDefinitionRecord | undefined, status: HealthStatus): void {
  const definitions = definition?.data.containerDefinitions ?? [];
  const checked = (name: string | undefined) => definitions.find((c) => c.name === name)?.healthCheck !== undefined;
  for (const container of task.data.containers ?? []) {
    if (status === 'UNHEALTHY' || checked(container.name)) container.healthStatus = status;
  }
  if (status === 'UNHEALTHY' || task.data.containers?.some((c) => checked(c.name))) task.data.healthStatus = status;
}

/** Stop a task now with an outcome: STOPPED, stop code, reason, container exit codes. */
export function stopTask(task: TaskRecord, outcome: StopOutcome, definition?: TaskDefinitionRecord, logs?: LogsState): void {
  const now = epochSeconds();
  const data = task.data;
  const started = data.startedAt !== undefined;
  const target = targetContainer(task, outcome.container, definition) ?? '';
  if (logs) writeLogs(task, definition, target, logs);
  task.outcome = outcome;
  task.pendingStop = undefined;
  data.lastStatus = 'STOPPED';
  data.desiredStatus = 'STOPPED';
  data.stopCode = outcome.stopCode;
  data.stoppedReason = outcome.stoppedReason;
  data.stoppingAt ??= now;
  data.executionStoppedAt = now;
  data.stoppedAt = now;
  data.connectivity = 'DISCONNECTED';
  for (const container of data.containers ?? []) {
    container.lastStatus = 'STOPPED';
    if (container.name === target) {
      if (outcome.exitCode !== undefined && started) container.exitCode = outcome.exitCode;
      if (outcome.containerReason) container.reason = outcome.containerReason;
    } else if (started) {
      container.exitCode = 0;
    }
  }
  if (data.attachments?.[0]) data.attachments[0].status = 'DELETED';
  data.version = (data.version ?? 0) + 1;
}

/** Advance a task one tick along its plan (or a requested stop); returns what changed. */
export function advanceTask(task: TaskRecord, definition: TaskDefinitionRecord | undefined, logs: LogsState): TaskChange[] {
  const data = task.data;
  if (data.lastStatus === 'STOPPED') return [];
  task.age += 1;
  const plan = task.plan;
  const now = epochSeconds();
  if (task.pendingStop) {
    stopTask(task, task.pendingStop, definition);
    return ['stopped'];
  }
  const changes: TaskChange[] = [];
  if (data.lastStatus === 'PROVISIONING' && task.age >= plan.pendingAt) {
    data.lastStatus = 'PENDING';
    data.pullStartedAt = now;
    if (data.attachments?.[0]) data.attachments[0].status = 'ATTACHED';
    changes.push('pending');
  }
  if (data.lastStatus === 'PENDING' && plan.runningAt !== undefined && task.age >= plan.runningAt) {
    data.lastStatus = 'RUNNING';
    data.pullStoppedAt = now;
    data.startedAt = now;
    data.connectivity = 'CONNECTED';
    data.connectivityAt = now;
    for (const container of data.containers ?? []) container.lastStatus = 'RUNNING';
    changes.push('running');
  }
  if (data.lastStatus === 'RUNNING' && plan.healthyAt !== undefined && task.age >= plan.healthyAt && !task.healthy) {
    task.healthy = true;
    setContainerHealth(task, definition, 'HEALTHY');
    changes.push('healthy');
  }
  if (data.lastStatus === 'RUNNING' && plan.unhealthyAt !== undefined && task.age >= plan.unhealthyAt && !task.unhealthy) {
    task.unhealthy = true;
    if (plan.stop?.containerHealth) setContainerHealth(task, definition, plan.stop.containerHealth);
    changes.push('unhealthy');
  }
  if (plan.stop && plan.stopAt !== undefined && task.age >= plan.stopAt) {
    stopTask(task, plan.stop, definition, logs);
    changes.push('stopped');
  } else if (changes.length) {
    data.version = (data.version ?? 0) + 1;
  }
  return changes;
}
