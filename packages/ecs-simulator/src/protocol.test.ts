import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ECS } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEcsSimulator } from './index.js';
import { ecsClient, logsClient } from './testing.js';
import type { EcsSimulator } from './types.js';

let sim: EcsSimulator;
let ecs: ECS;

beforeAll(async () => {
  sim = await startEcsSimulator({ tickMs: 50 });
  ecs = ecsClient(sim);
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

const container = { name: 'app', image: 'nginx:1.27', portMappings: [{ containerPort: 80 }] };

describe('AWS JSON 1.1 wire', () => {
  it('answers raw requests with the JSON 1.1 content type, epoch-second timestamps and __type errors', async () => {
    const post = (target: string, body: unknown) =>
      fetch(sim.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
        body: JSON.stringify(body),
      });
    const ok = await post('AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition', {
      family: 'web',
      containerDefinitions: [container],
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const { taskDefinition } = (await ok.json()) as { taskDefinition: { registeredAt: unknown } };
    expect(typeof taskDefinition.registeredAt).toBe('number');
    expect(Math.abs((taskDefinition.registeredAt as number) - Date.now() / 1000)).toBeLessThan(60);

    const missing = await post('AmazonEC2ContainerServiceV20141113.DescribeServices', { cluster: 'nope', services: ['api'] });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ __type: 'ClusterNotFoundException', message: 'Cluster not found.' });

    const unknown = await post('AmazonEC2ContainerServiceV20141113.Nope', {});
    expect(((await unknown.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('retries a throttle and a 5xx burst through the SDK and succeeds with maxAttempts 3', async () => {
    const retrying = ecsClient(sim, 3);
    sim.injectFaults({ throttle: 1, serverError: 1, operations: ['ListClusters'] });
    await ecs.createCluster({ clusterName: 'shop' });
    const { clusterArns } = await retrying.listClusters({});
    expect(clusterArns).toEqual(['arn:aws:ecs:ap-northeast-2:123456789012:cluster/shop']);
    expect(sim.calls().map((c) => c.operation)).toEqual(['CreateCluster', 'ListClusters', 'ListClusters', 'ListClusters']);
    expect(sim.calls().every((c) => c.service === 'ecs' && typeof c.at === 'number')).toBe(true);
  });

  it('answers ThrottlingException (400) and ServerException (500) as the SDK expects', async () => {
    sim.injectFaults({ throttle: 1, serverError: 1 });
    await expect(ecs.listClusters({})).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ecs.listClusters({})).rejects.toMatchObject({ name: 'ServerException', $metadata: { httpStatusCode: 500 } });
    await expect(ecs.listClusters({})).resolves.toMatchObject({ clusterArns: [] });
    sim.clearCalls();
    expect(sim.calls()).toEqual([]);
  });
});

describe('task definitions', () => {
  it('registers revisions per family with the fields ECS fills in, and describes by family, family:rev and ARN', async () => {
    const first = await ecs.registerTaskDefinition({
      family: 'web',
      containerDefinitions: [container],
      tags: [{ key: 'team', value: 'shop' }],
    });
    const second = await ecs.registerTaskDefinition({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      containerDefinitions: [
        {
          ...container,
          secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:ap-northeast-2:123456789012:parameter/shop/db' }],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
        },
      ],
    });
    expect(first.taskDefinition?.taskDefinitionArn).toBe('arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:1');
    const td = second.taskDefinition;
    expect(td).toMatchObject({ family: 'web', revision: 2, status: 'ACTIVE', compatibilities: ['EC2', 'FARGATE'] });
    expect(td?.registeredBy).toBe('arn:aws:sts::123456789012:assumed-role/deploy/ci');
    expect(td?.registeredAt).toBeInstanceOf(Date);
    expect(td?.requiresAttributes?.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        'ecs.capability.task-eni',
        'ecs.capability.execution-role-awslogs',
        'ecs.capability.secrets.ssm.environment-variables',
      ]),
    );
    expect(td?.containerDefinitions?.[0]).toMatchObject({
      cpu: 0,
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
    });

    expect((await ecs.describeTaskDefinition({ taskDefinition: 'web' })).taskDefinition?.revision).toBe(2);
    expect((await ecs.describeTaskDefinition({ taskDefinition: 'web:1' })).taskDefinition?.revision).toBe(1);
    const byArn = await ecs.describeTaskDefinition({ taskDefinition: first.taskDefinition?.taskDefinitionArn, include: ['TAGS'] });
    expect(byArn.tags).toEqual([{ key: 'team', value: 'shop' }]);
    await expect(ecs.describeTaskDefinition({ taskDefinition: 'web:9' })).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    });

    await ecs.deregisterTaskDefinition({ taskDefinition: 'web:2' });
    expect((await ecs.describeTaskDefinition({ taskDefinition: 'web' })).taskDefinition?.revision).toBe(1);
    expect((await ecs.describeTaskDefinition({ taskDefinition: 'web:2' })).taskDefinition?.status).toBe('INACTIVE');
    expect((await ecs.listTaskDefinitions({ familyPrefix: 'web' })).taskDefinitionArns).toEqual([first.taskDefinition?.taskDefinitionArn]);
    expect((await ecs.listTaskDefinitionFamilies({ status: 'ACTIVE' })).families).toEqual(['web']);
  });

  it('pages lists with nextToken', async () => {
    for (let i = 0; i < 3; i++) await ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [container] });
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ecs.listTaskDefinitions({ familyPrefix: 'web', maxResults: 2, nextToken, sort: 'DESC' });
      seen.push(...(page.taskDefinitionArns ?? []));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(2);
    expect(seen.map((arn) => arn.split(':').pop())).toEqual(['3', '2', '1']);
  });

  it('rejects bad input with ClientException and denied roles with AccessDeniedException for iam:PassRole', async () => {
    await expect(ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [] })).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Container list cannot be empty.',
    });
    await expect(ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'app' }] })).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Container.image should not be null or empty.',
    });
    await expect(ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [{ image: 'x' }] })).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Container.name should not be null or empty.',
    });
    const role = 'arn:aws:iam::123456789012:role/app';
    sim.denyPassRole(role);
    await expect(ecs.registerTaskDefinition({ family: 'web', taskRoleArn: role, containerDefinitions: [container] })).rejects.toMatchObject(
      {
        name: 'AccessDeniedException',
        message: `User: arn:aws:sts::123456789012:assumed-role/deploy/ci is not authorized to perform: iam:PassRole on resource: ${role}`,
      },
    );
    await ecs.createCluster({ clusterName: 'shop' });
    await ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [container] });
    await expect(
      ecs.runTask({ cluster: 'shop', taskDefinition: 'web', overrides: { taskRoleArn: role, containerOverrides: [] } }),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('clusters and services', () => {
  it('describes missing clusters and services as failures with reason MISSING', async () => {
    await ecs.createCluster({ clusterName: 'shop' });
    await ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [container] });
    await ecs.createService({ cluster: 'shop', serviceName: 'web', taskDefinition: 'web', desiredCount: 0 });
    const clusters = await ecs.describeClusters({ clusters: ['shop', 'gone'] });
    expect(clusters.clusters?.map((c) => [c.clusterName, c.status, c.activeServicesCount])).toEqual([['shop', 'ACTIVE', 1]]);
    expect(clusters.failures).toEqual([{ arn: 'arn:aws:ecs:ap-northeast-2:123456789012:cluster/gone', reason: 'MISSING' }]);
    const services = await ecs.describeServices({ cluster: 'shop', services: ['web', 'api'] });
    expect(services.services?.map((s) => s.serviceName)).toEqual(['web']);
    expect(services.failures).toEqual([{ arn: 'arn:aws:ecs:ap-northeast-2:123456789012:service/shop/api', reason: 'MISSING' }]);
    expect((await ecs.listServices({ cluster: 'shop' })).serviceArns).toEqual(['arn:aws:ecs:ap-northeast-2:123456789012:service/shop/web']);
  });

  it('validates services like ECS: unknown cluster, service, task definition, inactive service, awsvpc, CODE_DEPLOY', async () => {
    await ecs.createCluster({ clusterName: 'shop' });
    await ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [container] });
    await ecs.registerTaskDefinition({ family: 'vpc', networkMode: 'awsvpc', containerDefinitions: [container] });
    await expect(ecs.updateService({ cluster: 'nope', service: 'web' })).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(ecs.updateService({ cluster: 'shop', service: 'web' })).rejects.toMatchObject({
      name: 'ServiceNotFoundException',
      message: 'Service not found.',
    });
    await expect(ecs.createService({ cluster: 'shop', serviceName: 'web', taskDefinition: 'nope' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Unable to describe task definition.',
    });
    await expect(ecs.createService({ cluster: 'shop', serviceName: 'vpc', taskDefinition: 'vpc' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    await ecs.createService({ cluster: 'shop', serviceName: 'web', taskDefinition: 'web', desiredCount: 1 });
    await expect(ecs.deleteService({ cluster: 'shop', service: 'web' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const { service: deleted } = await ecs.deleteService({ cluster: 'shop', service: 'web', force: true });
    expect(deleted?.status).toBe('DRAINING');
    await expect(ecs.updateService({ cluster: 'shop', service: 'web', desiredCount: 2 })).rejects.toMatchObject({
      name: 'ServiceNotActiveException',
    });
    await ecs.createService({
      cluster: 'shop',
      serviceName: 'blue',
      taskDefinition: 'web',
      deploymentController: { type: 'CODE_DEPLOY' },
    });
    await expect(ecs.updateService({ cluster: 'shop', service: 'blue', taskDefinition: 'web:1' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('CODE_DEPLOY'),
    });
  });

  it('tags resources and lists them back', async () => {
    const { cluster } = await ecs.createCluster({ clusterName: 'shop' });
    await ecs.tagResource({ resourceArn: cluster?.clusterArn, tags: [{ key: 'env', value: 'prod' }] });
    expect((await ecs.listTagsForResource({ resourceArn: cluster?.clusterArn })).tags).toEqual([{ key: 'env', value: 'prod' }]);
  });
});

describe('CloudWatch Logs', () => {
  it('creates groups and streams, stores events and returns the last N in order', async () => {
    const logs = logsClient(sim);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/web' }));
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/web' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/web', logStreamName: 'ecs/app/1' }));
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 'ecs/app/1',
        logEvents: ['a', 'b', 'c'].map((message, i) => ({ message, timestamp: now + i })),
      }),
    );
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'ecs/app/1', limit: 2 }));
    expect(tail.events?.map((e) => e.message)).toEqual(['b', 'c']);
    expect(tail.events?.[0]?.timestamp).toBe(now + 1);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/web' }));
    expect(logStreams?.map((s) => s.logStreamName)).toEqual(['ecs/app/1']);
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/none', logStreamName: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(sim.calls().every((c) => c.service === 'logs')).toBe(true);
  });
});

// AWS endpoints are regional: a request signed for a region sees only that region's resources, and ARNs
// carry the region (https://docs.aws.amazon.com/general/latest/gr/rande.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
describe('regions', () => {
  it('keeps each region apart: a request signed for another region does not see this one, ARNs name their region', async () => {
    const tokyo = new ECS({
      endpoint: sim.endpoint,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await ecs.createCluster({ clusterName: 'shop' });
    await ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [container] });
    await expect(tokyo.describeServices({ cluster: 'shop', services: ['api'] })).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
    expect((await tokyo.listClusters({})).clusterArns).toEqual([]);
    await expect(tokyo.describeTaskDefinition({ taskDefinition: 'web:1' })).rejects.toThrow();

    const created = await tokyo.createCluster({ clusterName: 'shop' });
    expect(created.cluster?.clusterArn).toBe('arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop');
    expect((await ecs.listClusters({})).clusterArns).toEqual(['arn:aws:ecs:ap-northeast-2:123456789012:cluster/shop']);
    // An ARN of another region names nothing here.
    await expect(
      ecs.describeServices({ cluster: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop', services: ['api'] }),
    ).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(
      tokyo.describeTaskDefinition({ taskDefinition: 'arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:1' }),
    ).rejects.toThrow();
  });
});
