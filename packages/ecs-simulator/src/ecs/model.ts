import type {
  Cluster,
  Deployment,
  DeploymentLifecycleHookDetail,
  HealthStatus,
  Service,
  ServiceDeployment,
  Tag,
  Task,
  TaskDefinition,
  TaskStopCode,
} from '@aws-sdk/client-ecs';
import type { RolloutScenario } from '../types.js';
import type { Wire } from '../wire.js';

/** What an ECS task will do over its life, decided when it is placed. */
export interface TaskPlan {
  /** Age (ticks since placement) at which the task becomes PENDING. */
  pendingAt: number;
  /** Age at which it becomes RUNNING; undefined: it never runs. */
  runningAt?: number;
  /** Age at which it passes health checks; undefined: never. */
  healthyAt?: number;
  /** Age at which it is seen failing health checks. */
  unhealthyAt?: number;
  /** Age at which it stops by itself, and how. */
  stopAt?: number;
  stop?: StopOutcome;
  /** Lines its failing container writes to CloudWatch Logs before stopping. */
  logLines?: string[];
}

export interface StopOutcome {
  stopCode: TaskStopCode;
  stoppedReason: string;
  /** Exit code of the container named `container` (others exit 0); undefined: never started. */
  exitCode?: number;
  /** Which container the outcome is about (default: the first essential one). */
  container?: string;
  containerReason?: string;
  /** Container health reported once the task is seen failing (container health checks; not for ELB ones). */
  containerHealth?: HealthStatus;
  /** Counts as a failed task for the deployment (circuit breaker). */
  failed: boolean;
}

export interface ClusterRecord {
  name: string;
  data: Wire<Cluster>;
}

export interface TaskDefinitionRecord {
  data: Wire<TaskDefinition>;
  tags: Tag[];
}

export interface DeploymentRecord {
  data: Wire<Deployment>;
  scenario: RolloutScenario;
  /** Tick of the last "unable to place" event (stuck scenario). */
  lastStuckEventTick?: number;
  /** The "unable to consistently start tasks" event was sent. */
  warnedFailing: boolean;
  /** The service deployment this deployment is the target of (or the rollback of). */
  serviceDeploymentArn?: string;
  /** ARN of the service revision it deploys. */
  revisionArn?: string;
}

/** One lifecycle hook invocation at a stage of a native service deployment. */
export interface HookRun {
  detail: Wire<DeploymentLifecycleHookDetail>;
  /** Tick it was invoked. */
  startedTick: number;
  /** Ticks before it times out. */
  timeoutTicks: number;
}

/** A service deployment (ListServiceDeployments / DescribeServiceDeployments): rolling or native. */
export interface ServiceDeploymentRecord {
  arn: string;
  cluster: string;
  service: string;
  /** ROLLING | BLUE_GREEN | LINEAR | CANARY */
  strategy: string;
  data: Wire<ServiceDeployment>;
  /** The deployment of the target revision. */
  target: DeploymentRecord;
  /** Deployments running before it (blue). */
  sources: DeploymentRecord[];
  /** Circuit-breaker rollback deployment (rolling). */
  rollbackDeployment?: DeploymentRecord;
  /** Native: every stage entered, in order. */
  stages: string[];
  /** Native: tick the current stage (or traffic step) was entered. */
  stageTick: number;
  /** Native: hooks of the current stage. */
  hooks: HookRun[];
  productionWeight: number;
  testWeight: number;
  /** Rollback asked (StopServiceDeployment, ContinueServiceDeployment ROLLBACK, hook failure...): its reason. */
  rollbackReason?: string;
  /** A final status was reached. */
  done: boolean;
}

export interface ServiceRecord {
  cluster: string;
  name: string;
  data: Wire<Service>;
  /** PRIMARY first. */
  deployments: DeploymentRecord[];
  /** Task definition of the last deployment that reached COMPLETED. */
  lastCompletedTaskDefinition?: string;
  /** Id of that deployment. */
  lastCompletedDeploymentId?: string;
  /** A steady-state event was sent and nothing changed since. */
  steady: boolean;
}

export interface TaskRecord {
  cluster: string;
  data: Wire<Task>;
  /** Ticks since placement. */
  age: number;
  plan: TaskPlan;
  service?: string;
  deploymentId?: string;
  /** Stop requested (StopTask or the scheduler): applied on the next tick. */
  pendingStop?: StopOutcome;
  /** Passed its health checks (container or ELB): counts as healthy for the deployment. */
  healthy?: boolean;
  /** Seen failing its health checks. */
  unhealthy?: boolean;
  /** How it stopped, once STOPPED. */
  outcome?: StopOutcome;
}
