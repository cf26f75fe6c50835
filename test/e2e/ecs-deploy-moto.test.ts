import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, runAction } from '../harness/run-action.js';
import { awsEnv, type Moto, startMoto } from '../stack/index.js';
import { createService, credentials, DIGEST, ecsClient, REGION } from './ecs-deploy/fixtures.js';

// moto registers task definitions and updates services but never progresses a
// deployment, so these tests use wait: false; waiting is proven on the simulator.
describe('ecs-deploy against moto (a third-party ECS emulator)', () => {
  let moto: Moto;
  let ecs: ECSClient;
  let env: Record<string, string>;
  const secretValue = 'pa55-w0rd-never-in-logs';

  beforeAll(async () => {
    moto = await startMoto();
    ecs = ecsClient(moto.endpoint);
    env = awsEnv({ all: moto.endpoint }, REGION);
    await createService(ecs, { cluster: 'shop', service: 'api', family: 'api', network: false });
    const ssm = new SSMClient({ region: REGION, endpoint: moto.endpoint, credentials });
    await ssm.send(new PutParameterCommand({ Name: '/shop/prod/db/password', Value: secretValue, Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/shop/prod/stripe-key', Value: 'sk_live_x', Type: 'SecureString' }));
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('registers a new revision with the image, environment and SSM secrets, and updates the service (wait: false)', async () => {
    const image = `123456789012.dkr.ecr.${REGION}.amazonaws.com/api@${DIGEST}`;
    const result = await runAction({
      action: 'ecs-deploy',
      env,
      inputs: {
        cluster: 'shop',
        service: 'api',
        image,
        environment: 'LOG_LEVEL=debug\nFEATURE_X=on',
        'ssm-secrets-path': '/shop/prod',
        wait: false,
      },
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('started');
    expect(result.outputs['task-definition-arn']).toMatch(/task-definition\/api:2$/);
    expect(result.outputs['previous-task-definition-arn']).toMatch(/task-definition\/api:1$/);

    const registered = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api:2' }));
    const container = registered.taskDefinition?.containerDefinitions?.[0];
    expect(container?.image).toBe(image);
    expect(container?.environment).toEqual(
      expect.arrayContaining([
        { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'FEATURE_X', value: 'on' },
      ]),
    );
    expect(container?.secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: expect.stringMatching(/^arn:aws:ssm:ap-northeast-2:\d{12}:parameter\/shop\/prod\/db\/password$/) },
      { name: 'STRIPE_KEY', valueFrom: expect.stringMatching(/parameter\/shop\/prod\/stripe-key$/) },
    ]);
    // The rest of the task definition is carried over from the running revision.
    expect(registered.taskDefinition?.cpu).toBe('256');
    expect(registered.taskDefinition?.executionRoleArn).toBe('arn:aws:iam::123456789012:role/ecsTaskExecutionRole');

    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['api'] }))).services?.[0];
    expect(service?.taskDefinition).toBe(result.outputs['task-definition-arn']);
    expect(result.visibleLog).toContain('~ containerDefinitions[api].environment.LOG_LEVEL: "info" -> "debug"');
    expect(result.visibleLog).not.toContain(secretValue);
    expect(result.visibleLog).not.toContain('sk_live_x');
    const services = JSON.parse(result.outputs.services ?? '[]');
    expect(services).toEqual([
      expect.objectContaining({ service: 'api', status: 'started', deploymentId: result.outputs['deployment-id'] }),
    ]);
  });

  it('registers nothing when the rendered task definition equals the running one (as moto describes it)', async () => {
    await createService(ecs, { cluster: 'shop', service: 'cache', family: 'cache', network: false });
    const inputs = {
      cluster: 'shop',
      service: 'cache',
      image: `123456789012.dkr.ecr.${REGION}.amazonaws.com/cache@${DIGEST}`,
      environment: 'LOG_LEVEL=debug\nFEATURE_X=on',
      'ssm-secrets-path': '/shop/prod',
      wait: false,
    };
    const first = await runAction({ action: 'ecs-deploy', env, inputs });
    expect(first.outputs.status, explain(first)).toBe('started');
    const again = await runAction({ action: 'ecs-deploy', env, inputs });
    expect(again.exitCode, explain(again)).toBe(0);
    // moto never progresses a rollout (rolloutState stays IN_PROGRESS, 0 running), so the revision is not the
    // service's settled deployment: the re-run follows it (wait: false) instead of calling it unchanged.
    expect(again.outputs.status, explain(again)).toBe('started');
    expect(again.stdout).toMatch(/cache: cache:\d is the PRIMARY deployment \(ecs-svc\/\d+\) but not settled: rollout IN_PROGRESS/);
    expect(again.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(again.stdout).toContain('Task definition: no changes against');
    await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'cache:3' }))).rejects.toThrow();
  });

  it('registers a task definition file written from describe-task-definition output without a service', async () => {
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api:1' }));
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const workspace = mkdtempSync(join(tmpdir(), 'ecs-deploy-ws-'));
    const td = { ...described.taskDefinition, family: 'worker' };
    writeFileSync(join(workspace, 'task-definition.json'), JSON.stringify({ taskDefinition: td }, null, 2));
    const result = await runAction({
      action: 'ecs-deploy',
      env,
      workspace,
      inputs: { cluster: 'shop', 'task-definition': 'task-definition.json', images: `api=nginx:1.27` },
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.outputs['task-definition-arn']).toMatch(/task-definition\/worker:1$/);
    const registered = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'worker:1' }));
    expect(registered.taskDefinition?.containerDefinitions?.[0]?.image).toBe('nginx:1.27');
  });

  it('deploys an existing revision (family:revision) as is: no copy registered', async () => {
    const first = await createService(ecs, { cluster: 'shop', service: 'web', family: 'web', network: false });
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: first }));
    const { family, containerDefinitions, cpu, memory, networkMode, requiresCompatibilities } = described.taskDefinition ?? {};
    const second = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions,
        cpu,
        memory,
        networkMode,
        requiresCompatibilities,
        pidMode: 'task',
      }),
    );
    await ecs.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', taskDefinition: second.taskDefinition?.taskDefinitionArn }));

    const result = await runAction({
      action: 'ecs-deploy',
      env,
      inputs: { cluster: 'shop', service: 'web', 'task-definition': 'web:1', wait: false },
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('started');
    expect(result.outputs['task-definition-arn']).toBe(first);
    expect(result.outputs['previous-task-definition-arn']).toMatch(/task-definition\/web:2$/);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['web'] }))).services?.[0];
    expect(service?.taskDefinition).toBe(first);
    await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:3' }))).rejects.toThrow();
  });
});
