import { createHash } from 'node:crypto';
import { CodeDeploy, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { ECS } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEcsSimulator } from './index.js';
import { ecsClient, waitUntil } from './testing.js';
import type { EcsSimulator } from './types.js';

let sim: EcsSimulator;
let ecs: ECS;
let codedeploy: CodeDeploy;

beforeAll(async () => {
  sim = await startEcsSimulator({ tickMs: 20 });
  ecs = ecsClient(sim);
  codedeploy = new CodeDeploy({
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

const TG = 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/api-blue/0123456789abcdef';
const LISTENER = 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/shop/1/2';

async function register(image: string): Promise<string> {
  const { taskDefinition } = await ecs.registerTaskDefinition({
    family: 'api',
    containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: 8080 }] }],
  });
  return taskDefinition?.taskDefinitionArn ?? '';
}

/** A CODE_DEPLOY service on revision 1, its application and deployment group; revision 2 registered. */
async function setUp(autoRollback = true) {
  await ecs.createCluster({ clusterName: 'shop' });
  const first = await register('api:1');
  await ecs.createService({
    cluster: 'shop',
    serviceName: 'api',
    taskDefinition: first,
    desiredCount: 1,
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
  });
  await codedeploy.createApplication({ applicationName: 'AppECS-shop-api', computePlatform: 'ECS' });
  await codedeploy.createDeploymentGroup({
    applicationName: 'AppECS-shop-api',
    deploymentGroupName: 'DgpECS-shop-api',
    serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy',
    deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    ecsServices: [{ clusterName: 'shop', serviceName: 'api' }],
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        { targetGroups: [{ name: 'api-blue' }, { name: 'api-green' }], prodTrafficRoute: { listenerArns: [LISTENER] } },
      ],
    },
    autoRollbackConfiguration: autoRollback ? { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] } : undefined,
  });
  return { first, second: await register('api:2') };
}

function appSpec(taskDefinition: string): { content: string; sha256: string } {
  const content = [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    `        TaskDefinition: "${taskDefinition}"`,
    '        LoadBalancerInfo:',
    '          ContainerName: "app"',
    '          ContainerPort: 8080',
    'Hooks:',
    '  - AfterAllowTestTraffic: "arn:aws:lambda:ap-northeast-2:123456789012:function:smoke"',
  ].join('\n');
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}

async function deploy(taskDefinition: string): Promise<string> {
  const { deploymentId } = await codedeploy.createDeployment({
    applicationName: 'AppECS-shop-api',
    deploymentGroupName: 'DgpECS-shop-api',
    revision: { revisionType: 'AppSpecContent', appSpecContent: appSpec(taskDefinition) },
  });
  return deploymentId ?? '';
}

const info = async (id: string): Promise<DeploymentInfo> => (await codedeploy.getDeployment({ deploymentId: id })).deploymentInfo ?? {};
const finished = (id: string) =>
  waitUntil(
    () => info(id),
    (d) => ['Succeeded', 'Failed', 'Stopped'].includes(d.status ?? ''),
  );

async function events(id: string) {
  const { targetIds } = await codedeploy.listDeploymentTargets({ deploymentId: id });
  expect(targetIds).toEqual(['shop:api']);
  const { deploymentTarget } = await codedeploy.getDeploymentTarget({ deploymentId: id, targetId: 'shop:api' });
  return deploymentTarget?.ecsTarget?.lifecycleEvents?.map((e) => `${e.lifecycleEventName}:${e.status}`) ?? [];
}

async function serviceTaskDefinition(): Promise<string | undefined> {
  const { services } = await ecs.describeServices({ cluster: 'shop', services: ['api'] });
  return services?.[0]?.taskDefinition;
}

describe('CodeDeploy (ECS blue/green)', () => {
  it('a healthy deployment succeeds, every lifecycle event in order, and the service runs the new task definition', async () => {
    const { second } = await setUp();
    const id = await deploy(second);
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'Succeeded', computePlatform: 'ECS', applicationName: 'AppECS-shop-api' });
    expect(done.createTime).toBeInstanceOf(Date);
    expect(done.completeTime).toBeInstanceOf(Date);
    expect(done.deploymentOverview).toMatchObject({ Succeeded: 1, Failed: 0 });
    expect(await events(id)).toEqual([
      'BeforeInstall:Skipped',
      'Install:Succeeded',
      'AfterInstall:Skipped',
      'AllowTestTraffic:Succeeded',
      'AfterAllowTestTraffic:Succeeded',
      'BeforeAllowTraffic:Skipped',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Skipped',
    ]);
    const { deploymentTargets } = await codedeploy.batchGetDeploymentTargets({ deploymentId: id, targetIds: ['shop:api'] });
    expect(deploymentTargets?.[0]?.ecsTarget).toMatchObject({ status: 'Succeeded', lastUpdatedAt: expect.any(Date) });
    expect(await serviceTaskDefinition()).toBe(second);
    const { application } = await codedeploy.getApplication({ applicationName: 'AppECS-shop-api' });
    expect(application?.createTime).toBeInstanceOf(Date);
    const { deploymentGroupInfo } = await codedeploy.getDeploymentGroup({
      applicationName: 'AppECS-shop-api',
      deploymentGroupName: 'DgpECS-shop-api',
    });
    expect(deploymentGroupInfo?.ecsServices).toEqual([{ clusterName: 'shop', serviceName: 'api' }]);
  });

  it('a failing AfterAllowTestTraffic hook fails the deployment with errorInformation and rolls back', async () => {
    const { first, second } = await setUp();
    sim.setCodeDeployScenario('DgpECS-shop-api', { kind: 'failing' });
    const id = await deploy(second);
    const done = await finished(id);
    expect(done.status).toBe('Failed');
    expect(done.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
    expect(done.errorInformation?.message).toContain('function:smoke');
    expect(done.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
    expect((await events(id)).slice(3, 6)).toEqual([
      'AllowTestTraffic:Succeeded',
      'AfterAllowTestTraffic:Failed',
      'BeforeAllowTraffic:Skipped',
    ]);
    const rollback = await info(done.rollbackInfo?.rollbackDeploymentId ?? '');
    expect(rollback).toMatchObject({ status: 'Succeeded', rollbackInfo: { rollbackTriggeringDeploymentId: id } });
    expect(await serviceTaskDefinition()).toBe(first);
  });

  it('a failure after AllowTraffic rolls the service back to the original task definition', async () => {
    const { first, second } = await setUp();
    sim.setCodeDeployScenario('DgpECS-shop-api', { kind: 'failing', lifecycleEvent: 'AfterAllowTraffic' });
    const done = await finished(await deploy(second));
    expect(done.status).toBe('Failed');
    expect(await serviceTaskDefinition()).toBe(first);
  });

  it('StopDeployment with autoRollbackEnabled stops a stuck deployment and rolls back; a second stop is refused', async () => {
    const { first, second } = await setUp(false);
    sim.setCodeDeployScenario('DgpECS-shop-api', { kind: 'stuck' });
    const id = await deploy(second);
    await waitUntil(
      () => events(id),
      (e) => e.includes('Install:InProgress'),
    );
    await expect(deploy(second)).rejects.toMatchObject({ name: 'DeploymentLimitExceededException' });
    await codedeploy.stopDeployment({ deploymentId: id, autoRollbackEnabled: true });
    const done = await info(id);
    expect(done).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    expect(done.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
    expect(await serviceTaskDefinition()).toBe(first);
    await expect(codedeploy.stopDeployment({ deploymentId: id })).rejects.toMatchObject({ name: 'DeploymentAlreadyCompletedException' });
  });

  it('refuses a task definition update on a CODE_DEPLOY service, and bad AppSpecs', async () => {
    const { second } = await setUp();
    await expect(ecs.updateService({ cluster: 'shop', service: 'api', taskDefinition: second })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    });
    await expect(
      codedeploy.createDeployment({
        applicationName: 'AppECS-shop-api',
        deploymentGroupName: 'DgpECS-shop-api',
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: 'version: 0.0\nResources: []' } },
      }),
    ).rejects.toMatchObject({ name: 'InvalidRevisionException' });
    await expect(codedeploy.getDeployment({ deploymentId: 'd-AAAAAAAAA' })).rejects.toMatchObject({
      name: 'DeploymentDoesNotExistException',
    });
    await expect(codedeploy.getDeploymentGroup({ applicationName: 'AppECS-shop-api', deploymentGroupName: 'nope' })).rejects.toMatchObject({
      name: 'DeploymentGroupDoesNotExistException',
    });
  });
});
