import type { Service } from '@aws-sdk/client-ecs';
import type { EcsApi } from './clients.js';

/** Where one service's deployment stands after a look at DescribeServices. */
export type Assessment =
  | { state: 'in-progress' }
  | { state: 'succeeded' }
  /** ECS itself rolled back (circuit breaker): the deploy failed, the service runs the previous revision. */
  | { state: 'rolled-back'; reason: string }
  /** The deployment failed and nothing rolled it back. */
  | { state: 'failed'; reason: string };

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
  rollback(ecs: EcsApi, request: { cluster: string; service: Service; taskDefinitionArn: string }): Promise<{ deploymentId: string }>;
}
