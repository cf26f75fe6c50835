import type { LoadBalancer } from '@aws-sdk/client-ecs';
import { ConfigurationError, manualClock, memoryLogger } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { deploy } from './deploy.js';
import { deployRequest, FakeEcs, type FakeNativeRollout, fakeLogs, fakeSsm } from './fake-ecs.js';
import type { DeployDeps, DeployRequest } from './request.js';

const READY: LoadBalancer = {
  targetGroupArn: 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/blue/1',
  containerName: 'api',
  containerPort: 8080,
  advancedConfiguration: {
    alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/green/2',
    productionListenerRule: 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/shop/1/2/3',
    roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
  },
};

function setup(rollout: FakeNativeRollout = 'healthy', loadBalancer: LoadBalancer = READY) {
  const ecs = new FakeEcs();
  const arn = ecs.addTaskDefinition({ family: 'api', containerDefinitions: [{ name: 'api', image: 'repo/api:v1', essential: true }] });
  ecs.addService('api', arn);
  const service = ecs.services.get('api');
  if (service) service.loadBalancers = [loadBalancer];
  ecs.nativeRollout = rollout;
  const logger = memoryLogger();
  const deps: DeployDeps = { ecs, ssm: fakeSsm([]), logs: fakeLogs([]), clock: manualClock(), logger, readFile: () => undefined };
  return { ecs, logger, deps };
}

const request = (overrides: Partial<DeployRequest> = {}): DeployRequest =>
  deployRequest({ timeoutMs: 600_000, strategy: { strategy: 'blue-green', bakeTimeMinutes: 5 }, ...overrides });

describe('native blue/green, linear and canary', () => {
  it('starts a blue/green deployment, logs each stage once and succeeds on SUCCESSFUL', async () => {
    const { ecs, deps, logger } = setup();
    const result = await deploy(request(), deps);
    expect(result.status).toBe('succeeded');
    expect(result.serviceDeploymentArn).toMatch(/:service-deployment\/shop\/api\/sd1$/);
    expect(ecs.configurations[0]).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
    const stages = logger.lines.map((l) => l.message).filter((l) => l.includes(': stage '));
    expect(stages.map((l) => l.replace(/^.*stage (\w+).*$/, '$1'))).toEqual([
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
      'CLEAN_UP',
    ]);
    expect(stages.join('\n')).toContain('stage PRODUCTION_TRAFFIC_SHIFT (production traffic 100%, test traffic 100%)');
  });

  it('sends linear and canary settings as ECS models them', async () => {
    const linear = setup();
    await deploy(request({ strategy: { strategy: 'linear', linearStepPercent: 25, linearStepBakeTimeMinutes: 2 } }), linear.deps);
    expect(linear.ecs.configurations[0]).toMatchObject({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 },
    });
    const canary = setup();
    await deploy(request({ strategy: { strategy: 'canary', canaryPercent: 10, canaryBakeTimeMinutes: 3 } }), canary.deps);
    expect(canary.ecs.configurations[0]).toMatchObject({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
    });
  });

  it('reports ECS rolling back by itself as rolled-back with the reason, without stopping it again', async () => {
    const { ecs, deps } = setup('fails');
    const result = await deploy(request(), deps);
    expect(result.status).toBe('rolled-back');
    expect(result.error).toContain('target group health checks failed during the production traffic shift');
    expect(ecs.calls).not.toContain('StopServiceDeployment');
  });

  it('stops a deployment that times out with ROLLBACK and waits for the rollback', async () => {
    const { ecs, deps, logger } = setup('stuck');
    const result = await deploy(request({ timeoutMs: 60_000 }), deps);
    expect(ecs.calls).toContain('StopServiceDeployment');
    expect(result.status).toBe('rolled-back');
    expect(result.services[0]?.reason).toMatch(/timeout.*rolled back/);
    expect(logger.text()).toContain('[ROLLBACK_SUCCESSFUL]');
  });

  it('stays within 12 calls a minute at the default poll interval', async () => {
    const { ecs, deps } = setup('stuck');
    await deploy(request({ timeoutMs: 120_000, rollback: 'none' }), deps);
    const looks = ecs.calls.filter((c) => c === 'DescribeServiceDeployments').length;
    expect(looks).toBeLessThanOrEqual(2 * 12);
    expect(looks).toBeGreaterThan(5);
  });

  it('names every missing advancedConfiguration field before any write', async () => {
    const { ecs, deps } = setup('healthy', {
      targetGroupArn: 'arn:tg/blue',
      containerName: 'api',
      containerPort: 8080,
      advancedConfiguration: { roleArn: 'arn:aws:iam::123456789012:role/x' },
    });
    const error = await deploy(request(), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(
      'lacks advancedConfiguration.alternateTargetGroupArn, advancedConfiguration.productionListenerRule',
    );
    expect(ecs.writes()).toEqual([]);
  });

  it('pauses at a PAUSE hook it adds, then resume continue succeeds', async () => {
    const { ecs, deps } = setup();
    const paused = await deploy(request({ strategy: { strategy: 'blue-green', pauseAt: 'POST_TEST_TRAFFIC_SHIFT' } }), deps);
    expect(paused.status).toBe('paused');
    expect(paused.error).toBeUndefined();
    expect(paused.hookId).toBe('hook-POST_TEST_TRAFFIC_SHIFT');
    expect(ecs.configurations[0]?.lifecycleHooks).toEqual([{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }]);
    const resumed = await deploy(
      request({ resume: { serviceDeploymentArn: paused.serviceDeploymentArn ?? '', decision: 'continue' } }),
      deps,
    );
    expect(ecs.calls).toContain('ContinueServiceDeployment CONTINUE hook-POST_TEST_TRAFFIC_SHIFT');
    expect(resumed.status).toBe('succeeded');
  });

  it('resume rollback rolls back and the step succeeds', async () => {
    const { ecs, deps } = setup();
    const paused = await deploy(request({ strategy: { strategy: 'canary', pauseAt: 'POST_SCALE_UP' } }), deps);
    const resumed = await deploy(
      request({ resume: { serviceDeploymentArn: paused.serviceDeploymentArn ?? '', decision: 'rollback' } }),
      deps,
    );
    expect(ecs.calls).toContain('ContinueServiceDeployment ROLLBACK hook-POST_SCALE_UP');
    expect(resumed.status).toBe('rolled-back');
    expect(resumed.error).toBeUndefined();
  });

  it('refuses to resume a deployment that is not paused, saying what state it is in', async () => {
    const { ecs, deps } = setup();
    const done = await deploy(request(), deps);
    const error = await deploy(
      request({ resume: { serviceDeploymentArn: done.serviceDeploymentArn ?? '', decision: 'continue' } }),
      deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('is not paused: its status is SUCCESSFUL at stage CLEAN_UP');
    expect(ecs.calls.filter((c) => c.startsWith('ContinueServiceDeployment'))).toEqual([]);
  });
});
