import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { EcsSimulator } from '@baepo/ecs-simulator';
import { startEcsSimulator } from '@baepo/ecs-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain, type RunOptions, runAction } from '../harness/run-action.js';
import { awsEnv } from '../stack/index.js';
import { createService, DIGEST, ecsClient, REGION, runningTaskDefinition, WRITES, waitSteady } from './ecs-deploy/fixtures.js';

// Issue 15 items 5 and 6: never green when it is not. The bundle under Node 24 against the ECS simulator.
//
// What AWS documents and the simulator follows:
// - DescribeServices `deployments` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html):
//   the PRIMARY deployment is the most recent one; ACTIVE ones are being replaced; `rolloutState` is IN_PROGRESS
//   until the service reaches a steady state (COMPLETED), FAILED when the circuit breaker trips; the service's
//   `taskDefinition` is the PRIMARY deployment's (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html).
// - Circuit breaker without rollback: the deployment is FAILED and stays PRIMARY
//   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
// - UpdateService by anyone starts a new PRIMARY deployment; the previous PRIMARY becomes ACTIVE and is scaled
//   down (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).
// - Service deployments (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html,
//   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html): PENDING / IN_PROGRESS
//   until SUCCESSFUL, STOPPED, ROLLBACK_*; a newer deployment stops the one in progress.
const TG = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup`;
const READY = {
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

describe('ecs-deploy re-runs and other actors (simulator)', () => {
  let sim: EcsSimulator;
  let ecs: ECSClient;
  let env: Record<string, string>;
  const image = `123456789012.dkr.ecr.${REGION}.amazonaws.com/api@${DIGEST}`;

  beforeAll(async () => {
    sim = await startEcsSimulator({ tickMs: 20, circuitBreakerThreshold: 2, minuteTicks: 10 });
    ecs = ecsClient(sim.endpoint);
    env = awsEnv({ ecs: sim.endpoint, cloudwatch_logs: sim.endpoint }, REGION);
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => sim.reset());

  async function service(options: { services?: string[]; breaker?: { enable: boolean; rollback: boolean }; native?: boolean } = {}) {
    let first = '';
    for (const name of options.services ?? ['api']) {
      const arn = await createService(ecs, {
        cluster: 'shop',
        service: name,
        family: 'api',
        logs: true,
        ...(options.breaker ? { deploymentConfiguration: { deploymentCircuitBreaker: options.breaker } } : {}),
        ...(options.native ? { loadBalancers: [READY] } : {}),
      });
      first ||= arn;
    }
    for (const name of options.services ?? ['api']) await waitSteady(ecs, 'shop', name);
    sim.clearCalls();
    return first;
  }

  /** Another revision of the family (api:2; the deploy then registers api:3), as another pipeline would register it. */
  async function otherRevision(): Promise<string> {
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api:1' }));
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'api',
        networkMode: taskDefinition?.networkMode,
        requiresCompatibilities: taskDefinition?.requiresCompatibilities,
        cpu: taskDefinition?.cpu,
        memory: taskDefinition?.memory,
        executionRoleArn: taskDefinition?.executionRoleArn,
        containerDefinitions: taskDefinition?.containerDefinitions?.map((c) => ({ ...c, image: `${c.image?.split(':')[0]}:hotfix` })),
      }),
    );
    sim.clearCalls();
    return registered.taskDefinition?.taskDefinitionArn ?? '';
  }

  const deploy = (inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) =>
    runAction({ action: 'ecs-deploy', env, timeoutMs: 30_000, ...extra, inputs: { cluster: 'shop', 'poll-interval': '100ms', ...inputs } });
  const writes = () =>
    sim
      .calls()
      .filter((c) => [...WRITES, 'StopServiceDeployment', 'ContinueServiceDeployment'].includes(c.operation))
      .map((c) => c.operation);
  const primary = async (name = 'api') => {
    const described = await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: [name] }));
    return described.services?.[0]?.deployments?.find((d) => d.status === 'PRIMARY');
  };

  describe('item 5: a re-run after a failed rollout is not unchanged', () => {
    it('rollback: none, then the same deploy again: waits for the unhealthy deployment and fails, nothing written', async () => {
      await service();
      sim.setScenario('api', { kind: 'unhealthy' });
      const first = await deploy({ service: 'api', image, timeout: '1s', rollback: 'none' });
      expect(first.outputs.status, explain(first)).toBe('failed');
      sim.clearCalls();

      const rerun = await deploy({ service: 'api', image, timeout: '1s', rollback: 'none' });
      expect(rerun.exitCode, explain(rerun)).toBe(1);
      expect(rerun.outputs.status).toBe('failed');
      expect(rerun.stdout).not.toContain('Unchanged');
      expect(rerun.stdout).toMatch(
        /api: api:2 is the PRIMARY deployment \(ecs-svc\/\d+\) but not settled: rollout IN_PROGRESS, \d\/2 running/,
      );
      expect(rerun.errors.join('\n')).toContain('api: not finished after 1s (timeout)');
      expect(writes()).toEqual([]);
    });

    it('rollback: none, then a re-run with rollback: auto: follows the deployment and rolls back to the revision it replaced', async () => {
      const previous = await service();
      sim.setScenario('api', { kind: 'unhealthy' });
      await deploy({ service: 'api', image, timeout: '1s', rollback: 'none' });
      sim.clearCalls();

      const rerun = await deploy({ service: 'api', image, timeout: '1s' });
      expect(rerun.exitCode, explain(rerun)).toBe(1);
      expect(rerun.outputs.status).toBe('rolled-back');
      expect(rerun.outputs['previous-task-definition-arn']).toBe(previous);
      expect(writes()).toEqual(['UpdateService']);
      expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
    });

    it('circuit breaker without rollback, then a re-run: FAILED is reported as failed, not unchanged', async () => {
      await service({ breaker: { enable: true, rollback: false } });
      sim.setScenario('api', { kind: 'exit-code', exitCode: 1 });
      const first = await deploy({ service: 'api', image, rollback: 'none' });
      expect(first.outputs.status, explain(first)).toBe('failed');
      expect((await primary())?.rolloutState).toBe('FAILED');
      sim.clearCalls();

      const rerun = await deploy({ service: 'api', image, rollback: 'none' });
      expect(rerun.exitCode, explain(rerun)).toBe(1);
      expect(rerun.outputs.status).toBe('failed');
      expect(rerun.stdout).not.toContain('Unchanged');
      expect(rerun.stdout).toMatch(/api: api:2 is the PRIMARY deployment \(ecs-svc\/\d+\) but not settled: rollout FAILED/);
      expect(rerun.errors.join('\n')).toContain('ECS deployment circuit breaker');
      expect(writes()).toEqual([]);
    });

    it('cancel with on-cancel: leave, then a re-run: waits for the deployment left in progress', async () => {
      const previous = await service();
      sim.setScenario('api', { kind: 'stuck' });
      const first = await deploy(
        { service: 'api', image },
        { onStdout: (chunk, control) => (chunk.includes('rollout IN_PROGRESS') ? control.cancel() : undefined) },
      );
      expect(first.errors.join('\n'), explain(first)).toContain('on-cancel: leave');
      sim.clearCalls();

      const rerun = await deploy({ service: 'api', image, timeout: '1s' });
      expect(rerun.exitCode, explain(rerun)).toBe(1);
      expect(rerun.outputs.status).toBe('rolled-back');
      expect(rerun.stdout).not.toContain('Unchanged');
      expect(writes()).toEqual(['UpdateService']);
      expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
    });

    it('a re-run while the first run (wait: false) still rolls out: waits and reports the real outcome', async () => {
      await service();
      sim.setScenario('api', { kind: 'healthy', ticks: 250 }); // 5 s: still rolling out when the re-run looks
      const first = await deploy({ service: 'api', image, wait: 'false' });
      expect(first.outputs.status, explain(first)).toBe('started');
      sim.clearCalls();
      const rerun = await deploy({ service: 'api', image });
      expect(rerun.exitCode, explain(rerun)).toBe(0);
      expect(rerun.outputs.status).toBe('succeeded');
      expect(rerun.outputs['deployment-id']).toBe(first.outputs['deployment-id']);
      expect(writes()).toEqual([]);
    });

    it('multi-service: the settled service is unchanged, the unsettled one is followed and fails the step', async () => {
      await service({ services: ['api', 'worker'] });
      sim.setScenario('worker', { kind: 'unhealthy' });
      const first = await deploy({ service: 'api\nworker', image, timeout: '1s', rollback: 'none' });
      expect(first.outputs.status, explain(first)).toBe('failed');
      sim.clearCalls();
      const rerun = await deploy({ service: 'api\nworker', image, timeout: '1s', rollback: 'none' });
      expect(rerun.exitCode, explain(rerun)).toBe(1);
      expect(rerun.outputs.status).toBe('failed');
      const services = JSON.parse(rerun.outputs.services ?? '') as { service: string; status: string }[];
      expect(services.map((s) => [s.service, s.status])).toEqual([
        ['api', 'unchanged'],
        ['worker', 'failed'],
      ]);
      expect(writes()).toEqual([]);
    });

    it('still unchanged (green, nothing written) when the revision is the COMPLETED, steady primary', async () => {
      const previous = await service();
      const rerun = await deploy({ service: 'api', image: `123456789012.dkr.ecr.${REGION}.amazonaws.com/api:v1` });
      expect(rerun.exitCode, explain(rerun)).toBe(0);
      expect(rerun.outputs.status).toBe('unchanged');
      expect(rerun.outputs['task-definition-arn']).toBe(previous);
      expect(writes()).toEqual([]);
    });

    it('native blue/green left in progress (wait: false), then a re-run: follows the service deployment to its real end', async () => {
      await service({ native: true });
      // 10 simulated minutes of bake time (2 s here): the re-run starts while the deployment bakes.
      const inputs = { service: 'api', image, strategy: 'blue-green', 'bake-time': '10m' };
      const first = await deploy({ ...inputs, wait: 'false' });
      expect(first.outputs.status, explain(first)).toBe('started');
      sim.clearCalls();

      const rerun = await deploy(inputs);
      expect(rerun.exitCode, explain(rerun)).toBe(0);
      expect(rerun.outputs.status).toBe('succeeded');
      expect(rerun.stdout).not.toContain('Unchanged');
      expect(rerun.stdout).toMatch(/api: api:2 is the target of service deployment arn:aws:ecs:\S+ \(IN_PROGRESS\)/);
      expect(rerun.outputs['service-deployment-arn'], explain(rerun)).toBe(first.outputs['service-deployment-arn']);
      expect(writes()).toEqual([]);
      expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(first.outputs['task-definition-arn']);
    });

    it('native blue/green paused at a hook, then a re-run without pause-at: still paused, not unchanged', async () => {
      await service({ native: true });
      const first = await deploy({ service: 'api', image, strategy: 'blue-green', 'pause-at': 'POST_TEST_TRAFFIC_SHIFT' });
      expect(first.outputs.status, explain(first)).toBe('paused');
      sim.clearCalls();

      const rerun = await deploy({ service: 'api', image, strategy: 'blue-green' });
      expect(rerun.outputs.status, explain(rerun)).toBe('paused');
      expect(rerun.stdout).not.toContain('Unchanged');
      expect(rerun.outputs['service-deployment-arn']).toBe(first.outputs['service-deployment-arn']);
      expect(writes()).toEqual([]);
    });

    it('native blue/green stuck and left (on-cancel: leave), then a re-run with rollback: none fails saying it is in progress', async () => {
      await service({ native: true });
      sim.setScenario('api', { kind: 'stuck' });
      const first = await deploy(
        { service: 'api', image, strategy: 'blue-green' },
        { onStdout: (chunk, control) => (chunk.includes('api: stage') ? control.cancel() : undefined) },
      );
      expect(first.errors.join('\n'), explain(first)).toContain('on-cancel: leave');
      sim.clearCalls();

      const rerun = await deploy({ service: 'api', image, strategy: 'blue-green', timeout: '1s', rollback: 'none' });
      expect(rerun.exitCode, explain(rerun)).toBe(1);
      expect(rerun.outputs.status).toBe('failed');
      expect(rerun.stdout).not.toContain('Unchanged');
      expect(rerun.stdout).toMatch(/api: api:2 is the target of service deployment arn:aws:ecs:[^ ]+ \(IN_PROGRESS\)/);
      expect(writes()).toEqual([]);
    });
  });

  describe("item 6: never roll back another actor's newer deployment", () => {
    it('failure path: another UpdateService replaces ours while we wait: failed, naming the replacer, no rollback', async () => {
      await service();
      const hotfix = await otherRevision();
      sim.setScenario('api', { kind: 'unhealthy' });
      sim.scheduleUpdate('api', { taskDefinition: hotfix, afterTicks: 3 });
      const result = await deploy({ service: 'api', image, timeout: '5s' });
      expect(result.exitCode, explain(result)).toBe(1);
      expect(result.outputs.status).toBe('failed');
      expect(result.errors.join('\n')).toMatch(
        /api: deployment ecs-svc\/\d+ was replaced by deployment ecs-svc\/\d+ \(task definition api:2, created [^)]+\); not rolled back/,
      );
      expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
      expect((await primary())?.taskDefinition).toBe(hotfix);
    });

    it('timeout path: the replacement lands right after the last look: the check before the rollback call sees it', async () => {
      await service();
      const hotfix = await otherRevision();
      sim.setScenario('api', { kind: 'stuck' });
      // The watch looks once (the 10 s poll interval is longer than the 1 s timeout, and the deadline ends the
      // wait); the other actor's UpdateService comes right after that answer, before the rollback.
      sim.scheduleUpdate('api', { taskDefinition: hotfix, afterCalls: { operation: 'DescribeServices', count: 1 } });
      const result = await deploy({ service: 'api', image, timeout: '1s', 'poll-interval': '10s' });
      expect(result.exitCode, explain(result)).toBe(1);
      expect(result.outputs.status).toBe('failed');
      expect(result.errors.join('\n'), explain(result)).toMatch(
        /api: deployment ecs-svc\/\d+ was replaced by deployment ecs-svc\/\d+ \(task definition api:2, created [^)]+\); ours: not finished after 1s \(timeout\); not rolled back/,
      );
      expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
      expect((await primary())?.taskDefinition).toBe(hotfix);
    });

    it('cancel path (on-cancel: rollback): no rollback over the other deployment', async () => {
      await service();
      const hotfix = await otherRevision();
      sim.setScenario('api', { kind: 'stuck' });
      // The other UpdateService lands right after the watch's first look; the job is cancelled once that look is logged.
      sim.scheduleUpdate('api', { taskDefinition: hotfix, afterCalls: { operation: 'DescribeServices', count: 1 } });
      const result = await deploy(
        { service: 'api', image, 'on-cancel': 'rollback', 'poll-interval': '10s' },
        { onStdout: (chunk, control) => (chunk.includes('rollout IN_PROGRESS') ? control.cancel() : undefined) },
      );
      expect(result.exitCode, explain(result)).toBe(1);
      expect(result.outputs.status).toBe('failed');
      expect(result.errors.join('\n'), explain(result)).toMatch(
        /\(on-cancel: rollback\): api: deployment ecs-svc\/\d+ was replaced by deployment ecs-svc\/\d+ \(task definition api:2, created [^)]+\); not rolled back/,
      );
      expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
      expect((await primary())?.taskDefinition).toBe(hotfix);
    });

    it('native blue/green: another UpdateService stops ours; failed naming the new service deployment, no StopServiceDeployment', async () => {
      await service({ native: true });
      const hotfix = await otherRevision();
      sim.setScenario('api', { kind: 'stuck' });
      // Right after the watch's first look at our service deployment.
      sim.scheduleUpdate('api', { taskDefinition: hotfix, afterCalls: { operation: 'DescribeServiceDeployments', count: 1 } });
      const result = await deploy({ service: 'api', image, strategy: 'blue-green', timeout: '5s' });
      expect(result.exitCode, explain(result)).toBe(1);
      expect(result.outputs.status).toBe('failed');
      expect(result.errors.join('\n')).toMatch(
        /api: service deployment arn:aws:ecs:\S+ was replaced by service deployment arn:aws:ecs:\S+ \(task definition api:2/,
      );
      expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
      expect((await primary())?.taskDefinition).toBe(hotfix);
    });

    it('resume path: another UpdateService right after our ContinueServiceDeployment: no StopServiceDeployment over it', async () => {
      await service({ native: true });
      const hotfix = await otherRevision();
      const paused = await deploy({ service: 'api', image, strategy: 'blue-green', 'pause-at': 'POST_TEST_TRAFFIC_SHIFT' });
      expect(paused.outputs.status, explain(paused)).toBe('paused');
      sim.clearCalls();
      sim.scheduleUpdate('api', {
        taskDefinition: hotfix,
        armed: 'now',
        afterCalls: { operation: 'ContinueServiceDeployment', count: 1 },
      });
      const resumed = await deploy({ resume: paused.outputs['service-deployment-arn'] ?? '', decision: 'continue' });
      expect(resumed.exitCode, explain(resumed)).toBe(1);
      expect(resumed.outputs.status).toBe('failed');
      expect(resumed.errors.join('\n')).toMatch(
        /api: service deployment arn:aws:ecs:\S+ was replaced by service deployment arn:aws:ecs:\S+ \(task definition api:2, .*; not rolled back/,
      );
      expect(writes()).toEqual(['ContinueServiceDeployment']);
      expect((await primary())?.taskDefinition).toBe(hotfix);
    });
  });
});
