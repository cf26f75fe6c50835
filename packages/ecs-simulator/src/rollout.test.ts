import type { ECS, Service } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEcsSimulator } from './index.js';
import { ecsClient, waitUntil } from './testing.js';
import type { EcsSimulator } from './types.js';

let sim: EcsSimulator;
let ecs: ECS;

beforeAll(async () => {
  sim = await startEcsSimulator({ tickMs: 20, circuitBreakerThreshold: 2 });
  ecs = ecsClient(sim);
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/api/0123456789abcdef';

async function register(image: string): Promise<string> {
  const { taskDefinition } = await ecs.registerTaskDefinition({
    family: 'api',
    containerDefinitions: [
      {
        name: 'app',
        image,
        portMappings: [{ containerPort: 8080 }],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/api', 'awslogs-stream-prefix': 'ecs' } },
      },
    ],
  });
  return taskDefinition?.taskDefinitionArn ?? '';
}

async function service(): Promise<Service> {
  const { services } = await ecs.describeServices({ cluster: 'shop', services: ['api'] });
  return services?.[0] ?? {};
}

/** A cluster and a service whose first deployment COMPLETED with 2 tasks of revision 1. */
async function steadyService(options: { breaker?: { enable: boolean; rollback: boolean }; loadBalanced?: boolean } = {}) {
  await ecs.createCluster({ clusterName: 'shop' });
  const first = await register('api:1');
  await ecs.createService({
    cluster: 'shop',
    serviceName: 'api',
    taskDefinition: first,
    desiredCount: 2,
    deploymentConfiguration: options.breaker ? { deploymentCircuitBreaker: options.breaker } : undefined,
    loadBalancers: options.loadBalanced ? [{ targetGroupArn: TARGET_GROUP, containerName: 'app', containerPort: 8080 }] : undefined,
  });
  await waitUntil(service, (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
  const second = await register('api:2');
  return { first, second };
}

const settledOn = (s: Service) => s.deployments?.length === 1 && s.deployments[0]?.rolloutState !== 'IN_PROGRESS';

describe('rolling deployment', () => {
  it('completes a healthy rollout: new PRIMARY, old ACTIVE drained, steady state, recorded', async () => {
    const { first, second } = await steadyService({ loadBalanced: true });
    const { service: updated } = await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second });
    const [primary, active] = updated?.deployments ?? [];
    expect(primary).toMatchObject({ status: 'PRIMARY', taskDefinition: second, rolloutState: 'IN_PROGRESS', desiredCount: 2 });
    expect(primary?.rolloutStateReason).toBe(`ECS deployment ${primary?.id} in progress.`);
    expect(primary?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(primary?.createdAt).toBeInstanceOf(Date);
    expect(active).toMatchObject({ status: 'ACTIVE', taskDefinition: first, runningCount: 2 });

    const done = await waitUntil(service, settledOn);
    expect(done.deployments?.[0]).toMatchObject({ id: primary?.id, status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 });
    expect(done).toMatchObject({ taskDefinition: second, runningCount: 2, pendingCount: 0, desiredCount: 2 });
    const messages = done.events?.map((e) => e.message) ?? [];
    expect(messages[0]).toBe('(service api) has reached a steady state.');
    expect(messages[1]).toBe(`(service api) (deployment ${primary?.id}) deployment completed.`);
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service api\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service api\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/),
    );
    expect(messages).toContain(`(service api) registered 2 targets in (target-group ${TARGET_GROUP})`);
    expect(done.events?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(new Set(done.events?.map((e) => e.id)).size).toBe(messages.length);

    const rollouts = sim.completedRollouts();
    expect(rollouts.map((r) => [r.taskDefinition, r.rolloutState])).toEqual([
      [first, 'COMPLETED'],
      [second, 'COMPLETED'],
    ]);
    expect(rollouts[1]).toMatchObject({ cluster: 'shop', service: 'api', deploymentId: primary?.id });

    const { taskArns } = await ecs.listTasks({ cluster: 'shop', serviceName: 'api' });
    const { tasks } = await ecs.describeTasks({ cluster: 'shop', tasks: taskArns });
    expect(tasks).toHaveLength(2);
    for (const task of tasks ?? []) {
      expect(task).toMatchObject({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', healthStatus: 'UNKNOWN', taskDefinitionArn: second });
      expect(task).toMatchObject({ group: 'service:api', startedBy: primary?.id });
      expect(task.startedAt).toBeInstanceOf(Date);
    }
    const { taskArns: stopped } = await ecs.listTasks({ cluster: 'shop', serviceName: 'api', desiredStatus: 'STOPPED' });
    const { tasks: old } = await ecs.describeTasks({ cluster: 'shop', tasks: stopped });
    expect(old?.map((t) => [t.taskDefinitionArn, t.stopCode, t.stoppedReason])).toEqual([
      [first, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${primary?.id})`],
      [first, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${primary?.id})`],
    ]);
  });

  it('changes only the count on a desiredCount update, and forceNewDeployment makes a new deployment', async () => {
    await steadyService();
    const before = await service();
    const { service: scaled } = await ecs.updateService({ cluster: 'shop', service: 'api', desiredCount: 3 });
    expect(scaled?.deployments?.map((d) => d.id)).toEqual([before.deployments?.[0]?.id]);
    await waitUntil(service, (s) => s.runningCount === 3 && s.events?.[0]?.message === '(service api) has reached a steady state.');

    const { service: forced } = await ecs.updateService({ cluster: 'shop', service: 'api', forceNewDeployment: true });
    expect(forced?.deployments).toHaveLength(2);
    expect(forced?.deployments?.[0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
      taskDefinition: before.taskDefinition,
    });
    const done = await waitUntil(service, settledOn);
    expect(done.deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 3 });
  });
});

/** Stopped tasks of a deployment, described. */
async function stoppedTasksOf(deploymentId: string | undefined) {
  const { taskArns } = await ecs.listTasks({ cluster: 'shop', serviceName: 'api', desiredStatus: 'STOPPED' });
  if (!taskArns?.length) return [];
  const { tasks } = await ecs.describeTasks({ cluster: 'shop', tasks: taskArns });
  return tasks?.filter((t) => t.startedBy === deploymentId) ?? [];
}

describe('health', () => {
  it('reports HEALTHY only for containers with a health check, and the task from them', async () => {
    await ecs.createCluster({ clusterName: 'shop' });
    await ecs.registerTaskDefinition({
      family: 'api',
      containerDefinitions: [
        { name: 'app', image: 'api:1', healthCheck: { command: ['CMD-SHELL', 'curl -f localhost:8080/health'] } },
        { name: 'log-router', image: 'fluent-bit:3', essential: false },
      ],
    });
    await ecs.createService({ cluster: 'shop', serviceName: 'api', taskDefinition: 'api', desiredCount: 1 });
    await waitUntil(service, (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED');
    const { taskArns } = await ecs.listTasks({ cluster: 'shop', serviceName: 'api' });
    const task = (await ecs.describeTasks({ cluster: 'shop', tasks: taskArns })).tasks?.[0];
    expect(task?.healthStatus).toBe('HEALTHY');
    expect(task?.containers?.map((c) => [c.name, c.healthStatus])).toEqual([
      ['app', 'HEALTHY'],
      ['log-router', 'UNKNOWN'],
    ]);
  });
});

describe('rolling limits and launch settings', () => {
  it('a healthy rollout takes the scenario ticks (stepped tick by tick)', async () => {
    const manual = await startEcsSimulator({ tickMs: 3_600_000 });
    const client = ecsClient(manual);
    try {
      await client.createCluster({ clusterName: 'shop' });
      await client.registerTaskDefinition({ family: 'api', containerDefinitions: [{ name: 'app', image: 'api:1' }] });
      await client.createService({ cluster: 'shop', serviceName: 'api', taskDefinition: 'api', desiredCount: 2 });
      manual.tick(10);
      const completedAfter: number[] = [];
      for (const ticks of [4, 7]) {
        manual.setScenario('api', { kind: 'healthy', ticks });
        await client.registerTaskDefinition({ family: 'api', containerDefinitions: [{ name: 'app', image: `api:${ticks}` }] });
        await client.updateService({ cluster: 'shop', service: 'api', taskDefinition: 'api' });
        for (let tick = 1; tick <= 10; tick++) {
          manual.tick();
          const { services } = await client.describeServices({ cluster: 'shop', services: ['api'] });
          if (services?.[0]?.deployments?.[0]?.rolloutState === 'COMPLETED') {
            completedAfter.push(tick);
            break;
          }
        }
      }
      expect(completedAfter).toEqual([4, 7]);
    } finally {
      await manual.stop();
    }
  });

  it('keeps minimumHealthyPercent with maximumPercent 100, on a capacity provider strategy (stepped tick by tick)', async () => {
    const manual = await startEcsSimulator({ tickMs: 3_600_000 });
    const client = ecsClient(manual);
    const describeApi = async () => (await client.describeServices({ cluster: 'shop', services: ['api'] })).services?.[0] ?? {};
    try {
      await client.createCluster({ clusterName: 'shop' });
      const definition = (image: string) => ({ family: 'api', containerDefinitions: [{ name: 'app', image }] });
      await client.registerTaskDefinition(definition('api:1'));
      await client.createService({
        cluster: 'shop',
        serviceName: 'api',
        taskDefinition: 'api',
        desiredCount: 4,
        capacityProviderStrategy: [{ capacityProvider: 'spot-asg', weight: 1 }],
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
      });
      manual.tick(10);
      expect((await describeApi()).deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 4 });
      const second = (await client.registerTaskDefinition(definition('api:2'))).taskDefinition?.taskDefinitionArn;
      const { service: updated } = await client.updateService({ cluster: 'shop', service: 'api', taskDefinition: second });
      expect(updated?.deployments?.[0]?.capacityProviderStrategy).toEqual([{ capacityProvider: 'spot-asg', weight: 1 }]);
      const running: number[] = [];
      const alive: number[] = [];
      let current = await describeApi();
      for (let step = 0; step < 30 && !settledOn(current); step++) {
        manual.tick();
        current = await describeApi();
        running.push(current.runningCount ?? 0);
        alive.push((current.runningCount ?? 0) + (current.pendingCount ?? 0));
      }
      expect(current.deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 4, taskDefinition: second });
      expect(Math.min(...running)).toBe(2);
      expect(Math.max(...alive)).toBeLessThanOrEqual(4);
      const { taskArns } = await client.listTasks({ cluster: 'shop', serviceName: 'api' });
      const { tasks, failures } = await client.describeTasks({ cluster: 'shop', tasks: [...(taskArns ?? []), 'f'.repeat(32)] });
      expect(tasks?.map((t) => [t.launchType, t.capacityProviderName, t.taskDefinitionArn])).toEqual(
        Array(4).fill(['EC2', 'spot-asg', second]),
      );
      expect(failures).toEqual([{ arn: `arn:aws:ecs:ap-northeast-2:123456789012:task/shop/${'f'.repeat(32)}`, reason: 'MISSING' }]);
    } finally {
      await manual.stop();
    }
  });
});

describe('failing deployments', () => {
  it('circuit breaker with rollback: FAILED, then a new PRIMARY on the last COMPLETED revision completes', async () => {
    const { first, second } = await steadyService({ breaker: { enable: true, rollback: true } });
    sim.setScenario('api', { kind: 'image-pull-failure' });
    const { service: updated } = await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second });
    const failedId = updated?.deployments?.[0]?.id;

    const done = await waitUntil(service, (s) => settledOn(s) && s.deployments?.[0]?.taskDefinition === first);
    const primary = done.deployments?.[0];
    expect(primary).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: first, runningCount: 2 });
    expect(primary?.id).not.toBe(failedId);
    expect(done.taskDefinition).toBe(first);
    const messages = done.events?.map((e) => e.message) ?? [];
    expect(messages).toContain(`(service api) deployment ${failedId} deployment failed: tasks failed to start.`);
    expect(sim.completedRollouts().slice(1)).toMatchObject([
      { deploymentId: failedId, taskDefinition: second, rolloutState: 'FAILED' },
      { deploymentId: primary?.id, taskDefinition: first, rolloutState: 'COMPLETED' },
    ]);

    const failedTasks = await stoppedTasksOf(failedId);
    expect(failedTasks.length).toBeGreaterThanOrEqual(2);
    for (const task of failedTasks) {
      expect(task.stopCode).toBe('TaskFailedToStart');
      expect(task.stoppedReason).toBe(
        'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref api:2: api:2: not found',
      );
      expect(task.containers?.[0]?.reason).toBe(task.stoppedReason);
      expect(task.startedAt).toBeUndefined();
    }
  });

  it('shows the FAILED deployment with its reason while the rollback runs', async () => {
    const { second } = await steadyService({ breaker: { enable: true, rollback: true } });
    sim.setScenario('api', { kind: 'image-pull-failure' });
    await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second });
    const during = await waitUntil(service, (s) => s.deployments?.some((d) => d.rolloutState === 'FAILED') ?? false);
    const failed = during.deployments?.find((d) => d.rolloutState === 'FAILED');
    expect(failed).toMatchObject({ status: 'ACTIVE', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(failed?.failedTasks).toBeGreaterThanOrEqual(2);
    expect(during.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' });
    expect(during.deployments?.[0]?.rolloutStateReason).toMatch(
      /^ECS deployment circuit breaker: rolling back to deploymentId ecs-svc\/\d+\.$/,
    );
  });

  it('circuit breaker without rollback: the deployment stays PRIMARY and FAILED, old tasks keep serving', async () => {
    const { first, second } = await steadyService({ breaker: { enable: true, rollback: false } });
    sim.setScenario('api', { kind: 'exit-code', exitCode: 1, logLines: ['boom'] });
    await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second });
    const failed = await waitUntil(service, (s) => s.deployments?.[0]?.rolloutState === 'FAILED');
    expect(failed.deployments?.map((d) => [d.status, d.taskDefinition])).toEqual([
      ['PRIMARY', second],
      ['ACTIVE', first],
    ]);
    expect(failed.deployments?.[1]?.runningCount).toBe(2);
    const task = (await stoppedTasksOf(failed.deployments?.[0]?.id))[0];
    expect(task).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(task?.containers?.[0]?.exitCode).toBe(1);
    expect(sim.logLines('/ecs/api', `ecs/app/${task?.taskArn?.split('/').pop()}`)).toEqual(['boom']);

    // The action's own rollback: UpdateService back to the last COMPLETED revision is healthy whatever the scenario.
    await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: first });
    const back = await waitUntil(service, settledOn);
    expect(back.deployments?.[0]).toMatchObject({ taskDefinition: first, rolloutState: 'COMPLETED', runningCount: 2 });
  });

  it('without circuit breaker a failing deployment stays IN_PROGRESS and failedTasks keeps growing', async () => {
    const { second } = await steadyService({ loadBalanced: true });
    sim.setScenario('api', { kind: 'unhealthy' });
    await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second });
    const failing = await waitUntil(service, (s) => (s.deployments?.[0]?.failedTasks ?? 0) >= 6);
    expect(failing.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: second });
    expect(failing.deployments?.[1]?.runningCount).toBe(2);
    const messages = failing.events?.map((e) => e.message) ?? [];
    expect(messages).toContain(
      '(service api) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    expect(messages).toContain(
      `(service api) (port 8080) is unhealthy in (target-group ${TARGET_GROUP}) due to (reason Health checks failed).`,
    );
    const task = (await stoppedTasksOf(failing.deployments?.[0]?.id))[0];
    expect(task).toMatchObject({
      stoppedReason: `Task failed ELB health checks in (target-group ${TARGET_GROUP})`,
      healthStatus: 'UNKNOWN',
    });
    expect(sim.completedRollouts()).toHaveLength(1);
  });

  it('reports container health check failures when the service has no load balancer', async () => {
    const { second } = await steadyService();
    sim.setScenario('api', { kind: 'unhealthy' }, 'shop');
    await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second });
    const failing = await waitUntil(service, (s) => (s.deployments?.[0]?.failedTasks ?? 0) >= 1);
    const task = (await stoppedTasksOf(failing.deployments?.[0]?.id))[0];
    expect(task).toMatchObject({ stoppedReason: 'Task failed container health checks', healthStatus: 'UNHEALTHY' });
    expect(task?.containers?.[0]?.healthStatus).toBe('UNHEALTHY');
  });

  it('a stuck deployment places no task, says why, and never trips the circuit breaker', async () => {
    const { second } = await steadyService({ breaker: { enable: true, rollback: true } });
    sim.setScenario('api', { kind: 'stuck' });
    // minimumHealthyPercent 50 with room under maximumPercent: no reason to stop old tasks early.
    await ecs.updateService({
      cluster: 'shop',
      service: 'api',
      taskDefinition: second,
      deploymentConfiguration: { minimumHealthyPercent: 50 },
    });
    sim.tick(30);
    const stuck = await service();
    expect(stuck.deployments?.[0]).toMatchObject({ rolloutState: 'IN_PROGRESS', runningCount: 0, pendingCount: 0, failedTasks: 0 });
    expect(stuck.deployments?.[1]?.runningCount).toBe(2);
    expect(stuck.events?.[0]?.message).toBe(
      '(service api) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    expect(sim.completedRollouts()).toHaveLength(1);
  });
});
