import { CancelledError, ConfigurationError, manualClock, memoryLogger } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { deploy } from './deploy.js';
import { deployRequest, FakeEcs, fakeLogs, fakeSsm } from './fake-ecs.js';
import type { DeployDeps, DeployRequest } from './request.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;

function setup(rollout: Record<string, 'healthy' | 'circuit-breaker' | 'stuck'> = {}, services = ['api']) {
  const ecs = new FakeEcs();
  const arn = ecs.addTaskDefinition({
    family: 'api',
    networkMode: 'awsvpc',
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    containerDefinitions: [
      {
        name: 'api',
        image: 'repo/api:v1',
        essential: true,
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/api', 'awslogs-stream-prefix': 'ecs' } },
      },
    ],
  });
  for (const name of services) ecs.addService(name, arn, 2, rollout[name] === 'circuit-breaker');
  ecs.rollout = rollout;
  const logger = memoryLogger();
  const logs = fakeLogs(['running migration', 'ERROR: relation "users" already exists']);
  const deps: DeployDeps = { ecs, ssm: fakeSsm([]), logs, clock: manualClock(), logger, readFile: () => undefined };
  return { ecs, logger, logs, deps, arn };
}

const request = (overrides: Partial<DeployRequest> = {}): DeployRequest => deployRequest({ image: `repo/api@${DIGEST}`, ...overrides });

describe('deploy (rolling)', () => {
  it('registers once, updates the service and succeeds only when the rollout completed', async () => {
    const { ecs, deps, logger } = setup();
    const result = await deploy(request(), deps);
    expect(result.status).toBe('succeeded');
    expect(result.error).toBeUndefined();
    expect(result.taskDefinitionArn).toMatch(/api:2$/);
    expect(result.previousTaskDefinitionArn).toMatch(/api:1$/);
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(result.services[0]).toMatchObject({ service: 'api', status: 'succeeded', running: 2, desired: 2, rolloutState: 'COMPLETED' });
    const text = logger.text();
    expect(text).toContain('api: 2/2 running on rev 2, rollout COMPLETED');
    expect(text).toContain('api: 1/2 running on rev 2, 1 draining on rev 1, rollout IN_PROGRESS');
    // each event once; the event from before the deployment is not repeated
    expect(text.match(/has reached a steady state/g)?.length).toBe(1);
  });

  it('makes one DescribeServices per poll for all services (at most 6 a minute at 10s)', async () => {
    const { ecs, deps } = setup({}, ['api', 'worker', 'web']);
    ecs.steps = 7;
    const clock = manualClock();
    const result = await deploy(request({ services: ['api', 'worker', 'web'] }), { ...deps, clock });
    expect(result.status).toBe('succeeded');
    const polls = ecs.calls.filter((c) => c === 'DescribeServices').length - 1; // minus the validation call
    expect(polls).toBe(7);
    expect(clock.elapsed()).toBe(60_000);
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService', 'UpdateService']);
  });

  it('reports a circuit-breaker rollback as rolled-back with the reason and the stopped tasks', async () => {
    const { ecs, deps, logger, arn } = setup({ api: 'circuit-breaker' });
    const result = await deploy(request(), deps);
    expect(result.status).toBe('rolled-back');
    // ECS's own rollback deployment was followed until it completed
    expect(result.services[0]?.reason).toBe(`ECS deployment circuit breaker: tasks failed to start; rolled back to ${arn}`);
    expect(ecs.services.get('api')?.deployments).toEqual([expect.objectContaining({ taskDefinition: arn, rolloutState: 'COMPLETED' })]);
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(result.error).toContain('ECS deployment circuit breaker: tasks failed to start; rolled back to');
    expect(result.diagnoses[0]?.stoppedTasks[0]).toMatchObject({ stoppedReason: 'Essential container in task exited' });
    expect(logger.text()).toContain('container api: exit code 1');
    expect(logger.text()).toMatch(/logs: \/ecs\/api ecs\/api\/task\d/);
  });

  it('times out, diagnoses, and rolls back to the previous revision (rollback: auto)', async () => {
    const { ecs, deps, logger, arn } = setup({ api: 'stuck' });
    const result = await deploy(request({ timeoutMs: 30_000 }), deps);
    expect(result.status).toBe('rolled-back');
    expect(result.services[0]?.reason).toContain('timeout');
    expect(ecs.services.get('api')?.taskDefinition).toBe(arn);
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
    expect(logger.text()).toContain(`rolling back to ${arn}`);
  });

  it('leaves a stuck deployment and prints the rollback command with rollback: none', async () => {
    const { ecs, deps, logger, arn } = setup({ api: 'stuck' });
    const result = await deploy(request({ timeoutMs: 30_000, rollback: 'none' }), deps);
    expect(result.status).toBe('failed');
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(logger.text()).toContain(`aws ecs update-service --cluster shop --service api --task-definition ${arn}`);
  });

  it('is unchanged when nothing differs: no register, no update', async () => {
    const { ecs, deps } = setup();
    const result = await deploy(request({ image: 'repo/api:v1' }), deps);
    expect(result.status).toBe('unchanged');
    expect(ecs.writes()).toEqual([]);
    const forced = await deploy(request({ image: 'repo/api:v1', forceNewDeployment: true }), deps);
    expect(forced.status).toBe('succeeded');
    expect(ecs.writes()).toEqual(['UpdateService']);
  });

  it('dry-run renders and diffs, writing nothing', async () => {
    const { ecs, deps } = setup();
    const result = await deploy(request({ dryRun: true, environment: [{ name: 'A', value: '1' }] }), deps);
    expect(result.status).toBe('dry-run');
    expect(ecs.writes()).toEqual([]);
    expect(result.changes.map((c) => c.path)).toEqual(['containerDefinitions[api].environment.A', 'containerDefinitions[api].image']);
  });

  it('stops before any service change when the migration exits non-zero, with the exit code and last log lines', async () => {
    const { ecs, deps, logger, logs } = setup();
    ecs.runTaskExit = 3;
    const result = await deploy(request({ runTaskCommand: ['npm', 'run', 'migrate'] }), deps);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('exited with code 3');
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'RunTask']);
    expect(logger.text()).toContain('ERROR: relation "users" already exists');
    expect(logs.requests[0]).toMatchObject({
      logGroupName: '/ecs/api',
      logStreamName: expect.stringMatching(/^ecs\/api\/task\d+$/),
      limit: 50,
    });
  });

  it('runs the migration, then deploys', async () => {
    const { ecs, deps } = setup();
    const result = await deploy(request({ runTaskCommand: ['npm', 'run', 'migrate'] }), deps);
    expect(result.status).toBe('succeeded');
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
  });

  it('names the role and the fix when iam:PassRole is denied, before anything changes', async () => {
    const { ecs, deps } = setup();
    ecs.denyPassRole = 'arn:aws:iam::123456789012:role/exec';
    const error = await deploy(request(), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('may not pass role arn:aws:iam::123456789012:role/exec');
    expect((error as Error).message).toContain('grant iam:PassRole on arn:aws:iam::123456789012:role/exec');
    expect(ecs.services.get('api')?.deployments).toHaveLength(1);
  });

  it('lists services and containers in bad-input errors, before any write', async () => {
    const { ecs, deps } = setup();
    await expect(deploy(request({ services: ['nope'] }), deps)).rejects.toThrow(/service "nope" does not exist .*Services there: api\./);
    await expect(deploy(request({ cluster: 'other' }), deps)).rejects.toThrow(/cluster "other" does not exist .*Clusters there: shop\./);
    await expect(deploy(request({ image: undefined, images: [{ container: 'web', image: 'x:1' }] }), deps)).rejects.toThrow(
      /container "web", which is not in task definition 'api'. Containers: api\./,
    );
    expect(ecs.writes()).toEqual([]);
  });

  it('on cancel with leave: prints the rollback command; with rollback: redeploys the previous revision', async () => {
    for (const onCancel of ['leave', 'rollback'] as const) {
      const { ecs, deps, logger, arn } = setup({ api: 'stuck' });
      const controller = new AbortController();
      const clock = manualClock();
      const cancellingClock = {
        now: clock.now,
        sleep: async (ms: number, signal?: AbortSignal) => {
          if (signal && clock.now() > 20_000) controller.abort(new CancelledError('SIGINT'));
          return clock.sleep(ms, signal);
        },
      };
      const result = await deploy(request({ onCancel }), { ...deps, clock: cancellingClock, signal: controller.signal });
      expect(result.error).toContain('cancelled');
      if (onCancel === 'leave') {
        expect(result.status).toBe('failed');
        expect(logger.text()).toContain(`aws ecs update-service --cluster shop --service api --task-definition ${arn}`);
        expect(logger.text()).toMatch(
          /api: 0\/2 running on rev 2, 2 draining on rev 1, rollout IN_PROGRESS; deployment ecs-svc\/\d+ left in progress\./,
        );
        expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
      } else {
        expect(result.status).toBe('rolled-back');
        expect(ecs.services.get('api')?.taskDefinition).toBe(arn);
        expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService']);
      }
    }
  });

  it('keeps waiting through a few failed looks, and gives up after too many in a row', async () => {
    const first = setup();
    first.ecs.failingLooks = 3;
    const survived = await deploy(request(), first.deps);
    expect(survived.status).toBe('succeeded');
    expect(first.logger.text()).toContain(
      'DescribeServices failed (ServerException: Internal error (HTTP 500)); looking again at the next poll (3/3).',
    );
    const second = setup();
    second.ecs.failingLooks = 4;
    await expect(deploy(request(), second.deps)).rejects.toThrow('Internal error');
  });

  it('leaves the migration task and says how to stop it when the job is cancelled meanwhile', async () => {
    const { ecs, deps } = setup();
    const controller = new AbortController();
    const clock = manualClock();
    const cancelling = {
      now: clock.now,
      sleep: async (ms: number, signal?: AbortSignal) => {
        controller.abort(new CancelledError('SIGINT'));
        return clock.sleep(ms, signal);
      },
    };
    const result = await deploy(request({ runTaskCommand: ['migrate'] }), { ...deps, clock: cancelling, signal: controller.signal });
    expect(result.status).toBe('failed');
    expect(result.error).toContain('the job was cancelled while the migration task');
    expect(result.notes.join('\n')).toMatch(/aws ecs stop-task --cluster shop --task arn:aws:ecs:.*task\/shop\/task\d/);
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'RunTask']);
  });

  it('refuses a rolling deploy of a service with a CodeDeploy controller before any write', async () => {
    const { ecs, deps } = setup();
    const service = ecs.services.get('api');
    if (service) service.deploymentController = { type: 'CODE_DEPLOY' };
    await expect(deploy(request({ strategy: { strategy: 'rolling' } }), deps)).rejects.toThrow(
      /uses the CODE_DEPLOY deployment controller/,
    );
    expect(ecs.writes()).toEqual([]);
  });

  it('deploys an existing revision as is, without registering a copy', async () => {
    const { ecs, deps, arn } = setup();
    const newer = ecs.addTaskDefinition({ family: 'api', containerDefinitions: [{ name: 'api', image: 'repo/api:v2' }] });
    const service = ecs.services.get('api');
    if (service) service.taskDefinition = newer;
    const result = await deploy(request({ image: undefined, taskDefinition: 'api:1' }), deps);
    expect(result.status).toBe('succeeded');
    expect(result.taskDefinitionArn).toBe(arn);
    expect(ecs.writes()).toEqual(['UpdateService']);
  });

  it('stops before the first write when the job is already cancelled', async () => {
    const { ecs, deps, logger } = setup();
    const controller = new AbortController();
    controller.abort(new CancelledError('SIGTERM'));
    await expect(deploy(request(), { ...deps, signal: controller.signal })).rejects.toThrow('The job was cancelled (SIGTERM).');
    expect(logger.text()).toContain('Cancelled before the next change: nothing was changed.');
    expect(ecs.writes()).toEqual([]);
  });

  it('fails a service that disappears while deploying instead of waiting for the timeout', async () => {
    const { ecs, deps } = setup({ api: 'stuck' });
    const clock = manualClock();
    const deleting = {
      now: clock.now,
      sleep: async (ms: number, signal?: AbortSignal) => {
        const service = ecs.services.get('api');
        if (service) service.status = 'INACTIVE';
        return clock.sleep(ms, signal);
      },
    };
    const result = await deploy(request({ rollback: 'none' }), { ...deps, clock: deleting });
    expect(result.status).toBe('failed');
    expect(result.services[0]?.reason).toBe('service api no longer exists (deleted while deploying)');
    expect(clock.elapsed()).toBe(10_000);
  });
});

/** A FakeEcs where another actor calls UpdateService right after the n-th DescribeServices answer. */
class RacingEcs extends FakeEcs {
  private answered = 0;
  constructor(
    private readonly after: number,
    private readonly hotfix: () => string,
  ) {
    super();
  }
  override async describeServices(input: { services?: string[] }) {
    const answer = await super.describeServices(input);
    if (++this.answered === this.after) {
      await this.updateService({ service: 'api', taskDefinition: this.hotfix() });
      this.calls.pop(); // the other actor's UpdateService is not one of ours
    }
    return answer;
  }
}

const primaryTaskDefinition = (ecs: FakeEcs) => ecs.services.get('api')?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;

describe('deploy: another actor replaces our deployment (issue 15 item 6)', () => {
  function racing(after: number) {
    let hotfix = '';
    const ecs = new RacingEcs(after, () => hotfix);
    const definition = {
      family: 'api',
      containerDefinitions: [{ name: 'api', image: 'repo/api:v1', essential: true }],
    };
    const arn = ecs.addTaskDefinition(definition);
    hotfix = ecs.addTaskDefinition({ ...definition, containerDefinitions: [{ name: 'api', image: 'repo/api:hotfix', essential: true }] });
    ecs.addService('api', arn, 2);
    ecs.rollout = { api: 'stuck' };
    const logger = memoryLogger();
    const deps: DeployDeps = { ecs, ssm: fakeSsm([]), logs: fakeLogs([]), clock: manualClock(), logger, readFile: () => undefined };
    return { ecs, deps, logger, hotfix };
  }

  it('while waiting: failed naming the replacer; no rollback', async () => {
    // looks: prepare (1), then the watch; the other UpdateService lands after the watch's first look
    const { ecs, deps, logger, hotfix } = racing(2);
    const result = await deploy(request({ timeoutMs: 60_000 }), deps);
    expect(result.status).toBe('failed');
    expect(result.services[0]?.reason).toMatch(/^deployment ecs-svc\/\d+ was replaced by deployment ecs-svc\/\d+ \(task definition api:2/);
    expect(primaryTaskDefinition(ecs)).toBe(hotfix);
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']); // the other actor's call is not counted
    expect(logger.text()).toContain("not rolling back: the service's primary deployment is no longer ours");
  });

  it('after the timeout, right before the rollback call: the check sees it; no rollback', async () => {
    // 30 s timeout, 10 s polls: looks at 0, 10, 20, 30 s (2..5); the replacement lands right after the last one
    const { ecs, deps, hotfix } = racing(5);
    const result = await deploy(request({ timeoutMs: 30_000 }), deps);
    expect(result.status).toBe('failed');
    expect(result.services[0]?.reason).toMatch(
      /was replaced by deployment ecs-svc\/\d+ \(task definition api:2.*; ours: not finished after 30s \(timeout\); not rolled back$/,
    );
    expect(primaryTaskDefinition(ecs)).toBe(hotfix);
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});

describe('deploy: a circuit-breaker rollback that completes between two looks', () => {
  /** Each DescribeServices answer is a second look: the failure and ECS's rollback both happen unseen. */
  class FastRollbackEcs extends FakeEcs {
    override async describeServices(input: { services?: string[] }) {
      await super.describeServices(input);
      return super.describeServices(input);
    }
  }

  it('is rolled-back with the reason from ECS service events, the stopped tasks diagnosed, and no UpdateService of ours', async () => {
    const ecs = new FastRollbackEcs();
    const arn = ecs.addTaskDefinition({ family: 'api', containerDefinitions: [{ name: 'api', image: 'repo/api:v1', essential: true }] });
    ecs.addService('api', arn, 2, true);
    ecs.rollout = { api: 'circuit-breaker' };
    ecs.steps = 1; // one look fails the deployment, the next completes ECS's rollback
    const logger = memoryLogger();
    const deps: DeployDeps = { ecs, ssm: fakeSsm([]), logs: fakeLogs([]), clock: manualClock(), logger, readFile: () => undefined };
    const result = await deploy(request(), deps);
    expect(result.status).toBe('rolled-back');
    expect(result.services[0]?.reason).toBe(`ECS deployment circuit breaker: tasks failed to start; rolled back to ${arn}`);
    expect(result.diagnoses[0]?.stoppedTasks[0]).toMatchObject({ stoppedReason: 'Essential container in task exited' });
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
  });
});
