import type { Service } from '@aws-sdk/client-ecs';
import type { EcsApi } from './clients.js';
import type { WatchOptions, WatchOutcome, WatchTarget } from './watch.js';

/** Where one service's deployment stands after a look at DescribeServices. */
export type Assessment =
  | { state: 'in-progress' }
  | { state: 'succeeded' }
  /** ECS itself rolled back (circuit breaker; `complete` when the rollback already finished): the deploy failed. */
  | { state: 'rolled-back'; reason: string; complete?: boolean }
  /** The deployment failed and nothing rolled it back. */
  | { state: 'failed'; reason: string }
  /** A PAUSE lifecycle hook awaits a decision (ContinueServiceDeployment). */
  | { state: 'paused'; hookId: string; stage: string }
  /** Another UpdateService replaced our deployment as the service's primary: failed, and never rolled back. */
  | { state: 'replaced'; reason: string };

/** Where a service that already runs the requested revision stands (a re-run of the same deploy). */
export type Standing =
  /** Its COMPLETED, steady primary deployment: nothing to do (`unchanged`). */
  | { kind: 'settled' }
  /** A deployment of the revision that is not settled: followed like a new one; `previous`: the revision it replaces. */
  | { kind: 'follow'; deploymentId: string; previous?: string; state: string }
  /** Not settled and nothing to follow: the deploy fails saying so. */
  | { kind: 'unsettled'; state: string };

export interface StartRequest {
  cluster: string;
  service: Service;
  taskDefinitionArn: string;
  desiredCount?: number;
  forceNewDeployment: boolean;
}

/**
 * How a deployment is started, judged and undone. The engine is the same for
 * every strategy (rolling now; blue/green, linear, canary, CodeDeploy later).
 */
export interface DeployStrategy {
  readonly name: string;
  /** Start the deployment; returns the id that `assess` follows. */
  start(ecs: EcsApi, request: StartRequest): Promise<{ deploymentId: string; service: Service }>;
  /** Judge the deployment from a fresh DescribeServices answer; pure. */
  assess(service: Service, deploymentId: string): Assessment;
  /** Put the previous task definition back; returns the rollback's deployment id. */
  rollback(
    ecs: EcsApi,
    request: { cluster: string; service: Service; taskDefinitionArn: string; deploymentId?: string },
  ): Promise<{ deploymentId: string }>;
  /** A rollback redeploys a task definition (rolling), so it needs the revision the deployment replaced. */
  readonly rollsBackToRevision?: boolean;
  /** Where a service already on the revision stands; default: settled. */
  standing?(ecs: EcsApi, cluster: string, service: Service): Promise<Standing>;
  /**
   * What replaced `deploymentId` as the service's primary deployment, in words
   * (`deployment ecs-svc/2 (task definition api:3, created ...)`), or undefined while it is still ours.
   * Checked right before every rollback: another actor's newer deployment is never rolled back.
   */
  replacedBy?(ecs: EcsApi, cluster: string, serviceName: string, deploymentId: string): Promise<string | undefined>;
  /** Follow deployments another way than DescribeServices + `assess` (native ECS service deployments); default `watchDeployments`. */
  watch?(targets: WatchTarget[], options: WatchOptions): Promise<Map<string, WatchOutcome>>;
}
