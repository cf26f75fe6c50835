import type { DeploymentConfiguration, ECS, ServiceDeployment } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEcsSimulator } from './index.js';
import { ecsClient, waitUntil } from './testing.js';
import type { EcsSimulator } from './types.js';

let sim: EcsSimulator;
let ecs: ECS;

beforeAll(async () => {
  sim = await startEcsSimulator({ tickMs: 20, minuteTicks: 1, circuitBreakerThreshold: 2 });
  ecs = ecsClient(sim);
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

const ELB = 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012';
const BLUE_TG = `${ELB}:targetgroup/api-blue/0123456789abcdef`;
const GREEN_TG = `${ELB}:targetgroup/api-green/0123456789abcdef`;
const ADVANCED = {
  alternateTargetGroupArn: GREEN_TG,
  productionListenerRule: `${ELB}:listener-rule/app/shop/1/2/3`,
  testListenerRule: `${ELB}:listener-rule/app/shop/1/2/4`,
  roleArn: 'arn:aws:iam::123456789012:role/ecs-elb',
};
const LAMBDA = 'arn:aws:lambda:ap-northeast-2:123456789012:function:smoke';
const HOOK_ROLE = 'arn:aws:iam::123456789012:role/ecs-hooks';
const TERMINAL = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

async function register(image: string): Promise<string> {
  const { taskDefinition } = await ecs.registerTaskDefinition({
    family: 'api',
    containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: 8080 }] }],
  });
  return taskDefinition?.taskDefinitionArn ?? '';
}

/** A load-balanced service steady on revision 1 (rolling), and revision 2 registered. */
async function steadyService(advanced: boolean = true) {
  await ecs.createCluster({ clusterName: 'shop' });
  const first = await register('api:1');
  await ecs.createService({
    cluster: 'shop',
    serviceName: 'api',
    taskDefinition: first,
    desiredCount: 2,
    loadBalancers: [
      { targetGroupArn: BLUE_TG, containerName: 'app', containerPort: 8080, advancedConfiguration: advanced ? ADVANCED : undefined },
    ],
  });
  const [rolling] = await listDeployments();
  await waitUntil(
    () => describe1(rolling?.serviceDeploymentArn ?? ''),
    (d) => d.status === 'SUCCESSFUL',
  );
  return { first, second: await register('api:2') };
}

async function listDeployments() {
  const { serviceDeployments } = await ecs.listServiceDeployments({ cluster: 'shop', service: 'api' });
  return serviceDeployments ?? [];
}

async function describe1(arn: string): Promise<ServiceDeployment> {
  const { serviceDeployments } = await ecs.describeServiceDeployments({ serviceDeploymentArns: [arn] });
  return serviceDeployments?.[0] ?? {};
}

/** UpdateService to revision 2 with this configuration; the new service deployment's ARN. */
async function deploy(second: string, deploymentConfiguration: DeploymentConfiguration): Promise<string> {
  await ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second, deploymentConfiguration });
  const [latest] = await listDeployments();
  return latest?.serviceDeploymentArn ?? '';
}

const finished = (arn: string) =>
  waitUntil(
    () => describe1(arn),
    (d) => TERMINAL.includes(d.status ?? ''),
  );

async function serviceTaskDefinition(): Promise<string | undefined> {
  const { services } = await ecs.describeServices({ cluster: 'shop', services: ['api'] });
  return services?.[0]?.taskDefinition;
}

const progress = (arn: string) => sim.serviceDeployments().find((d) => d.serviceDeploymentArn === arn);

describe('service deployments', () => {
  it('records a rolling deployment too, with status from its rollout and timestamps as Dates', async () => {
    const { second } = await steadyService(false);
    const arn = await deploy(second, { strategy: 'ROLLING' });
    expect(arn).toMatch(/^arn:aws:ecs:ap-northeast-2:123456789012:service-deployment\/shop\/api\/[\w-]{20}$/);
    const done = await finished(arn);
    expect(done).toMatchObject({ status: 'SUCCESSFUL', serviceArn: expect.stringContaining(':service/shop/api') });
    expect(done.createdAt).toBeInstanceOf(Date);
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.targetServiceRevision?.arn).toMatch(/:service-revision\/shop\/api\/\d{19}$/);
    expect(done.sourceServiceRevisions).toHaveLength(1);
    const list = await listDeployments();
    expect(list.map((d) => d.status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    expect(list[0]?.serviceDeploymentArn).toBe(arn);
    const filtered = await ecs.listServiceDeployments({ cluster: 'shop', service: 'api', status: ['IN_PROGRESS'] });
    expect(filtered.serviceDeployments).toEqual([]);
  });

  it('BLUE_GREEN goes through every stage, shifts 100% and cleans up blue', async () => {
    const { second } = await steadyService();
    const arn = await deploy(second, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 });
    const inFlight = await describe1(arn);
    expect(inFlight).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: expect.any(String) });
    const done = await finished(arn);
    expect(done.status).toBe('SUCCESSFUL');
    expect(done.targetServiceRevision).toMatchObject({ requestedProductionTrafficWeight: 100, requestedTestTrafficWeight: 100 });
    expect(done.lifecycleStage).toBe('CLEAN_UP');
    expect(progress(arn)?.stages).toEqual([
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ]);
    expect(await serviceTaskDefinition()).toBe(second);
    const { services } = await ecs.describeServices({ cluster: 'shop', services: ['api'] });
    expect(services?.[0]?.deployments).toMatchObject([{ taskDefinition: second, rolloutState: 'COMPLETED', runningCount: 2 }]);
  });

  it('LINEAR shifts production traffic in stepPercent steps', async () => {
    const { second } = await steadyService();
    const arn = await deploy(second, { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 } });
    expect((await finished(arn)).status).toBe('SUCCESSFUL');
    expect(progress(arn)?.stages.filter((s) => s === 'PRODUCTION_TRAFFIC_SHIFT')).toHaveLength(4);
  });

  it('CANARY shifts canaryPercent, bakes, then the rest', async () => {
    const { first, second } = await steadyService();
    const arn = await deploy(second, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 30 } });
    const canary = await waitUntil(
      () => describe1(arn),
      (d) => d.targetServiceRevision?.requestedProductionTrafficWeight === 10,
    );
    expect(canary.lifecycleStage).toBe('PRODUCTION_TRAFFIC_SHIFT');
    expect(canary.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight).toBe(90);
    expect(await serviceTaskDefinition()).toBe(second);
    const { services } = await ecs.describeServices({ cluster: 'shop', services: ['api'] });
    expect(services?.[0]?.deployments?.map((d) => d.taskDefinition)).toEqual([second, first]);
    expect((await finished(arn)).status).toBe('SUCCESSFUL');
    expect(progress(arn)?.stages.filter((s) => s === 'PRODUCTION_TRAFFIC_SHIFT')).toHaveLength(2);
  });

  it('failing target health during the production shift rolls back: blue keeps serving', async () => {
    const { first, second } = await steadyService();
    sim.setScenario('api', { kind: 'unhealthy-after-shift' });
    const arn = await deploy(second, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    const done = await finished(arn);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.statusReason).toContain(`failed ELB health checks in (target-group ${GREEN_TG})`);
    expect(done.rollback?.reason).toBe(done.statusReason);
    expect(done.rollback?.startedAt).toBeInstanceOf(Date);
    expect(done.targetServiceRevision?.requestedProductionTrafficWeight).toBe(0);
    expect(await serviceTaskDefinition()).toBe(first);
    expect(sim.completedRollouts().at(-1)).toMatchObject({ taskDefinition: second, rolloutState: 'FAILED' });
    const { services } = await ecs.describeServices({ cluster: 'shop', services: ['api'] });
    expect(services?.[0]?.deployments).toMatchObject([{ taskDefinition: first, status: 'PRIMARY', runningCount: 2 }]);
  });

  it('a PAUSE hook awaits action; ContinueServiceDeployment CONTINUE finishes the deployment', async () => {
    const { second } = await steadyService();
    const arn = await deploy(second, {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    });
    const paused = await waitUntil(
      () => describe1(arn),
      (d) => d.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION',
    );
    expect(paused).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' });
    expect(paused.targetServiceRevision).toMatchObject({ requestedTestTrafficWeight: 100, requestedProductionTrafficWeight: 0 });
    const hook = paused.lifecycleHookDetails?.[0];
    expect(hook).toMatchObject({ targetType: 'PAUSE', timeoutAction: 'ROLLBACK' });
    expect(hook?.expiresAt).toBeInstanceOf(Date);
    sim.tick(5);
    expect((await describe1(arn)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    await ecs.continueServiceDeployment({ serviceDeploymentArn: arn, hookId: hook?.hookId, action: 'CONTINUE' });
    expect((await finished(arn)).status).toBe('SUCCESSFUL');
    await expect(
      ecs.continueServiceDeployment({ serviceDeploymentArn: arn, hookId: hook?.hookId, action: 'CONTINUE' }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('a PAUSE hook resumed with ROLLBACK rolls back', async () => {
    const { first, second } = await steadyService();
    const arn = await deploy(second, {
      strategy: 'LINEAR',
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
    });
    const paused = await waitUntil(
      () => describe1(arn),
      (d) => d.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION',
    );
    await ecs.continueServiceDeployment({
      serviceDeploymentArn: arn,
      hookId: paused.lifecycleHookDetails?.[0]?.hookId,
      action: 'ROLLBACK',
    });
    const done = await finished(arn);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.statusReason).toContain('ContinueServiceDeployment');
    expect(await serviceTaskDefinition()).toBe(first);
  });

  it('a PAUSE hook that times out rolls back (timeoutConfiguration)', async () => {
    const { second } = await steadyService();
    const arn = await deploy(second, {
      strategy: 'BLUE_GREEN',
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 3 } }],
    });
    const done = await finished(arn);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.lifecycleHookDetails?.[0]?.status).toBe('TIMED_OUT');
    expect(done.statusReason).toContain('timed out in the PRE_SCALE_UP lifecycle stage');
  });

  it('a Lambda hook answering FAILED rolls back; SUCCEEDED lets it through', async () => {
    const { second } = await steadyService();
    sim.setHookResult(LAMBDA, 'FAILED');
    const hooks = [{ hookTargetArn: LAMBDA, roleArn: HOOK_ROLE, lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT' as const] }];
    const arn = await deploy(second, { strategy: 'BLUE_GREEN', lifecycleHooks: hooks });
    const done = await finished(arn);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.statusReason).toBe(`Lifecycle hook ${LAMBDA} returned FAILED in the POST_PRODUCTION_TRAFFIC_SHIFT lifecycle stage.`);
    sim.setHookResult(LAMBDA, 'SUCCEEDED');
    const again = await deploy(second, { strategy: 'BLUE_GREEN', lifecycleHooks: hooks });
    expect((await finished(again)).status).toBe('SUCCESSFUL');
  });

  it('green tasks that fail to start trip the circuit breaker and roll back', async () => {
    const { first, second } = await steadyService();
    sim.setScenario('api', { kind: 'image-pull-failure' });
    const arn = await deploy(second, { strategy: 'CANARY', deploymentCircuitBreaker: { enable: true, rollback: true } });
    const done = await finished(arn);
    expect(done).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(progress(arn)?.stages).toEqual(['PRE_SCALE_UP', 'SCALE_UP']);
    expect(await serviceTaskDefinition()).toBe(first);
  });

  it('ContinueServiceDeployment names an unknown hook', async () => {
    const { second } = await steadyService();
    const arn = await deploy(second, { strategy: 'BLUE_GREEN' });
    await expect(ecs.continueServiceDeployment({ serviceDeploymentArn: arn, hookId: 'nope' })).rejects.toThrow(
      `The lifecycle hook nope is not active for the service deployment ${arn}.`,
    );
  });

  it('StopServiceDeployment ROLLBACK rolls a native deployment back', async () => {
    const { first, second } = await steadyService();
    const arn = await deploy(second, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 200 });
    await waitUntil(
      () => describe1(arn),
      (d) => d.lifecycleStage === 'BAKE_TIME',
    );
    await ecs.stopServiceDeployment({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' });
    const requested = await describe1(arn);
    expect(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL']).toContain(requested.status);
    expect((await finished(arn)).status).toBe('ROLLBACK_SUCCESSFUL');
    expect(await serviceTaskDefinition()).toBe(first);
    await expect(ecs.stopServiceDeployment({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });

  it('StopServiceDeployment ROLLBACK rolls a rolling deployment back', async () => {
    const { first, second } = await steadyService(false);
    sim.setScenario('api', { kind: 'stuck' });
    const arn = await deploy(second, {});
    await ecs.stopServiceDeployment({ serviceDeploymentArn: arn });
    const done = await finished(arn);
    expect(done.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(done.rollback?.serviceRevisionArn).toMatch(/:service-revision\//);
    expect(await serviceTaskDefinition()).toBe(first);
  });

  it('rejects native strategies without advancedConfiguration, naming what is missing; nothing changes', async () => {
    const { first, second } = await steadyService(false);
    await expect(
      ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second, deploymentConfiguration: { strategy: 'BLUE_GREEN' } }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `advancedConfiguration must be specified for the load balancer with target group ${BLUE_TG} when the deployment strategy is BLUE_GREEN: alternateTargetGroupArn, productionListenerRule and roleArn are required.`,
    });
    await expect(
      ecs.updateService({
        cluster: 'shop',
        service: 'api',
        deploymentConfiguration: { strategy: 'CANARY' },
        loadBalancers: [
          {
            targetGroupArn: BLUE_TG,
            containerName: 'app',
            containerPort: 8080,
            advancedConfiguration: { alternateTargetGroupArn: GREEN_TG },
          },
        ],
      }),
    ).rejects.toThrow('is missing productionListenerRule, roleArn, required for the CANARY deployment strategy.');
    await expect(
      ecs.updateService({
        cluster: 'shop',
        service: 'api',
        deploymentConfiguration: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } },
      }),
    ).rejects.toThrow('linearConfiguration.stepPercent must be a multiple of 0.1 between 3 and 100; got 2.');
    await expect(
      ecs.updateService({
        cluster: 'shop',
        service: 'api',
        deploymentConfiguration: { lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }] },
      }),
    ).rejects.toThrow('PAUSE hooks cannot be configured at the PRODUCTION_TRAFFIC_SHIFT lifecycle stage.');
    expect(await serviceTaskDefinition()).toBe(first);
    expect(await listDeployments()).toHaveLength(1);
  });

  it('answers unknown service deployments like ECS', async () => {
    await steadyService();
    const missing = 'arn:aws:ecs:ap-northeast-2:123456789012:service-deployment/shop/api/nope';
    const { failures } = await ecs.describeServiceDeployments({ serviceDeploymentArns: [missing] });
    expect(failures).toEqual([{ arn: missing, reason: 'MISSING' }]);
    await expect(ecs.stopServiceDeployment({ serviceDeploymentArn: missing })).rejects.toMatchObject({
      name: 'ServiceDeploymentNotFoundException',
    });
  });
});
