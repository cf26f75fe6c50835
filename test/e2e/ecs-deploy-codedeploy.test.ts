import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentGroupCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EcsSimulator } from '@baepo/ecs-simulator';
import { startEcsSimulator } from '@baepo/ecs-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain, type RunOptions, runAction } from '../harness/run-action.js';
import { awsEnv } from '../stack/index.js';
import { createService, credentials, DIGEST, ecsClient, REGION, runningTaskDefinition } from './ecs-deploy/fixtures.js';

const TG = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup`;

// The bundle under Node 24 against the simulator's CodeDeploy subset (20 ms a tick), polling every 100 ms.
describe('ecs-deploy through CodeDeploy (simulator)', () => {
  let sim: EcsSimulator;
  let ecs: ECSClient;
  let codedeploy: CodeDeployClient;
  let env: Record<string, string>;
  const image = `123456789012.dkr.ecr.${REGION}.amazonaws.com/api@${DIGEST}`;

  beforeAll(async () => {
    sim = await startEcsSimulator({ tickMs: 20 });
    ecs = ecsClient(sim.endpoint);
    codedeploy = new CodeDeployClient({ region: REGION, endpoint: sim.endpoint, credentials, maxAttempts: 1 });
    env = { ...awsEnv({ ecs: sim.endpoint, cloudwatch_logs: sim.endpoint }, REGION), AWS_ENDPOINT_URL_CODEDEPLOY: sim.endpoint };
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => sim.reset());

  /** A CODE_DEPLOY service and the application and deployment group the ECS console would create for it. */
  async function service(autoRollback = true): Promise<string> {
    const arn = await createService(ecs, {
      cluster: 'shop',
      service: 'api',
      family: 'api',
      deploymentController: { type: 'CODE_DEPLOY' },
      loadBalancers: [{ targetGroupArn: `${TG}/blue/1`, containerName: 'api', containerPort: 8080 }],
    });
    await codedeploy.send(new CreateApplicationCommand({ applicationName: 'AppECS-shop-api', computePlatform: 'ECS' }));
    await codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'AppECS-shop-api',
        deploymentGroupName: 'DgpECS-shop-api',
        serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: [{ clusterName: 'shop', serviceName: 'api' }],
        autoRollbackConfiguration: autoRollback
          ? { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] }
          : { enabled: false },
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: 'blue' }, { name: 'green' }],
              prodTrafficRoute: { listenerArns: [`arn:aws:elasticloadbalancing:${REGION}:123456789012:listener/app/shop/1/2`] },
            },
          ],
        },
      }),
    );
    sim.clearCalls();
    return arn;
  }

  const deploy = (inputs: RunOptions['inputs'], extra: Partial<RunOptions> = {}) =>
    runAction({ action: 'ecs-deploy', env, timeoutMs: 30_000, ...extra, inputs: { cluster: 'shop', 'poll-interval': '100ms', ...inputs } });

  it('a CODE_DEPLOY service is deployed through CodeDeploy with a generated AppSpec', async () => {
    await service();
    const result = await deploy({ service: 'api', image });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const id = result.outputs['codedeploy-deployment-id'] ?? '';
    expect(id).toMatch(/^d-/);
    const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
    expect(info?.status).toBe('Succeeded');
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(result.outputs['task-definition-arn']);
    expect(sim.calls().some((c) => c.operation === 'UpdateService')).toBe(false);
    expect(result.stdout).toContain('api: lifecycle event AllowTraffic Succeeded');
  });

  it('a failing lifecycle hook: errorInformation and lifecycle events reported, CodeDeploy rolled back, red', async () => {
    const previous = await service();
    sim.setCodeDeployScenario('DgpECS-shop-api', { kind: 'failing' });
    const result = await deploy({ service: 'api', image, strategy: 'codedeploy' });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.errors.join('\n')).toContain('HOOK_EXECUTION_FAILURE');
    expect(result.stdout).toMatch(/api: lifecycle event AfterAllowTestTraffic Failed/);
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
  });

  it('cancel with on-cancel: rollback stops the deployment with auto-rollback', async () => {
    const previous = await service();
    sim.setCodeDeployScenario('DgpECS-shop-api', { kind: 'stuck' });
    const result = await deploy(
      { service: 'api', image, 'on-cancel': 'rollback' },
      { onStdout: (chunk, control) => (chunk.includes('InProgress') ? control.cancel() : undefined) },
    );
    expect(result.exitCode, explain(result)).toBe(1);
    const stop = sim.calls().filter((c) => c.operation === 'StopDeployment');
    expect(stop).toHaveLength(1);
    const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId: result.outputs['codedeploy-deployment-id'] ?? '' })))
      .deploymentInfo;
    expect(info?.status).toBe('Stopped');
    expect(info?.rollbackInfo?.rollbackDeploymentId).toBeDefined();
    expect(result.outputs.status).toBe('rolled-back');
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(previous);
  });

  // Issue 15 item 5: a CodeDeploy deployment that failed after the traffic shift, without auto-rollback, leaves the
  // service on the new task definition (the replacement task set serves; see "Redeployment and rollback" in
  // https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html). A re-run is not unchanged.
  it('a re-run after a CodeDeploy deployment failed without rollback: failed, naming the deployment, not unchanged', async () => {
    await service(false);
    sim.setCodeDeployScenario('DgpECS-shop-api', { kind: 'failing', lifecycleEvent: 'AfterAllowTraffic' });
    const first = await deploy({ service: 'api', image, rollback: 'none' });
    expect(first.outputs.status, explain(first)).toBe('failed');
    expect(await runningTaskDefinition(ecs, 'shop', 'api')).toBe(first.outputs['task-definition-arn']);
    sim.clearCalls();

    const rerun = await deploy({ service: 'api', image, rollback: 'none' });
    expect(rerun.exitCode, explain(rerun)).toBe(1);
    expect(rerun.outputs.status).toBe('failed');
    expect(rerun.stdout).not.toContain('Unchanged');
    expect(rerun.errors.join('\n')).toContain(
      `api: api:2 is the target of CodeDeploy deployment ${first.outputs['codedeploy-deployment-id']} (Failed: HOOK_EXECUTION_FAILURE`,
    );
    expect(sim.calls().filter((c) => ['CreateDeployment', 'StopDeployment', 'UpdateService'].includes(c.operation))).toEqual([]);
  });
});
