import type { ContainerDefinition, RunTaskCommandInput, Service, Task } from '@aws-sdk/client-ecs';
import { type Clock, formatDuration, type Logger, poll } from '@baepo/action-kit';
import { awsCall } from './aws-errors.js';
import type { EcsApi, LogsApi } from './clients.js';
import { awslogsLocation, taskIdOf } from './log-location.js';

export interface MigrationRequest {
  cluster: string;
  taskDefinitionArn: string;
  containers: ContainerDefinition[];
  container: string;
  command: string[];
  /** The service whose launch type / capacity providers / network configuration are reused. */
  service?: Service;
  timeoutMs: number;
  intervalMs: number;
  roles: (string | undefined)[];
}

export interface MigrationResult {
  ok: boolean;
  taskArn?: string;
  exitCode?: number;
  /** Why it failed, one line. */
  reason?: string;
  /** Everything a reader needs: exit code, stoppedReason, last log lines. */
  details: string[];
}

/** Run the one-off task with the new revision and wait for STOPPED; ok only on exit code 0. */
export async function runMigration(
  deps: { ecs: EcsApi; logs: LogsApi; clock: Clock; logger: Logger; signal?: AbortSignal },
  request: MigrationRequest,
): Promise<MigrationResult> {
  const { ecs, logger } = deps;
  const { cluster, service } = request;
  const input: RunTaskCommandInput = {
    cluster,
    taskDefinition: request.taskDefinitionArn,
    count: 1,
    startedBy: 'baepo/ecs-deploy',
    overrides: { containerOverrides: [{ name: request.container, command: request.command }] },
  };
  if (service?.capacityProviderStrategy?.length) input.capacityProviderStrategy = service.capacityProviderStrategy;
  else if (service?.launchType) input.launchType = service.launchType;
  if (service?.networkConfiguration) input.networkConfiguration = service.networkConfiguration;
  if (service?.platformVersion && service.platformVersion !== 'LATEST') input.platformVersion = service.platformVersion;

  logger.info(`Migration: running ${JSON.stringify(request.command)} in container ${request.container} of ${request.taskDefinitionArn}`);
  const started = await awsCall('ecs:RunTask', request.taskDefinitionArn, () => ecs.runTask(input), request.roles);
  const task = started.tasks?.[0];
  if (!task?.taskArn) {
    const failures = (started.failures ?? []).map(
      (f) => `${f.reason ?? 'unknown'}${f.detail ? ` (${f.detail})` : ''}${f.arn ? ` ${f.arn}` : ''}`,
    );
    const reason = `RunTask started no task: ${failures.join('; ') || 'no failure reason returned'}`;
    return { ok: false, reason, details: [reason] };
  }
  const taskArn = task.taskArn;
  logger.info(`Migration task ${taskIdOf(taskArn)} started; waiting for it to stop.`);
  let lastStatus = task.lastStatus;
  const stopCommand = `aws ecs stop-task --cluster ${cluster} --task ${taskArn}`;
  const outcome = await poll<Task>({
    interval: request.intervalMs,
    timeout: request.timeoutMs,
    clock: deps.clock,
    signal: deps.signal,
    check: async () => {
      const described = await awsCall('ecs:DescribeTasks', taskArn, () => ecs.describeTasks({ cluster, tasks: [taskArn] }));
      const current = described.tasks?.[0];
      if (current?.lastStatus && current.lastStatus !== lastStatus) {
        lastStatus = current.lastStatus;
        logger.info(`Migration task ${taskIdOf(taskArn)}: ${lastStatus}`);
      }
      return current?.lastStatus === 'STOPPED' ? { done: true, value: current } : { done: false };
    },
  }).catch((error: unknown) => {
    if (!deps.signal?.aborted) throw error;
    return { status: 'cancelled' as const };
  });
  if (outcome.status === 'cancelled') {
    const reason = `the job was cancelled while the migration task ${taskIdOf(taskArn)} ran`;
    return { ok: false, taskArn, reason, details: [`${reason}; it was left running. Stop it with: ${stopCommand}`] };
  }
  if (outcome.status === 'timeout') {
    const reason = `the migration task ${taskIdOf(taskArn)} did not stop within ${formatDuration(request.timeoutMs)}`;
    return {
      ok: false,
      taskArn,
      reason,
      details: [`${reason}; it may still be running. Stop it with: ${stopCommand}`],
    };
  }
  const stopped = outcome.value;
  const container = stopped.containers?.find((c) => c.name === request.container);
  const exitCode = container?.exitCode;
  if (exitCode === 0) {
    logger.info(`Migration task ${taskIdOf(taskArn)} exited with code 0.`);
    return { ok: true, taskArn, exitCode, details: [] };
  }
  const reason =
    exitCode === undefined
      ? `the migration task never started: ${stopped.stoppedReason ?? container?.reason ?? 'no reason given'}`
      : `the migration exited with code ${exitCode}`;
  const details = [
    `Migration task ${taskIdOf(taskArn)}: ${exitCode === undefined ? 'no exit code (the container never ran)' : `exit code ${exitCode}`}`,
    `stoppedReason: ${stopped.stoppedReason ?? '(none)'}${stopped.stopCode ? ` (${stopped.stopCode})` : ''}`,
  ];
  if (container?.reason) details.push(`container reason: ${container.reason}`);
  const location = awslogsLocation(
    request.containers.find((c) => c.name === request.container),
    taskIdOf(taskArn),
  );
  if (location) details.push(...(await logTail(deps.logs, location.group, location.stream)));
  else details.push(`container ${request.container} does not log with awslogs: no log lines to show.`);
  return { ok: false, taskArn, ...(exitCode === undefined ? {} : { exitCode }), reason, details };
}

async function logTail(logs: LogsApi, group: string, stream: string): Promise<string[]> {
  try {
    const response = await logs.getLogEvents({ logGroupName: group, logStreamName: stream, limit: 50, startFromHead: false });
    const events = response.events ?? [];
    if (events.length === 0) return [`No log lines in ${group} ${stream}.`];
    return [`Last ${events.length} log lines (${group} ${stream}):`, ...events.map((e) => `  | ${e.message ?? ''}`)];
  } catch (error) {
    return [`Could not read logs ${group} ${stream}: ${(error as Error).message} (grant logs:GetLogEvents to see them here).`];
  }
}
