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
  | { state: 'paused'; hookId: string; stage: string };

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
  /** Follow deployments another way than DescribeServices + `assess` (native ECS service deployments); default `watchDeployments`. */
  watch?(targets: WatchTarget[], options: WatchOptions): Promise<Map<string, WatchOutcome>>;
}
