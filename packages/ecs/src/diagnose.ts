import type { ContainerDefinition, Service, Task } from '@aws-sdk/client-ecs';
import { code, markdownTable } from '@baepo/action-kit';
import type { EcsApi } from './clients.js';
import { awslogsLocation, taskIdOf } from './log-location.js';
import { familyOf } from './task-definition-source.js';

export interface StoppedTaskReport {
  taskId: string;
  stoppedReason?: string;
  stopCode?: string;
  containers: { name: string; exitCode?: number; reason?: string; healthStatus?: string; logs?: string }[];
}

export interface Diagnosis {
  service: string;
  stoppedTasks: StoppedTaskReport[];
  events: string[];
}

/**
 * The evidence for a failed or stuck deployment: its stopped tasks (reason,
 * stop code, per container exit code, reason, health and log location) and the
 * last service events. Two calls: ListTasks (STOPPED, startedBy the deployment,
 * else the family) and DescribeTasks.
 */
export async function diagnoseDeployment(
  ecs: EcsApi,
  request: { cluster: string; service: Service | undefined; serviceName: string; deploymentId: string; containers: ContainerDefinition[] },
): Promise<Diagnosis> {
  const { cluster, deploymentId } = request;
  const events = (request.service?.events ?? []).slice(0, 5).map((e) => e.message ?? '');
  let stoppedTasks: StoppedTaskReport[] = [];
  try {
    let arns = (await ecs.listTasks({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 10 })).taskArns ?? [];
    if (arns.length === 0) {
      const deployment = request.service?.deployments?.find((d) => d.id === deploymentId);
      const family = deployment?.taskDefinition ? familyOf(deployment.taskDefinition) : undefined;
      if (family) arns = (await ecs.listTasks({ cluster, family, desiredStatus: 'STOPPED', maxResults: 10 })).taskArns ?? [];
    }
    if (arns.length > 0) {
      const tasks = (await ecs.describeTasks({ cluster, tasks: arns.slice(0, 10) })).tasks ?? [];
      stoppedTasks = tasks.slice(0, 5).map((task) => reportTask(task, request.containers));
    }
  } catch (error) {
    events.push(`(could not list stopped tasks: ${(error as Error).message})`);
  }
  return { service: request.serviceName, stoppedTasks, events };
}

function reportTask(task: Task, definitions: ContainerDefinition[]): StoppedTaskReport {
  const taskId = taskIdOf(task.taskArn);
  return {
    taskId,
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    containers: (task.containers ?? []).map((c) => {
      const location = awslogsLocation(
        definitions.find((d) => d.name === c.name),
        taskId,
      );
      return {
        name: c.name ?? '?',
        ...(c.exitCode === undefined ? {} : { exitCode: c.exitCode }),
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.healthStatus ? { healthStatus: c.healthStatus } : {}),
        ...(location ? { logs: `${location.group} ${location.stream}` } : {}),
      };
    }),
  };
}

/** The diagnosis as log lines. */
export function diagnosisLines(diagnosis: Diagnosis): string[] {
  const lines: string[] = [];
  if (diagnosis.stoppedTasks.length === 0) lines.push(`${diagnosis.service}: no stopped tasks found for the new deployment.`);
  for (const task of diagnosis.stoppedTasks) {
    lines.push(
      `${diagnosis.service}: task ${task.taskId} stopped: ${task.stoppedReason ?? 'no reason given'}${task.stopCode ? ` (${task.stopCode})` : ''}`,
    );
    for (const c of task.containers) {
      const parts = [
        c.exitCode === undefined ? 'no exit code (never ran)' : `exit code ${c.exitCode}`,
        c.reason ? `reason: ${c.reason}` : undefined,
        c.healthStatus && c.healthStatus !== 'UNKNOWN' ? `health: ${c.healthStatus}` : undefined,
        c.logs ? `logs: ${c.logs}` : undefined,
      ].filter(Boolean);
      lines.push(`  container ${c.name}: ${parts.join(', ')}`);
    }
  }
  if (diagnosis.events.length > 0) {
    lines.push(`${diagnosis.service}: last events:`);
    for (const event of diagnosis.events) lines.push(`  ${event}`);
  }
  return lines;
}

/** The diagnosis as markdown for the step summary. */
export function diagnosisMarkdown(diagnosis: Diagnosis): string {
  const rows = diagnosis.stoppedTasks.flatMap((task) =>
    task.containers.map((c) => [
      code(task.taskId),
      `${task.stoppedReason ?? ''}${task.stopCode ? ` (${task.stopCode})` : ''}`,
      c.name,
      c.exitCode ?? '—',
      c.reason ?? '',
      c.healthStatus && c.healthStatus !== 'UNKNOWN' ? c.healthStatus : '',
      c.logs ? code(c.logs) : '',
    ]),
  );
  const parts = [`#### Why ${code(diagnosis.service)} failed`];
  parts.push(
    rows.length
      ? markdownTable(['task', 'stopped reason', 'container', 'exit code', 'reason', 'health', 'logs (group stream)'], rows)
      : 'No stopped tasks found for the new deployment.',
  );
  if (diagnosis.events.length) parts.push(`Last events:\n\n${diagnosis.events.map((e) => `- ${e}`).join('\n')}`);
  return parts.join('\n\n');
}
