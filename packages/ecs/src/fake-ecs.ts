// Test support (not exported): a small in-memory ECS with scripted rollouts, for unit tests.
import type { Deployment, DeploymentConfiguration, Service, ServiceDeployment, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { EcsApi, LogsApi, SsmApi } from './clients.js';
import type { DeployRequest } from './request.js';

export type FakeRollout = 'healthy' | 'circuit-breaker' | 'stuck';
/** How a native (blue/green, linear, canary) service deployment goes: `fails` ends in ECS's own rollback. */
export type FakeNativeRollout = 'healthy' | 'fails' | 'stuck';

interface NativeState {
  steps: ServiceDeployment[];
  index: number;
}

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-2';

/**
 * Deployments advance one step per DescribeServices: `healthy` completes after
 * `steps` looks, `circuit-breaker` fails and rolls back, `stuck` never moves.
 */
export class FakeEcs implements EcsApi {
  readonly calls: string[] = [];
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  readonly services = new Map<string, Service>();
  rollout: Record<string, FakeRollout> = {};
  steps = 3;
  runTaskExit = 0;
  denyPassRole?: string;
  /** Answer this many DescribeServices calls (after the first) with a 500, as after exhausted SDK retries. */
  failingLooks = 0;
  private looks = new Map<string, number>();
  private nextDeployment = 1;
  private tasks = new Map<string, Task>();
  /** One-off tasks that still show RUNNING on the next DescribeTasks. */
  private running = new Set<string>();

  nativeRollout: FakeNativeRollout = 'healthy';
  readonly native = new Map<string, NativeState>();
  /** Every UpdateService deploymentConfiguration, in order. */
  readonly configurations: DeploymentConfiguration[] = [];

  constructor(readonly cluster = 'shop') {}

  addTaskDefinition(definition: Omit<TaskDefinition, 'taskDefinitionArn' | 'revision'>): string {
    const revision = [...this.taskDefinitions.values()].filter((t) => t.family === definition.family).length + 1;
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${definition.family}:${revision}`;
    this.taskDefinitions.set(arn, { ...structuredClone(definition), taskDefinitionArn: arn, revision, status: 'ACTIVE' });
    return arn;
  }

  addService(name: string, taskDefinition: string, desiredCount = 2, circuitBreaker = false): void {
    this.services.set(name, {
      serviceName: name,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${this.cluster}/${name}`,
      status: 'ACTIVE',
      taskDefinition,
      desiredCount,
      runningCount: desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: circuitBreaker, rollback: circuitBreaker } },
      deployments: [this.deployment(taskDefinition, desiredCount, 'PRIMARY', 'COMPLETED', desiredCount)],
      events: [{ id: 'old-event', message: `(service ${name}) has reached a steady state.`, createdAt: new Date(0) }],
    });
  }

  private deployment(taskDefinition: string, desired: number, status: string, rolloutState: string, running = 0): Deployment {
    return {
      id: `ecs-svc/${this.nextDeployment++}`,
      status,
      taskDefinition,
      desiredCount: desired,
      runningCount: running,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: rolloutState as Deployment['rolloutState'],
    };
  }

  private find(name: string | undefined): Service {
    const service = this.services.get(name ?? '');
    if (!service) throw Object.assign(new Error('Service not found.'), { name: 'ServiceNotFoundException' });
    return service;
  }

  async describeClusters(input: { clusters?: string[] }) {
    this.calls.push('DescribeClusters');
    return input.clusters?.includes(this.cluster)
      ? { clusters: [{ clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${this.cluster}`, status: 'ACTIVE' }] }
      : { clusters: [], failures: [{ reason: 'MISSING' }] };
  }

  async listClusters() {
    this.calls.push('ListClusters');
    return { clusterArns: [`arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${this.cluster}`] };
  }

  async listServices() {
    this.calls.push('ListServices');
    return { serviceArns: [...this.services.values()].map((s) => s.serviceArn ?? '') };
  }

  async describeServices(input: { services?: string[] }) {
    this.calls.push('DescribeServices');
    if (this.calls.filter((c) => c === 'DescribeServices').length > 1 && this.failingLooks > 0) {
      this.failingLooks--;
      throw Object.assign(new Error('Internal error'), { name: 'ServerException', $metadata: { httpStatusCode: 500 } });
    }
    const services: Service[] = [];
    for (const name of input.services ?? []) {
      const service = this.services.get(name);
      if (!service) continue;
      this.advance(service);
      services.push(structuredClone(service));
    }
    return { services };
  }

  private advance(service: Service): void {
    const deployments = service.deployments ?? [];
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    if (!primary) return;
    if (primary.rolloutState !== 'IN_PROGRESS') return;
    const looks = (this.looks.get(primary.id ?? '') ?? 0) + 1;
    this.looks.set(primary.id ?? '', looks);
    const behaviour =
      primary.taskDefinition === this.rollbackTarget(service) ? 'healthy' : (this.rollout[service.serviceName ?? ''] ?? 'healthy');
    const event = (message: string) => service.events?.unshift({ id: `e${Math.random()}`, message, createdAt: new Date() });
    if (behaviour === 'healthy') {
      primary.runningCount = Math.min(primary.desiredCount ?? 0, looks);
      for (const other of deployments) if (other !== primary) other.runningCount = Math.max(0, (other.runningCount ?? 0) - 1);
      event(`(service ${service.serviceName}) has started 1 tasks.`);
      if (looks >= this.steps) {
        primary.runningCount = primary.desiredCount;
        primary.rolloutState = 'COMPLETED';
        service.deployments = [primary];
        service.taskDefinition = primary.taskDefinition;
        event(`(service ${service.serviceName}) has reached a steady state.`);
      }
    } else if (behaviour === 'circuit-breaker' && looks >= this.steps) {
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      primary.status = 'ACTIVE';
      primary.failedTasks = 3;
      const previous = deployments.find((d) => d !== primary);
      const back = this.deployment(
        previous?.taskDefinition ?? '',
        primary.desiredCount ?? 0,
        'PRIMARY',
        'IN_PROGRESS',
        previous?.runningCount ?? 0,
      );
      service.deployments = [back, primary];
      (service as Service & { rollbackTo?: string }).rollbackTo = back.taskDefinition;
      this.stoppedTask(primary.id ?? '', primary.taskDefinition ?? '', 1, 'Essential container in task exited');
      event(`(service ${service.serviceName}) deployment ${primary.id} deployment failed: tasks failed to start.`);
    }
  }

  private rollbackTarget(service: Service): string | undefined {
    return (service as Service & { rollbackTo?: string }).rollbackTo;
  }

  private stoppedTask(startedBy: string, taskDefinitionArn: string, exitCode: number | undefined, reason: string): Task {
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${this.cluster}/task${this.tasks.size + 1}`;
    const task: Task = {
      taskArn: arn,
      startedBy,
      taskDefinitionArn,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stoppedReason: reason,
      stopCode: 'EssentialContainerExited',
      containers: [
        {
          name: this.taskDefinitions.get(taskDefinitionArn)?.containerDefinitions?.[0]?.name ?? 'app',
          ...(exitCode === undefined ? {} : { exitCode }),
        },
      ],
    };
    this.tasks.set(arn, task);
    return task;
  }

  async describeTaskDefinition(input: { taskDefinition?: string }) {
    this.calls.push('DescribeTaskDefinition');
    const ref = input.taskDefinition ?? '';
    const found =
      this.taskDefinitions.get(ref) ??
      [...this.taskDefinitions.values()].filter((t) => t.taskDefinitionArn?.endsWith(`/${ref}`) || t.family === ref).pop();
    if (!found) throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' });
    return { taskDefinition: structuredClone(found) };
  }

  async registerTaskDefinition(input: Omit<TaskDefinition, 'taskDefinitionArn'>) {
    this.calls.push('RegisterTaskDefinition');
    this.checkPassRole([input.taskRoleArn, input.executionRoleArn], 'RegisterTaskDefinition');
    const arn = this.addTaskDefinition(input);
    return { taskDefinition: this.taskDefinitions.get(arn) };
  }

  private checkPassRole(roles: (string | undefined)[], operation: string): void {
    if (this.denyPassRole && roles.includes(this.denyPassRole)) {
      throw Object.assign(
        new Error(
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gh is not authorized to perform: iam:PassRole on resource: ${this.denyPassRole} (${operation})`,
        ),
        { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
      );
    }
  }

  async updateService(input: {
    service?: string;
    taskDefinition?: string;
    desiredCount?: number;
    forceNewDeployment?: boolean;
    deploymentConfiguration?: DeploymentConfiguration;
  }) {
    this.calls.push('UpdateService');
    const service = this.find(input.service);
    if (input.deploymentConfiguration) {
      this.configurations.push(input.deploymentConfiguration);
      service.deploymentConfiguration = input.deploymentConfiguration;
      if (input.deploymentConfiguration.strategy && input.deploymentConfiguration.strategy !== 'ROLLING') {
        this.startNative(service, input.deploymentConfiguration);
        return { service: structuredClone(service) };
      }
    }
    const desired = input.desiredCount ?? service.desiredCount ?? 0;
    service.desiredCount = desired;
    const old = (service.deployments ?? []).map((d) => ({ ...d, status: 'ACTIVE' }));
    const next = this.deployment(input.taskDefinition ?? service.taskDefinition ?? '', desired, 'PRIMARY', 'IN_PROGRESS');
    service.deployments = [next, ...old];
    const wasDeployed = old.some((d) => d.taskDefinition === input.taskDefinition && d.rolloutState === 'COMPLETED');
    (service as Service & { rollbackTo?: string }).rollbackTo = wasDeployed ? input.taskDefinition : undefined;
    return { service: structuredClone(service) };
  }

  async runTask(input: { taskDefinition?: string; overrides?: unknown }) {
    this.calls.push('RunTask');
    const task = this.stoppedTask(
      'baepo/ecs-deploy',
      input.taskDefinition ?? '',
      this.runTaskExit,
      this.runTaskExit ? 'Essential container in task exited' : 'Task completed',
    );
    this.running.add(task.taskArn ?? '');
    return { tasks: [{ ...task, lastStatus: 'PROVISIONING' }] };
  }

  async listTasks(input: { startedBy?: string; family?: string }) {
    this.calls.push('ListTasks');
    return {
      taskArns: [...this.tasks.values()].filter((t) => !input.startedBy || t.startedBy === input.startedBy).map((t) => t.taskArn ?? ''),
    };
  }

  async describeTasks(input: { tasks?: string[] }) {
    this.calls.push('DescribeTasks');
    const tasks = (input.tasks ?? []).map((arn) => this.tasks.get(arn)).filter((t): t is Task => t !== undefined);
    return {
      tasks: tasks.map((t) =>
        this.running.delete(t.taskArn ?? '') ? { ...t, lastStatus: 'RUNNING', containers: [{ name: t.containers?.[0]?.name }] } : t,
      ),
    };
  }

  writes(): string[] {
    return this.calls.filter((c) =>
      ['RegisterTaskDefinition', 'UpdateService', 'RunTask', 'StopServiceDeployment', 'ContinueServiceDeployment'].includes(
        c.split(' ')[0] ?? '',
      ),
    );
  }

  private startNative(service: Service, configuration: DeploymentConfiguration): void {
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${this.cluster}/${service.serviceName}/sd${this.native.size + 1}`;
    const pauses = (configuration.lifecycleHooks ?? []).filter((h) => h.targetType === 'PAUSE').flatMap((h) => h.lifecycleStages ?? []);
    const stages: [string, number?][] = [
      ['SCALE_UP'],
      ['POST_SCALE_UP'],
      ['TEST_TRAFFIC_SHIFT'],
      ['POST_TEST_TRAFFIC_SHIFT'],
      ['PRODUCTION_TRAFFIC_SHIFT', 100],
      ['BAKE_TIME', 100],
      ['CLEAN_UP', 100],
    ];
    const steps: ServiceDeployment[] = [];
    for (const [stage, weight] of stages) {
      const step: ServiceDeployment = {
        serviceDeploymentArn: arn,
        status: 'IN_PROGRESS',
        lifecycleStage: stage as ServiceDeployment['lifecycleStage'],
        targetServiceRevision: { requestedProductionTrafficWeight: weight ?? 0, requestedTestTrafficWeight: 100 },
      };
      steps.push(step);
      if (pauses.includes(stage as never)) {
        steps.push({ ...step, lifecycleHookDetails: [{ hookId: `hook-${stage}`, targetType: 'PAUSE', status: 'AWAITING_ACTION' }] });
      }
      if (this.nativeRollout === 'fails' && stage === 'PRODUCTION_TRAFFIC_SHIFT') {
        steps.push(...this.rollbackSteps(arn, 'target group health checks failed during the production traffic shift'));
        break;
      }
      if (this.nativeRollout === 'stuck' && stage === 'SCALE_UP') break;
    }
    if (this.nativeRollout === 'healthy') steps.push({ serviceDeploymentArn: arn, status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' });
    this.native.set(arn, { steps, index: 0 });
  }

  private rollbackSteps(arn: string, reason: string): ServiceDeployment[] {
    return [
      { serviceDeploymentArn: arn, status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'RECONCILE_SERVICE', statusReason: reason },
      { serviceDeploymentArn: arn, status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: 'CLEAN_UP', statusReason: reason },
    ];
  }

  async listServiceDeployments(input: { service?: string }) {
    this.calls.push('ListServiceDeployments');
    const arns = [...this.native.keys()].filter((arn) => arn.includes(`/${input.service}/`));
    return {
      serviceDeployments: arns.map((arn, i) => ({
        serviceDeploymentArn: arn,
        createdAt: new Date(1_000 + i),
        status: 'IN_PROGRESS' as const,
      })),
    };
  }

  async describeServiceDeployments(input: { serviceDeploymentArns?: string[] }) {
    this.calls.push('DescribeServiceDeployments');
    const found: ServiceDeployment[] = [];
    for (const arn of input.serviceDeploymentArns ?? []) {
      const state = this.native.get(arn);
      if (!state) continue;
      const step = state.steps[state.index] as ServiceDeployment;
      found.push(structuredClone(step));
      const paused = step.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION');
      if (!paused && state.index < state.steps.length - 1) state.index++;
    }
    return { serviceDeployments: found };
  }

  async stopServiceDeployment(input: { serviceDeploymentArn?: string; stopType?: string }) {
    this.calls.push('StopServiceDeployment');
    const state = this.native.get(input.serviceDeploymentArn ?? '');
    if (!state) throw Object.assign(new Error('not found'), { name: 'ServiceDeploymentNotFoundException' });
    state.steps = this.rollbackSteps(input.serviceDeploymentArn ?? '', 'stopped with ROLLBACK');
    state.index = 0;
    return { serviceDeploymentArn: input.serviceDeploymentArn };
  }

  async continueServiceDeployment(input: { serviceDeploymentArn?: string; hookId?: string; action?: string }) {
    this.calls.push(`ContinueServiceDeployment ${input.action} ${input.hookId}`);
    const state = this.native.get(input.serviceDeploymentArn ?? '');
    if (!state) throw Object.assign(new Error('not found'), { name: 'ServiceDeploymentNotFoundException' });
    if (input.action === 'ROLLBACK') {
      state.steps = this.rollbackSteps(input.serviceDeploymentArn ?? '', 'rolled back at a lifecycle hook');
      state.index = 0;
    } else state.index++;
    return { serviceDeploymentArn: input.serviceDeploymentArn };
  }
}

export function fakeSsm(parameters: string[]): SsmApi {
  return {
    getParametersByPath: async (input) => ({
      Parameters: parameters
        .filter((name) => name.startsWith(`${input.Path}/`))
        .map((name) => ({ Name: name, ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}` })),
    }),
  };
}

export function fakeLogs(lines: string[]): LogsApi & { requests: unknown[] } {
  const requests: unknown[] = [];
  return {
    requests,
    getLogEvents: async (input) => {
      requests.push(input);
      return { events: lines.map((message, i) => ({ timestamp: i, message })) };
    },
  };
}

/** A deploy request with every required field at a plain default: one service `api` in cluster `shop`, rolling, waiting. */
export function deployRequest(overrides: Partial<DeployRequest> = {}): DeployRequest {
  return {
    region: 'ap-northeast-2',
    cluster: 'shop',
    services: ['api'],
    images: [],
    image: 'repo/api:v2',
    environment: [],
    secrets: [],
    ssmSecretsPaths: [],
    forceNewDeployment: false,
    wait: true,
    timeoutMs: 60_000,
    pollIntervalMs: 10_000,
    rollback: 'auto',
    onCancel: 'leave',
    dryRun: false,
    ...overrides,
  };
}
