import type { DescribeTasksRequest, ListTasksRequest, RunTaskRequest, StopTaskRequest } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../errors.js';
import type { Operations } from '../operations.js';
import { validateLaunch } from './launch-validation.js';
import type { TaskRecord } from './model.js';
import { page } from './paging.js';
import type { EcsState } from './state.js';
import { requestStop } from './task-lifecycle.js';
import { placeTask } from './task-placement.js';
import { runTaskPlan } from './task-plans.js';

/** A task by ARN or id in a cluster. */
function findTask(state: EcsState, cluster: string, ref: string): TaskRecord | undefined {
  const task = state.tasks.get(ref.startsWith('arn:') ? ref : state.arns.task(cluster, ref));
  return task?.cluster === cluster ? task : undefined;
}

const taskView = (task: TaskRecord, withTags: boolean) => ({ ...task.data, tags: withTags ? task.data.tags : undefined });

export const taskOperations: Operations<EcsState> = {
  RunTask: (state, input: RunTaskRequest) => {
    const cluster = state.cluster(input.cluster);
    const definition = state.requireTaskDefinition(input.taskDefinition);
    const count = input.count ?? 1;
    if (count < 1 || count > 10) throw invalidParameter('Count must be between 1 and 10.');
    validateLaunch(definition, input);
    const containers = definition.data.containerDefinitions ?? [];
    for (const override of input.overrides?.containerOverrides ?? []) {
      if (!containers.some((c) => c.name === override.name)) {
        throw invalidParameter(`Override for container named ${override.name} is not a container in the TaskDefinition.`);
      }
    }
    state.checkPassRole([
      input.overrides?.taskRoleArn ?? definition.data.taskRoleArn,
      input.overrides?.executionRoleArn ?? definition.data.executionRoleArn,
    ]);
    const family = definition.data.family ?? '';
    const scenario = state.runTaskScenarios.get(family) ?? { kind: 'exit', exitCode: 0 };
    const commanded = input.overrides?.containerOverrides?.find((o) => o.command?.length)?.name;
    const target = containers.find((c) => c.name === commanded) ?? containers.find((c) => c.essential !== false) ?? containers[0];
    const tasks = [];
    for (let i = 0; i < count; i++) {
      const task = placeTask(state, {
        cluster: cluster.name,
        taskDefinition: definition,
        plan: runTaskPlan(scenario, target?.name ?? '', target?.image ?? ''),
        group: input.group ?? `family:${family}`,
        launchType: input.launchType,
        capacityProviderStrategy: input.capacityProviderStrategy,
        platformVersion: input.platformVersion,
        networkConfiguration: input.networkConfiguration,
        overrides: input.overrides,
        startedBy: input.startedBy,
        tags: input.tags,
      });
      tasks.push(taskView(task, false));
    }
    return { tasks, failures: [] };
  },

  DescribeTasks: (state, input: DescribeTasksRequest) => {
    const cluster = state.cluster(input.cluster);
    const refs = input.tasks ?? [];
    if (!refs.length) throw invalidParameter('Tasks cannot be empty.');
    if (refs.length > 100) throw invalidParameter('Too many tasks. Maximum of 100 tasks can be described at once.');
    const tasks = [];
    const failures = [];
    for (const ref of refs) {
      const task = findTask(state, cluster.name, ref);
      if (task) tasks.push(taskView(task, input.include?.includes('TAGS') ?? false));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : state.arns.task(cluster.name, ref), reason: 'MISSING' });
    }
    return { tasks, failures };
  },

  ListTasks: (state, input: ListTasksRequest) => {
    const cluster = state.cluster(input.cluster);
    if (input.serviceName) state.service(cluster.name, input.serviceName);
    const desiredStatus = input.desiredStatus ?? 'RUNNING';
    const family = input.family;
    const arns = state
      .tasksOf(cluster.name)
      .filter((t) => t.data.desiredStatus === desiredStatus)
      .filter((t) => !input.serviceName || t.data.group === `service:${input.serviceName.split('/').pop()}`)
      .filter((t) => !family || t.data.taskDefinitionArn?.includes(`:task-definition/${family}:`))
      .filter((t) => !input.startedBy || t.data.startedBy === input.startedBy)
      .filter((t) => !input.launchType || t.data.launchType === input.launchType)
      .map((t) => t.data.taskArn ?? '');
    const { items, nextToken } = page(arns, input.maxResults ?? 100, input.nextToken);
    return { taskArns: items, nextToken };
  },

  StopTask: (state, input: StopTaskRequest) => {
    const cluster = state.cluster(input.cluster);
    const task = input.task ? findTask(state, cluster.name, input.task) : undefined;
    if (!task) throw invalidParameter('The referenced task was not found.');
    requestStop(task, { stopCode: 'UserInitiated', stoppedReason: input.reason ?? 'Task stopped by user', exitCode: 143, failed: false });
    return { task: taskView(task, false) };
  },
};
