/**
 * The control surface of the ECS simulator: test infrastructure that speaks the
 * AWS JSON 1.1 protocol (X-Amz-Target, epoch-second timestamps) to the real
 * @aws-sdk/client-ecs and @aws-sdk/client-cloudwatch-logs, and models ECS
 * deployments over compressed time. This file is the contract between the
 * simulator and the tests/benchmarks/demo that drive it.
 */

/** What the next deployment(s) of a service will do. */
export type RolloutScenario =
  /** New tasks start, pass health checks, old tasks drain; rolloutState COMPLETED. */
  | {
      kind: 'healthy';
      /** Ticks the rollout takes, old tasks drained included (default 4, at least 4). */
      ticks?: number;
    }
  /** New tasks never start (STOPPED before RUNNING): CannotPullContainerError. */
  | { kind: 'image-pull-failure' }
  /** New tasks start then their essential container exits with this code. */
  | { kind: 'exit-code'; exitCode: number; logLines?: string[] }
  /** New tasks run but fail ELB / container health checks and are replaced. */
  | { kind: 'unhealthy' }
  /** The deployment never progresses (e.g. waiting for capacity); no circuit breaker trip. */
  | { kind: 'stuck' }
  /**
   * Native BLUE_GREEN / LINEAR / CANARY only: green tasks start and pass health checks, then fail
   * the target group's health checks once production traffic reaches them (first step of
   * PRODUCTION_TRAFFIC_SHIFT): the deployment rolls back by itself (ROLLBACK_IN_PROGRESS →
   * ROLLBACK_SUCCESSFUL), blue keeps serving. Rolling deployments treat it as healthy.
   */
  | { kind: 'unhealthy-after-shift' };

/** What a Lambda lifecycle hook answers ECS each time it is invoked (AWS_LAMBDA hooks). */
export type HookResult = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/** What the next CodeDeploy deployments of a deployment group do. */
export type CodeDeployScenario =
  /** Every lifecycle event Succeeded; the deployment Succeeded and the service runs the new task definition. */
  | { kind: 'healthy' }
  /**
   * The hook of this lifecycle event (default AfterAllowTestTraffic) answers Failed: the deployment
   * is Failed with errorInformation (code ScriptFailed) and, with autoRollbackConfiguration
   * enabled for DEPLOYMENT_FAILURE, rolled back (rollbackInfo; the original task set keeps serving).
   */
  | { kind: 'failing'; lifecycleEvent?: string }
  /** The deployment stays InProgress at the Install event forever (until stopped). */
  | { kind: 'stuck' };

/** What a one-off RunTask (e.g. a migration) of a task family will do. */
export type RunTaskScenario =
  | {
      kind: 'exit';
      exitCode: number;
      logLines?: string[];
      /** Ticks it stays RUNNING before STOPPED (default 2). */
      ticks?: number;
    }
  /** The task never starts: STOPPED with this stoppedReason (default CannotPullContainerError). */
  | { kind: 'start-failure'; stoppedReason?: string };

/**
 * Another actor (a person, another pipeline, a scheduled job) calling UpdateService on a
 * service while a deployment of it runs: armed by the service's next deployment, it fires
 * once, `afterTicks` ticks later or right after the `afterCalls.count`-th answer to
 * `afterCalls.operation` (that answer still shows the state before its update).
 * ECS then makes the actor's deployment PRIMARY and the replaced one ACTIVE (rolling), or
 * STOPPED the replaced service deployment (native); see UpdateService and
 * DescribeServices `deployments` in the ECS API reference.
 */
export interface SecondActor {
  /** The task definition its UpdateService deploys (family:revision or ARN). */
  taskDefinition: string;
  desiredCount?: number;
  /** What its deployment does (default healthy). */
  scenario?: RolloutScenario;
  /** Ticks after the service's next deployment started (default 2). */
  afterTicks?: number;
  /** Instead of ticks: right after this many answers to this operation (counted from the deployment's start). */
  afterCalls?: { operation: string; count: number };
  /** Armed by the service's next deployment (default), or right away (e.g. during a paused deployment). */
  armed?: 'next-deployment' | 'now';
}

export interface FaultSpec {
  /** The next N matching calls answer ThrottlingException (HTTP 400). */
  throttle?: number;
  /** The next N matching calls answer HTTP 500 ServerException. */
  serverError?: number;
  /** Only these operations (e.g. 'DescribeServices'); default all. */
  operations?: string[];
}

export interface RecordedCall {
  /** ECS / CloudWatch Logs operation name, e.g. 'DescribeServices'. */
  operation: string;
  /** Service prefix of X-Amz-Target: 'ecs' | 'logs' | 'codedeploy'. */
  service: string;
  /** Date.now() when received. */
  at: number;
}

export interface CompletedRollout {
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinition: string;
  /** 'COMPLETED' | 'FAILED' */
  rolloutState: string;
  /** Date.now() when the simulator set the final rolloutState. */
  at: number;
}

export interface EcsSimulatorOptions {
  /** Real milliseconds per simulated step (default 100). */
  tickMs?: number;
  accountId?: string;
  region?: string;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Failed tasks that trip the circuit breaker (default as ECS: min(max(3, ceil(desired / 2)), 200)); set lower for speed. */
  circuitBreakerThreshold?: number;
  /**
   * Ticks per simulated minute (default 2): bakeTimeInMinutes, stepBakeTimeInMinutes,
   * canaryBakeTimeInMinutes and hook timeouts are counted in these.
   */
  minuteTicks?: number;
}

/** A native service deployment's progress, as the simulator sees it (also in DescribeServiceDeployments). */
export interface ServiceDeploymentProgress {
  serviceDeploymentArn: string;
  cluster: string;
  service: string;
  /** ROLLING | BLUE_GREEN | LINEAR | CANARY */
  strategy: string;
  status: string;
  lifecycleStage?: string;
  /** Production traffic on the target (green) revision, 0-100. */
  productionTrafficWeight: number;
  /** Test traffic on the target revision, 0-100. */
  testTrafficWeight: number;
  /** Every lifecycle stage entered, in order (PRODUCTION_TRAFFIC_SHIFT once per step). */
  stages: string[];
}

export interface EcsSimulator {
  /** http://127.0.0.1:PORT — use as AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS and AWS_ENDPOINT_URL_CODEDEPLOY. */
  endpoint: string;
  accountId: string;
  region: string;
  /** Scenario for the next deployments of a service (sticky until changed). Default: healthy. */
  setScenario(service: string, scenario: RolloutScenario, cluster?: string): void;
  /** Scenario for RunTask of a task family (sticky). Default: exit 0. */
  setRunTaskScenario(family: string, scenario: RunTaskScenario): void;
  /** A second actor's UpdateService during the service's next deployment (one-shot; without `cluster`, any cluster). */
  scheduleUpdate(service: string, actor: SecondActor, cluster?: string): void;
  /** Inject throttling / 5xx for the next calls. */
  injectFaults(spec: FaultSpec): void;
  /** RegisterTaskDefinition / RunTask / UpdateService naming this role answer AccessDeniedException for iam:PassRole. */
  denyPassRole(roleArn: string): void;
  /** Every call received since start or clearCalls(). */
  calls(): RecordedCall[];
  clearCalls(): void;
  /** Rollouts that reached a final rolloutState, in order. */
  completedRollouts(): CompletedRollout[];
  /** Advance simulated time by `count` steps now (default 1), on top of the ticker. */
  tick(count?: number): void;
  /** Lines written to a CloudWatch Logs stream (empty when it does not exist). */
  logLines(group: string, stream: string): string[];
  /** What AWS_LAMBDA lifecycle hooks with this hookTargetArn answer (sticky). Default SUCCEEDED. */
  setHookResult(hookTargetArn: string, result: HookResult): void;
  /** Scenario for the next CodeDeploy deployments of a deployment group (sticky; without `application`, any). Default healthy. */
  setCodeDeployScenario(deploymentGroup: string, scenario: CodeDeployScenario, application?: string): void;
  /** Every service deployment (rolling and native), oldest first, with stages entered and traffic weights. */
  serviceDeployments(): ServiceDeploymentProgress[];
  /** Forget every cluster, service, task and scenario. */
  reset(): void;
  stop(): Promise<void>;
}
