import type { Tag } from '@aws-sdk/client-ecs';
import { AwsError, invalidParameter } from '../errors.js';
import type { LogsState } from '../logs.js';
import type { CompletedRollout, HookResult, RolloutScenario, RunTaskScenario } from '../types.js';
import { Arns, lastSegment } from './arns.js';
import type { ClusterRecord, ServiceDeploymentRecord, ServiceRecord, TaskDefinitionRecord, TaskRecord } from './model.js';
import type { ScheduledActor } from './second-actor.js';

export interface EcsConfig {
  region: string;
  accountId: string;
  /** Failed tasks that trip the circuit breaker; default as ECS: min(max(3, ceil(desired / 2)), 200). */
  circuitBreakerThreshold?: number;
  /** Ticks per simulated minute (bake times, hook timeouts); default 2. */
  minuteTicks?: number;
  /** Real milliseconds per tick (for expiresAt timestamps); default 100. */
  tickMs?: number;
}

/** Everything the simulated ECS knows. Operations and the deployment engine read and change it. */
export class EcsState {
  readonly arns: Arns;
  readonly clusters = new Map<string, ClusterRecord>();
  /** Revisions per family, index = revision - 1. */
  readonly families = new Map<string, TaskDefinitionRecord[]>();
  /** Key: `cluster/service`. */
  readonly services = new Map<string, ServiceRecord>();
  /** Key: task ARN. */
  readonly tasks = new Map<string, TaskRecord>();
  /** Key: `cluster/service` or `*\/service`. */
  readonly scenarios = new Map<string, RolloutScenario>();
  readonly runTaskScenarios = new Map<string, RunTaskScenario>();
  readonly deniedRoles = new Set<string>();
  readonly rollouts: CompletedRollout[] = [];
  /** Tags by resource ARN. */
  readonly tags = new Map<string, Tag[]>();
  /** Service deployments by ARN, oldest first. */
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>();
  /** Lambda lifecycle hook answers by hookTargetArn. */
  readonly hookResults = new Map<string, HookResult>();
  /** Second actors' UpdateService calls waiting for their moment. */
  readonly actors = new Set<ScheduledActor>();
  /** Service revision numbers handed out. */
  revisions = 0;
  tick = 0;

  constructor(
    readonly config: EcsConfig,
    readonly logs: LogsState,
  ) {
    this.arns = new Arns(config.region, config.accountId);
  }

  reset(): void {
    this.clusters.clear();
    this.families.clear();
    this.services.clear();
    this.tasks.clear();
    this.scenarios.clear();
    this.runTaskScenarios.clear();
    this.deniedRoles.clear();
    this.rollouts.length = 0;
    this.tags.clear();
    this.serviceDeployments.clear();
    this.hookResults.clear();
    this.actors.clear();
  }

  /** Ticks per simulated minute. */
  get minuteTicks(): number {
    return Math.max(1, this.config.minuteTicks ?? 2);
  }

  /** The ACTIVE cluster named by name or ARN (default: `default`), or ClusterNotFoundException. */
  cluster(ref: string | undefined): ClusterRecord {
    const record = this.arns.foreign(ref) ? undefined : this.clusters.get(lastSegment(ref ?? 'default'));
    if (record?.data.status !== 'ACTIVE') throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return record;
  }

  /** The service named by name or ARN in a cluster, whatever its status, or ServiceNotFoundException. */
  service(cluster: string, ref: string | undefined): ServiceRecord {
    if (!ref) throw invalidParameter('Service name or ARN must be specified.');
    const record = this.services.get(`${cluster}/${lastSegment(ref)}`);
    if (!record) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    return record;
  }

  /** A task definition by `family`, `family:revision` or ARN; undefined when unknown. */
  taskDefinition(ref: string | undefined): TaskDefinitionRecord | undefined {
    if (!ref || this.arns.foreign(ref)) return undefined;
    const name = ref.startsWith('arn:') ? ref.slice(ref.indexOf('task-definition/') + 'task-definition/'.length) : ref;
    const [family = '', revision] = name.split(':');
    const revisions = this.families.get(family);
    if (!revisions) return undefined;
    if (revision === undefined) return revisions.findLast((r) => r.data.status === 'ACTIVE');
    if (!/^\d+$/.test(revision)) return undefined;
    return revisions[Number(revision) - 1];
  }

  /** Like taskDefinition(), for operations that need one (InvalidParameterException otherwise). */
  requireTaskDefinition(ref: string | undefined): TaskDefinitionRecord {
    const record = this.taskDefinition(ref);
    if (!record) throw invalidParameter('Unable to describe task definition.');
    return record;
  }

  /** iam:PassRole check for the roles a call would hand to ECS. */
  checkPassRole(roles: (string | undefined)[]): void {
    for (const role of roles) {
      if (role && this.deniedRoles.has(role)) {
        throw new AwsError(
          'AccessDeniedException',
          `User: ${this.arns.caller()} is not authorized to perform: iam:PassRole on resource: ${role}`,
        );
      }
    }
  }

  /** Scenario for a new deployment of a service: cluster-specific first, then any cluster; default healthy. */
  scenarioFor(cluster: string, service: string): RolloutScenario {
    return this.scenarios.get(`${cluster}/${service}`) ?? this.scenarios.get(`*/${service}`) ?? { kind: 'healthy' };
  }

  tasksOf(cluster: string): TaskRecord[] {
    return [...this.tasks.values()].filter((t) => t.cluster === cluster);
  }
}
