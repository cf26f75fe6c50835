import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EcsSimulator } from '@baepo/ecs-simulator';
import { startEcsSimulator } from '@baepo/ecs-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain, type RunOptions, runAction } from '../harness/run-action.js';
import { awsEnv } from '../stack/index.js';
import { createService, DIGEST, ecsClient, REGION, runningTaskDefinition, WRITES, waitSteady } from './ecs-deploy/fixtures.js';

// The bundle under Node 24 against the ECS simulator (deployments progress over
// compressed time: 20 ms a tick), polling every 100 ms.
describe('ecs-deploy rollouts (simulator)', () => {
  let sim: EcsSimulator;
  let ecs: ECSClient;
  let env: Record<string, string>;
  const image = `123456789012.dkr.ecr.${REGION}.amazonaws.com/api@${DIGEST}`;

  beforeAll(async () => {
    sim = await startEcsSimulator({ tickMs: 20, circuitBreakerThreshold: 2 });
    ecs = ecsClient(sim.endpoint);
    env = awsEnv({ ecs: sim.endpoint, cloudwatch_logs: sim.endpoint }, REGION);
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => sim.reset());

  async function service(options: { circuitBreaker?: boolean; services?: string[] } = {}): Promise<string> {
    let first = '';
    for (const name of options.services ?? ['api']) {
      const arn = await createService(ecs, {
        cluster: 'shop',
        service: name,
        family: 'api',
        logs: true,
        circuitBreaker: options.circuitBreaker,
      });
      first ||= arn;
    }
    for (const name of options.services ?? ['api']) await waitSteady(ecs, 'shop', name);
    sim.clearCalls();
    return first;
  }

  const deploy = (inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) =>
    runAction({ action: 'ecs-deploy', env, timeoutMs: 30_000, ...extra, inputs: { cluster: 'shop', 'poll-interval': '100ms', ...inputs } });
  const writes = () =>
    sim
      .calls()
      .filter((c) => WRITES.includes(c.operation))
      .map((c) => c.operation);

  it('succeeded: the new deployment COMPLETED, progress and events streamed', async () => {
    const previous = await service();
    const result = await deploy({ service: 'api', image });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.outputs['previous-task-definition-arn']).toBe(previous);
    expect(result.outputs['task-definition-arn']).toMatch(/api:2$/);
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(result.outputs['task-definition-arn']);
    const rollout = sim.completedRollouts().at(-1);
    expect(rollout).toMatchObject({ rolloutState: 'COMPLETED', deploymentId: result.outputs['deployment-id'] });
    expect(result.stdout).toMatch(/api: \d\/2 running on rev 2( \(\d pending\))?, 2 draining on rev 1, rollout IN_PROGRESS/);
    expect(result.stdout).toContain('api: 2/2 running on rev 2, rollout COMPLETED');
    expect(result.stdout).toContain('api event: (service api) has reached a steady state.');
    expect(result.stdout.match(/api event: \(service api\) has reached a steady state\./g)).toHaveLength(1);
    expect(JSON.parse(result.outputs.services ?? '')).toEqual([
      expect.objectContaining({
        service: 'api',
        status: 'succeeded',
        running: 2,
        desired: 2,
        rolloutState: 'COMPLETED',
        previousTaskDefinition: previous,
      }),
    ]);
    expect(result.summary).toContain('### ecs-deploy: succeeded');
    expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('unchanged: nothing registered or updated', async () => {
    const previous = await service();
    const result = await deploy({ service: 'api', image: `123456789012.dkr.ecr.${REGION}.amazonaws.com/api:v1` });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('unchanged');
    expect(result.outputs['task-definition-arn']).toBe(previous);
    expect(writes()).toEqual([]);
  });

  it('force-new-deployment: an unchanged task definition still gets a new deployment, waited for', async () => {
    const previous = await service();
    const result = await deploy({ service: 'api', 'force-new-deployment': true });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.outputs['task-definition-arn']).toBe(previous);
    expect(writes()).toEqual(['UpdateService']);
    expect(sim.completedRollouts().at(-1)).toMatchObject({ rolloutState: 'COMPLETED', deploymentId: result.outputs['deployment-id'] });
  });

  it('dry-run: a readable diff in log and summary, nothing changed', async () => {
    await service();
    const result = await deploy({
      service: 'api',
      image,
      environment: 'LOG_LEVEL=debug',
      'run-task-command': 'npm run migrate',
      'dry-run': true,
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('dry-run');
    expect(result.stdout).toContain('~ containerDefinitions[api].environment.LOG_LEVEL: "info" -> "debug"');
    expect(result.summary).toContain(
      `~ containerDefinitions[api].image: "123456789012.dkr.ecr.${REGION}.amazonaws.com/api:v1" -> "${image}"`,
    );
    expect(result.stdout).toContain('Dry run: would register a new revision of api and update api after running ["npm","run","migrate"]');
    expect(writes()).toEqual([]);
  });

  it('rolled-back by the circuit breaker: the step fails with rolloutStateReason, exit codes and log locations', async () => {
    const previous = await service({ circuitBreaker: true });
    sim.setScenario('api', { kind: 'exit-code', exitCode: 1, logLines: ['boom'] });
    const result = await deploy({ service: 'api', image });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.errors).toEqual([
      `Deployment failed and was rolled back: api: ECS deployment circuit breaker: tasks failed to start; rolled back to ${previous}`,
    ]);
    expect(result.stdout).toMatch(/api: ECS is rolling back \(circuit breaker\): following deployment ecs-svc\/\d+\./);
    expect(result.stdout).toMatch(/api: task [0-9a-f]{32} stopped: Essential container in task exited \(EssentialContainerExited\)/);
    expect(result.stdout).toMatch(/container api: exit code 1, logs: \/ecs\/api ecs\/api\/[0-9a-f]{32}/);
    expect(result.summary).toContain('#### Why `api` failed');
    expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
    expect(sim.completedRollouts().at(-1)).toMatchObject({ rolloutState: 'COMPLETED', taskDefinition: previous });
  });

  it('rolled-back by the action (rollback: auto) after a timeout, with the pull error diagnosed', async () => {
    const previous = await service();
    sim.setScenario('api', { kind: 'image-pull-failure' });
    const result = await deploy({ service: 'api', image, timeout: '1500ms' });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.stdout).toContain('CannotPullContainerError');
    expect(result.stdout).toContain(`api: rolling back to ${previous} (rollback: auto).`);
    expect(result.errors.join('\n')).toMatch(/failed and was rolled back: api: not finished after 2s \(timeout\)/);
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
    expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
  });

  it('failed with rollback: none: leaves the deployment and prints the rollback command', async () => {
    const previous = await service();
    sim.setScenario('api', { kind: 'unhealthy' });
    const result = await deploy({ service: 'api', image, timeout: '1s', rollback: 'none' });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.stdout).toContain(`aws ecs update-service --cluster shop --service api --task-definition ${previous}`);
    expect(result.stdout).toMatch(/health: UNHEALTHY/);
    expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('multi-service: one revision registered, both services rolled out and polled together', async () => {
    await service({ services: ['api', 'worker'] });
    const result = await deploy({ service: 'api\nworker', image });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const services = JSON.parse(result.outputs.services ?? '') as { service: string; status: string; taskDefinition: string }[];
    expect(services.map((s) => [s.service, s.status])).toEqual([
      ['api', 'succeeded'],
      ['worker', 'succeeded'],
    ]);
    expect(new Set(services.map((s) => s.taskDefinition))).toEqual(new Set([result.outputs['task-definition-arn']]));
    expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
    const polls = sim.calls().filter((c) => c.operation === 'DescribeServices').length;
    const progressLines = result.stdout.split('\n').filter((l) => /^(api|worker): .*rollout/.test(l)).length;
    expect(polls).toBeLessThan(progressLines + 3);
  });

  it('migration: runs the command with the new revision before the service update', async () => {
    await service();
    const result = await deploy({ service: 'api', image, 'run-task-command': '["npm", "run", "migrate"]' });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(writes()).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
    expect(result.stdout).toMatch(/Migration task [0-9a-f]{32} exited with code 0/);
  });

  it('migration failure: stops before any service change with exit code, stoppedReason and the last log lines', async () => {
    const previous = await service();
    sim.setRunTaskScenario('api', { kind: 'exit', exitCode: 2, logLines: ['migrating...', 'ERROR: column "email" already exists'] });
    const result = await deploy({ service: 'api', image, 'run-task-command': 'npm run migrate' });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('The migration task failed (the migration exited with code 2); no service was updated (');
    expect(result.stdout).toContain('exit code 2');
    expect(result.stdout).toContain('stoppedReason: Essential container in task exited');
    expect(result.stdout).toContain('| ERROR: column "email" already exists');
    expect(writes()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
  });

  it('migration that never started: stops the deploy with the stoppedReason', async () => {
    await service();
    sim.setRunTaskScenario('api', { kind: 'start-failure', stoppedReason: 'CannotPullContainerError: pull access denied for api' });
    const result = await deploy({ service: 'api', image, 'run-task-command': 'npm run migrate' });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.errors).toEqual([
      expect.stringContaining('the migration task never started: CannotPullContainerError: pull access denied for api'),
    ]);
    expect(result.stdout).toContain('no exit code (the container never ran)');
    expect(writes()).toEqual(['RegisterTaskDefinition', 'RunTask']);
  });

  it('cancel while waiting, on-cancel: leave: prints the state and the exact rollback command', async () => {
    const previous = await service();
    sim.setScenario('api', { kind: 'stuck' });
    const result = await deploy(
      { service: 'api', image },
      { onStdout: (chunk, control) => (chunk.includes('rollout IN_PROGRESS') ? control.cancel() : undefined) },
    );
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.stdout).toContain(`aws ecs update-service --cluster shop --service api --task-definition ${previous}`);
    expect(result.errors.join('\n')).toContain('cancelled while waiting for the deployment (on-cancel: leave)');
    expect(result.stdout).toMatch(
      /api: 0\/2 running on rev 2, 2 draining on rev 1, rollout IN_PROGRESS; deployment ecs-svc\/\d+ left in progress\./,
    );
    expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });

  it('cancel while waiting, on-cancel: rollback: redeploys the previous revision and waits for it', async () => {
    const previous = await service();
    sim.setScenario('api', { kind: 'stuck' });
    const result = await deploy(
      { service: 'api', image, 'on-cancel': 'rollback' },
      { onStdout: (chunk, control) => (chunk.includes('rollout IN_PROGRESS') ? control.cancel() : undefined) },
    );
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(writes()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
  });

  it('rides out throttling and 5xx bursts (SDK retries, then another look) and still checks the real outcome', async () => {
    await service();
    sim.injectFaults({ throttle: 2, serverError: 1, operations: ['DescribeServices', 'UpdateService'] });
    const result = await deploy({ service: 'api', image });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(sim.completedRollouts().at(-1)).toMatchObject({ rolloutState: 'COMPLETED', deploymentId: result.outputs['deployment-id'] });
    expect(writes().filter((w) => w === 'UpdateService').length).toBeGreaterThanOrEqual(1);
  });
});
