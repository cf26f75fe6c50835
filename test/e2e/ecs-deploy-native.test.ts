import type { DeploymentConfiguration, ECSClient, LoadBalancer } from '@aws-sdk/client-ecs';
import type { EcsSimulator } from '@baepo/ecs-simulator';
import { startEcsSimulator } from '@baepo/ecs-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain, type RunOptions, runAction } from '../harness/run-action.js';
import { awsEnv } from '../stack/index.js';
import { createService, DIGEST, ecsClient, REGION, runningTaskDefinition, WRITES, waitSteady } from './ecs-deploy/fixtures.js';

const TG = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup`;
const READY: LoadBalancer = {
  targetGroupArn: `${TG}/blue/1`,
  containerName: 'api',
  containerPort: 8080,
  advancedConfiguration: {
    alternateTargetGroupArn: `${TG}/green/2`,
    productionListenerRule: `arn:aws:elasticloadbalancing:${REGION}:123456789012:listener-rule/app/shop/1/2/3`,
    testListenerRule: `arn:aws:elasticloadbalancing:${REGION}:123456789012:listener-rule/app/shop/1/2/4`,
    roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
  },
};

// The bundle under Node 24 against the simulator's service deployments
// (20 ms a tick, 10 ticks a simulated minute so bake times outlast a poll), polling every 100 ms.
describe('ecs-deploy native blue/green, linear, canary and approval pauses (simulator)', () => {
  let sim: EcsSimulator;
  let ecs: ECSClient;
  let env: Record<string, string>;
  const image = `123456789012.dkr.ecr.${REGION}.amazonaws.com/api@${DIGEST}`;

  beforeAll(async () => {
    sim = await startEcsSimulator({ tickMs: 20, minuteTicks: 10 });
    ecs = ecsClient(sim.endpoint);
    env = awsEnv({ ecs: sim.endpoint, cloudwatch_logs: sim.endpoint }, REGION);
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => sim.reset());

  async function service(options: { loadBalancer?: LoadBalancer; configuration?: DeploymentConfiguration } = {}): Promise<string> {
    const arn = await createService(ecs, {
      cluster: 'shop',
      service: 'api',
      family: 'api',
      loadBalancers: [options.loadBalancer ?? READY],
      ...(options.configuration ? { deploymentConfiguration: options.configuration } : {}),
    });
    await waitSteady(ecs, 'shop', 'api');
    sim.clearCalls();
    return arn;
  }

  const deploy = (inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) =>
    runAction({ action: 'ecs-deploy', env, timeoutMs: 30_000, ...extra, inputs: { cluster: 'shop', 'poll-interval': '100ms', ...inputs } });
  const writes = () =>
    sim
      .calls()
      .filter((c) => [...WRITES, 'StopServiceDeployment', 'ContinueServiceDeployment'].includes(c.operation))
      .map((c) => c.operation);

  const strategies = [
    { strategy: 'blue-green', inputs: { 'bake-time': '1m' }, traffic: 'production traffic 100%' },
    {
      strategy: 'linear',
      inputs: { 'linear-step-percent': '50', 'linear-step-bake-time': '1m', 'bake-time': '1m' },
      traffic: 'production traffic 50%',
    },
    {
      strategy: 'canary',
      inputs: { 'canary-percent': '10', 'canary-bake-time': '1m', 'bake-time': '1m' },
      traffic: 'production traffic 10%',
    },
  ];

  it.each(strategies)(
    '$strategy succeeds: stages logged once as entered, SUCCESSFUL is succeeded',
    async ({ strategy, inputs, traffic }) => {
      await service();
      const result = await deploy({ service: 'api', image, strategy, ...inputs });
      expect(result.exitCode, explain(result)).toBe(0);
      expect(result.outputs.status).toBe('succeeded');
      const arn = result.outputs['service-deployment-arn'] ?? '';
      expect(arn).toMatch(/:service-deployment\/shop\/api\//);
      const recorded = sim.serviceDeployments().find((d) => d.serviceDeploymentArn === arn);
      expect(recorded).toMatchObject({ status: 'SUCCESSFUL', strategy: strategy === 'blue-green' ? 'BLUE_GREEN' : strategy.toUpperCase() });
      expect(result.stdout).toContain(traffic);
      for (const stage of ['BAKE_TIME']) {
        expect(result.stdout.match(new RegExp(`api: stage ${stage} [^\\n]*\\n`, 'g'))?.length ?? 0, stage).toBe(1);
      }
      expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(result.outputs['task-definition-arn']);
      const calls = sim.calls().filter((c) => c.operation === 'DescribeServiceDeployments');
      expect(calls.length).toBeGreaterThan(0);
    },
  );

  it.each(strategies)(
    '$strategy fails on target health during the shift and ECS rolls back: rolled-back, red',
    async ({ strategy, inputs }) => {
      const previous = await service();
      sim.setScenario('api', { kind: 'unhealthy-after-shift' });
      const result = await deploy({ service: 'api', image, strategy, ...inputs });
      expect(result.exitCode, explain(result)).toBe(1);
      expect(result.outputs.status).toBe('rolled-back');
      expect(result.errors.join('\n')).toMatch(/Deployment failed and was rolled back: api: /);
      expect(result.stdout).toContain('[ROLLBACK_SUCCESSFUL]');
      expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
    },
  );

  it('without a strategy input, uses what the service is configured for', async () => {
    await service({
      configuration: { strategy: 'CANARY', bakeTimeInMinutes: 1, canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 1 } },
    });
    const result = await deploy({ service: 'api', image });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.stdout).toContain('(canary) with');
    expect(result.stdout).toContain('production traffic 20%');
  });

  it('a stuck deployment times out, is stopped with ROLLBACK and the rollback is waited for', async () => {
    const previous = await service();
    sim.setScenario('api', { kind: 'stuck' });
    const result = await deploy({ service: 'api', image, strategy: 'blue-green', timeout: '1s' });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(writes()).toContain('StopServiceDeployment');
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.errors.join('\n')).toMatch(/timeout.*rolled back/);
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
  });

  it('cancel with on-cancel: rollback stops the service deployment with ROLLBACK', async () => {
    const previous = await service();
    sim.setScenario('api', { kind: 'stuck' });
    const result = await deploy(
      { service: 'api', image, strategy: 'blue-green', 'on-cancel': 'rollback' },
      { onStdout: (chunk, control) => (chunk.includes('api: stage') ? control.cancel() : undefined) },
    );
    expect(result.exitCode, explain(result)).toBe(1);
    expect(writes()).toContain('StopServiceDeployment');
    expect(result.outputs.status).toBe('rolled-back');
    expect(sim.serviceDeployments().at(-1)?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
  });

  it('strategy: rolling on a service configured for blue/green rolls', async () => {
    await service({ configuration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 } });
    const result = await deploy({ service: 'api', image, strategy: 'rolling' });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(sim.serviceDeployments().at(-1)?.strategy).toBe('ROLLING');
  });

  it('pause at POST_TEST_TRAFFIC_SHIFT, then resume with continue', async () => {
    await service();
    const paused = await deploy({ service: 'api', image, strategy: 'blue-green', 'pause-at': 'POST_TEST_TRAFFIC_SHIFT' });
    expect(paused.exitCode, explain(paused)).toBe(0);
    expect(paused.outputs.status).toBe('paused');
    expect(paused.outputs['hook-id']).not.toBe('');
    const arn = paused.outputs['service-deployment-arn'] ?? '';
    expect(sim.serviceDeployments().find((d) => d.serviceDeploymentArn === arn)).toMatchObject({
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    });
    const resumed = await deploy({ resume: arn, decision: 'continue' });
    expect(resumed.exitCode, explain(resumed)).toBe(0);
    expect(resumed.outputs.status).toBe('succeeded');
    expect(sim.serviceDeployments().find((d) => d.serviceDeploymentArn === arn)?.status).toBe('SUCCESSFUL');
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(paused.outputs['task-definition-arn']);
  });

  it('pause, then resume with rollback: the previous revision is back and the step is green', async () => {
    const previous = await service();
    const paused = await deploy({
      service: 'api',
      image,
      strategy: 'linear',
      'linear-step-percent': '50',
      'linear-step-bake-time': '1m',
      'pause-at': 'POST_SCALE_UP',
    });
    expect(paused.outputs.status, explain(paused)).toBe('paused');
    const arn = paused.outputs['service-deployment-arn'] ?? '';
    const resumed = await deploy({ resume: arn, decision: 'rollback' });
    expect(resumed.exitCode, explain(resumed)).toBe(0);
    expect(resumed.outputs.status).toBe('rolled-back');
    expect(sim.serviceDeployments().find((d) => d.serviceDeploymentArn === arn)?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
  });

  it('resume of a deployment that is not paused says what state it is in and changes nothing', async () => {
    await service();
    const done = await deploy({ service: 'api', image, strategy: 'blue-green' });
    expect(done.outputs.status, explain(done)).toBe('succeeded');
    sim.clearCalls();
    const result = await deploy({ resume: done.outputs['service-deployment-arn'] ?? '', decision: 'continue' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(/is not paused: its status is SUCCESSFUL/)]);
    expect(writes()).toEqual([]);
  });

  it('missing advancedConfiguration is named before any write', async () => {
    await service({ loadBalancer: { targetGroupArn: `${TG}/blue/1`, containerName: 'api', containerPort: 8080 } });
    const result = await deploy({ service: 'api', image, strategy: 'canary' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringContaining(
        "Service 'api' cannot use strategy 'canary': loadBalancers[0] (" +
          `${TG}/blue/1, container api:8080) lacks advancedConfiguration.alternateTargetGroupArn, advancedConfiguration.productionListenerRule, advancedConfiguration.roleArn`,
      ),
    ]);
    expect(writes()).toEqual([]);
  });

  it('codedeploy on a service with the ECS controller is refused before any write', async () => {
    await service();
    const result = await deploy({ service: 'api', image, strategy: 'codedeploy' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringContaining("Service 'api' uses the ECS deployment controller, so it cannot be deployed through CodeDeploy"),
    ]);
    expect(writes()).toEqual([]);
  });
});
