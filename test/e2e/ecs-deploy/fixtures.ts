import {
  CreateClusterCommand,
  CreateServiceCommand,
  type DeploymentConfiguration,
  type DeploymentController,
  DescribeServicesCommand,
  ECSClient,
  type LoadBalancer,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';

export const REGION = 'ap-northeast-2';
export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

export function ecsClient(endpoint: string): ECSClient {
  return new ECSClient({ region: REGION, endpoint, credentials, maxAttempts: 1 });
}

export interface ServiceSetup {
  cluster: string;
  service: string;
  family: string;
  containers?: string[];
  desiredCount?: number;
  circuitBreaker?: boolean;
  logs?: boolean;
  /** awsvpc network configuration on the service (moto checks subnets exist, so it is off there). */
  network?: boolean;
  loadBalancers?: LoadBalancer[];
  deploymentController?: DeploymentController;
  /** Merged with the circuit breaker setting. */
  deploymentConfiguration?: DeploymentConfiguration;
}

/** A cluster, a task definition (one or more containers) and a service running it, as a user would have them. */
export async function createService(ecs: ECSClient, setup: ServiceSetup): Promise<string> {
  await ecs.send(new CreateClusterCommand({ clusterName: setup.cluster }));
  const containers = setup.containers ?? [setup.family];
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: setup.family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: containers.map((name, i) => ({
        name,
        image: `123456789012.dkr.ecr.${REGION}.amazonaws.com/${name}:v1`,
        essential: i === 0,
        portMappings: i === 0 ? [{ containerPort: 8080 }] : [],
        environment: [{ name: 'LOG_LEVEL', value: 'info' }],
        ...(setup.logs
          ? {
              logConfiguration: {
                logDriver: 'awslogs',
                options: { 'awslogs-group': `/ecs/${setup.family}`, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
              },
            }
          : {}),
      })),
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: setup.cluster,
      serviceName: setup.service,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      desiredCount: setup.desiredCount ?? 2,
      launchType: 'FARGATE',
      ...(setup.network === false
        ? {}
        : {
            networkConfiguration: {
              awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'], assignPublicIp: 'DISABLED' },
            },
          }),
      ...(setup.loadBalancers ? { loadBalancers: setup.loadBalancers } : {}),
      ...(setup.deploymentController ? { deploymentController: setup.deploymentController } : {}),
      ...(setup.circuitBreaker || setup.deploymentConfiguration
        ? {
            deploymentConfiguration: {
              ...setup.deploymentConfiguration,
              ...(setup.circuitBreaker ? { deploymentCircuitBreaker: { enable: true, rollback: true } } : {}),
            },
          }
        : {}),
    }),
  );
  return registered.taskDefinition?.taskDefinitionArn ?? '';
}

/** Wait (real time) until the service's only deployment is COMPLETED: the state a deploy starts from. */
export async function waitSteady(ecs: ECSClient, cluster: string, service: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
    const deployments = described.services?.[0]?.deployments ?? [];
    if (deployments.length === 1 && deployments[0]?.rolloutState === 'COMPLETED') return;
    if (Date.now() > deadline) throw new Error(`service ${service} not steady after ${limitMs} ms: ${JSON.stringify(deployments)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The task definition a service runs now. */
export async function runningTaskDefinition(ecs: ECSClient, cluster: string, service: string): Promise<string | undefined> {
  const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return described.services?.[0]?.taskDefinition;
}

/** Operations that change something in ECS. */
export const WRITES = ['RegisterTaskDefinition', 'UpdateService', 'RunTask', 'CreateService', 'DeregisterTaskDefinition', 'StopTask'];
