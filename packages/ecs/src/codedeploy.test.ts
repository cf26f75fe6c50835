import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { ConfigurationError, manualClock, memoryLogger } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { renderAppSpec } from './appspec.js';
import type { CodeDeployApi } from './clients.js';
import { codeDeployStrategy } from './codedeploy.js';
import { deploy } from './deploy.js';
import { deployRequest, FakeEcs, fakeLogs, fakeSsm } from './fake-ecs.js';
import type { DeployDeps } from './request.js';

const SERVICE = { serviceName: 'api', loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 8080 }] };

describe('AppSpec', () => {
  it('is generated from the load-balanced container and port, with its sha256', () => {
    const spec = renderAppSpec(SERVICE, 'arn:td:2');
    expect(JSON.parse(spec.content)).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: { TaskDefinition: 'arn:td:2', LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 } },
          },
        },
      ],
    });
    expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes a file, sets the new task definition and keeps its hooks', () => {
    const text = [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: <TASK_DEFINITION>',
      '        LoadBalancerInfo: { ContainerName: web, ContainerPort: 8080 }',
      'Hooks:',
      '  - AfterAllowTestTraffic: arn:aws:lambda:ap-northeast-2:123456789012:function:smoke',
    ].join('\n');
    const spec = JSON.parse(renderAppSpec(SERVICE, 'arn:td:3', { path: 'appspec.yml', text }).content);
    expect(spec.Resources[0].TargetService.Properties.TaskDefinition).toBe('arn:td:3');
    expect(spec.Hooks).toEqual([{ AfterAllowTestTraffic: 'arn:aws:lambda:ap-northeast-2:123456789012:function:smoke' }]);
  });

  it('explains a file it cannot use and a service without a load balancer', () => {
    expect(() => renderAppSpec(SERVICE, 'x', { path: 'a.yml', text: 'version: [' })).toThrow(
      /Input 'appspec': a.yml is not valid YAML or JSON/,
    );
    expect(() => renderAppSpec(SERVICE, 'x', { path: 'a.yml', text: 'version: 0.0' })).toThrow(ConfigurationError);
    expect(() => renderAppSpec({ serviceName: 'api' }, 'x')).toThrow(/has no load-balanced container/);
  });
});

/** CodeDeploy answers scripted per GetDeployment; StopDeployment starts a rollback deployment. */
function fakeCodeDeploy(script: DeploymentInfo[]) {
  const calls: string[] = [];
  const created: unknown[] = [];
  let look = 0;
  let stopped = false;
  const api: CodeDeployApi = {
    async createDeployment(input) {
      calls.push('CreateDeployment');
      created.push(input);
      return { deploymentId: 'd-1' };
    },
    async getDeployment({ deploymentId }) {
      calls.push(`GetDeployment ${deploymentId}`);
      if (deploymentId === 'd-rollback') return { deploymentInfo: { deploymentId, status: 'Succeeded' } };
      if (stopped) return { deploymentInfo: { deploymentId, status: 'Stopped', rollbackInfo: { rollbackDeploymentId: 'd-rollback' } } };
      const info = script[Math.min(look++, script.length - 1)] as DeploymentInfo;
      return { deploymentInfo: { deploymentId, ...info } };
    },
    async stopDeployment(input) {
      calls.push(`StopDeployment autoRollbackEnabled=${input.autoRollbackEnabled}`);
      stopped = true;
      return { status: 'Pending' };
    },
    async listDeploymentTargets() {
      return { targetIds: ['shop:api'] };
    },
    async listDeployments() {
      return { deployments: [] };
    },
    async getDeploymentTarget() {
      return {
        deploymentTarget: {
          ecsTarget: {
            lifecycleEvents: [
              { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
              { lifecycleEventName: 'AfterAllowTestTraffic', status: 'Failed', diagnostics: { message: 'smoke test returned 500' } },
            ],
          },
        },
      };
    },
  };
  return { api, calls, created };
}

function setup(script: DeploymentInfo[]) {
  const ecs = new FakeEcs();
  const arn = ecs.addTaskDefinition({ family: 'api', containerDefinitions: [{ name: 'web', image: 'repo/api:v1', essential: true }] });
  ecs.addService('api', arn);
  const service = ecs.services.get('api');
  if (service) {
    service.deploymentController = { type: 'CODE_DEPLOY' };
    service.loadBalancers = SERVICE.loadBalancers;
  }
  const codedeploy = fakeCodeDeploy(script);
  const logger = memoryLogger();
  const deps: DeployDeps = {
    ecs,
    ssm: fakeSsm([]),
    logs: fakeLogs([]),
    codedeploy: codedeploy.api,
    clock: manualClock(),
    logger,
    readFile: () => undefined,
  };
  return { ecs, deps, logger, codedeploy };
}

const request = deployRequest;

describe('CodeDeploy', () => {
  it('a CODE_DEPLOY service goes through CreateDeployment with the default names and succeeds', async () => {
    const { ecs, deps, codedeploy } = setup([{ status: 'InProgress' }, { status: 'Succeeded' }]);
    const result = await deploy(request({ strategy: { codedeploy: { config: 'CodeDeployDefault.ECSAllAtOnce' } } }), deps);
    expect(result.status).toBe('succeeded');
    expect(result.codeDeployDeploymentId).toBe('d-1');
    expect(codedeploy.created[0]).toMatchObject({
      applicationName: 'AppECS-shop-api',
      deploymentGroupName: 'DgpECS-shop-api',
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    });
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition']);
  });

  it('a failure CodeDeploy rolled back is rolled-back with errorInformation and the lifecycle events', async () => {
    const { deps, logger } = setup([
      { status: 'InProgress' },
      {
        status: 'Failed',
        errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'The deployment failed because a lifecycle hook failed.' },
        rollbackInfo: { rollbackDeploymentId: 'd-2' },
      },
    ]);
    const result = await deploy(request(), deps);
    expect(result.status).toBe('rolled-back');
    expect(result.error).toContain(
      'HEALTH_CONSTRAINTS: The deployment failed because a lifecycle hook failed. (CodeDeploy rolled back with d-2)',
    );
    expect(logger.text()).toContain('api: lifecycle event AfterAllowTestTraffic Failed: smoke test returned 500');
  });

  it('a timeout stops the deployment with auto-rollback and follows the rollback deployment', async () => {
    const { deps, codedeploy } = setup([{ status: 'InProgress' }]);
    const result = await deploy(request(), deps);
    expect(codedeploy.calls).toContain('StopDeployment autoRollbackEnabled=true');
    expect(codedeploy.calls).toContain('GetDeployment d-rollback');
    expect(result.status).toBe('rolled-back');
  });
});

describe('CodeDeploy standing (is a re-run unchanged?)', () => {
  const client = (lists: Record<string, string[]>, infos: Record<string, DeploymentInfo>): CodeDeployApi =>
    ({
      async listDeployments(input: { includeOnlyStatuses?: string[] }) {
        return { deployments: lists[input.includeOnlyStatuses ? 'active' : 'all'] ?? [] };
      },
      async getDeployment(input: { deploymentId?: string }) {
        return { deploymentInfo: infos[input.deploymentId ?? ''] ?? {} };
      },
    }) as unknown as CodeDeployApi;
  const service = { serviceName: 'api', taskDefinition: 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:2' };
  const standing = (api: CodeDeployApi) => codeDeployStrategy(api, {}).standing?.(new FakeEcs(), 'shop', service);

  it('follows the active deployment of the group; settled when the newest Succeeded; reports one that Failed', async () => {
    expect(await standing(client({ active: ['d-2'], all: ['d-2', 'd-1'] }, { 'd-2': { status: 'Ready' } }))).toEqual({
      kind: 'follow',
      deploymentId: 'd-2',
      state: 'api:2 is the target of CodeDeploy deployment d-2 (Ready), not finished',
    });
    expect(await standing(client({ all: ['d-2'] }, { 'd-2': { status: 'Succeeded' } }))).toEqual({ kind: 'settled' });
    expect(
      await standing(
        client({ all: ['d-2'] }, { 'd-2': { status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'x' } } }),
      ),
    ).toEqual({
      kind: 'unsettled',
      state:
        'api:2 is the target of CodeDeploy deployment d-2 (Failed: HEALTH_CONSTRAINTS: x), which did not succeed and was not rolled back',
    });
  });
});
