import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ECS, Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEcsSimulator } from './index.js';
import { ecsClient, logsClient, waitUntil } from './testing.js';
import type { EcsSimulator } from './types.js';

let sim: EcsSimulator;
let ecs: ECS;

beforeAll(async () => {
  sim = await startEcsSimulator({ tickMs: 20 });
  ecs = ecsClient(sim);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  sim.reset();
  await ecs.createCluster({ clusterName: 'shop' });
  await ecs.registerTaskDefinition({
    family: 'migrate',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'app',
        image: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api@sha256:abc',
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/migrate', 'awslogs-stream-prefix': 'ecs' } },
      },
      { name: 'sidecar', image: 'envoy:1', essential: false },
    ],
  });
});

const network = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' as const } };

async function runAndWait(command = ['npm', 'run', 'migrate']): Promise<Task> {
  const { tasks, failures } = await ecs.runTask({
    cluster: 'shop',
    taskDefinition: 'migrate',
    launchType: 'FARGATE',
    networkConfiguration: network,
    overrides: { containerOverrides: [{ name: 'app', command }] },
    startedBy: 'baepo',
  });
  expect(failures).toEqual([]);
  expect(tasks?.[0]).toMatchObject({
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    launchType: 'FARGATE',
    group: 'family:migrate',
  });
  const arn = tasks?.[0]?.taskArn ?? '';
  const describe = async () => (await ecs.describeTasks({ cluster: 'shop', tasks: [arn] })).tasks?.[0] ?? {};
  const seen = new Set<string>();
  const task = await waitUntil(describe, (t) => {
    seen.add(t.lastStatus ?? '');
    return t.lastStatus === 'STOPPED';
  });
  return Object.assign(task, { seenStatuses: [...seen] });
}

async function logLines(task: Task): Promise<string[]> {
  const id = task.taskArn?.split('/').pop();
  const { events } = await logsClient(sim).send(
    new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: `ecs/app/${id}`, limit: 50, startFromHead: false }),
  );
  return events?.map((e) => e.message ?? '') ?? [];
}

describe('RunTask', () => {
  it('runs to exit 0 through PROVISIONING, PENDING, RUNNING, STOPPED and keeps the command override', async () => {
    const task = (await runAndWait()) as Task & { seenStatuses: string[] };
    expect(task.seenStatuses).toEqual(expect.arrayContaining(['PENDING', 'RUNNING', 'STOPPED']));
    expect(task).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      startedBy: 'baepo',
    });
    expect(task.containers?.find((c) => c.name === 'app')).toMatchObject({ exitCode: 0, lastStatus: 'STOPPED' });
    expect(task.overrides?.containerOverrides?.[0]?.command).toEqual(['npm', 'run', 'migrate']);
    expect(task.attachments?.[0]?.details?.find((d) => d.name === 'subnetId')?.value).toBe('subnet-1');
    expect(task.stoppedAt).toBeInstanceOf(Date);
    expect(task.stoppedAt?.getTime()).toBeGreaterThanOrEqual(task.startedAt?.getTime() ?? Number.POSITIVE_INFINITY);
  });

  it('stops with the scenario exit code and writes its log lines to the awslogs stream', async () => {
    sim.setRunTaskScenario('migrate', {
      kind: 'exit',
      exitCode: 1,
      logLines: ['migrating 0042_orders', 'error: relation "orders" exists'],
    });
    const task = await runAndWait();
    expect(task.stopCode).toBe('EssentialContainerExited');
    expect(task.containers?.find((c) => c.name === 'app')?.exitCode).toBe(1);
    expect(await logLines(task)).toEqual(['migrating 0042_orders', 'error: relation "orders" exists']);
  });

  it('reports a task that never started: TaskFailedToStart, the reason, no exit code', async () => {
    sim.setRunTaskScenario('migrate', { kind: 'start-failure' });
    const task = (await runAndWait()) as Task & { seenStatuses: string[] };
    expect(task.seenStatuses).not.toContain('RUNNING');
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toMatch(
      /^CannotPullContainerError: pull image manifest has been retried 1 time\(s\): failed to resolve ref /,
    );
    expect(task.stoppedReason).toContain('api@sha256:abc');
    const app = task.containers?.find((c) => c.name === 'app');
    expect(app?.exitCode).toBeUndefined();
    expect(app?.reason).toBe(task.stoppedReason);
  });

  it('rejects awsvpc without a network configuration and overrides of unknown containers, like ECS', async () => {
    await expect(ecs.runTask({ cluster: 'shop', taskDefinition: 'migrate', launchType: 'FARGATE' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    await expect(
      ecs.runTask({
        cluster: 'shop',
        taskDefinition: 'migrate',
        networkConfiguration: network,
        overrides: { containerOverrides: [{ name: 'web', command: ['x'] }] },
      }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('web') });
    await expect(ecs.runTask({ cluster: 'shop', taskDefinition: 'nope:3', networkConfiguration: network })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Unable to describe task definition.',
    });
    await expect(ecs.runTask({ cluster: 'nope', taskDefinition: 'migrate', networkConfiguration: network })).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
  });

  it('lists tasks by family, startedBy and desired status, and StopTask stops one', async () => {
    sim.setRunTaskScenario('migrate', { kind: 'exit', exitCode: 0, ticks: 1000 });
    const { tasks } = await ecs.runTask({
      cluster: 'shop',
      taskDefinition: 'migrate',
      count: 2,
      networkConfiguration: network,
      startedBy: 'job-7',
    });
    const arns = tasks?.map((t) => t.taskArn).sort();
    expect((await ecs.listTasks({ cluster: 'shop', family: 'migrate' })).taskArns?.sort()).toEqual(arns);
    expect((await ecs.listTasks({ cluster: 'shop', startedBy: 'job-7' })).taskArns).toHaveLength(2);
    expect((await ecs.listTasks({ cluster: 'shop', startedBy: 'other' })).taskArns).toEqual([]);
    const { task } = await ecs.stopTask({ cluster: 'shop', task: arns?.[0], reason: 'cancelled by baepo' });
    expect(task?.desiredStatus).toBe('STOPPED');
    const stopped = await waitUntil(
      async () => (await ecs.describeTasks({ cluster: 'shop', tasks: [arns?.[0] ?? ''] })).tasks?.[0] ?? {},
      (t) => t.lastStatus === 'STOPPED',
    );
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'cancelled by baepo' });
    expect((await ecs.listTasks({ cluster: 'shop', desiredStatus: 'STOPPED' })).taskArns).toEqual([arns?.[0]]);
  });
});
