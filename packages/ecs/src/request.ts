import type { Clock, Logger } from '@baepo/action-kit';
import type { CodeDeployApi, EcsApi, LogsApi, SsmApi } from './clients.js';
import type { Diagnosis } from './diagnose.js';
import type { Change } from './diff.js';
import type { StrategyRequest } from './select-strategy.js';
import type { DeployStrategy } from './strategy.js';

/** Everything a deploy needs to know, already parsed from the action's inputs. */
export interface DeployRequest {
  region: string;
  cluster: string;
  /** Services that all get the same new revision; empty: only register. */
  services: string[];
  /** A file path, an ARN or family[:revision]; undefined: the first service's current one. */
  taskDefinition?: string;
  images: { container: string; image: string }[];
  image?: string;
  container?: string;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  /** SSM paths whose parameters become secrets (ARNs only); later paths override earlier ones. */
  ssmSecretsPaths: string[];
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  desiredCount?: number;
  forceNewDeployment: boolean;
  runTaskCommand?: string[];
  runTaskContainer?: string;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  rollback: 'auto' | 'none';
  onCancel: 'leave' | 'rollback';
  dryRun: boolean;
  /** The strategy input and its settings; default: what the services are configured for. */
  strategy?: StrategyRequest;
  /** Act on a paused service deployment instead of deploying. */
  resume?: { serviceDeploymentArn: string; decision: 'continue' | 'rollback' };
}

export interface DeployDeps {
  ecs: EcsApi;
  ssm: SsmApi;
  logs: LogsApi;
  /** Needed only for CodeDeploy deployments. */
  codedeploy?: CodeDeployApi;
  clock: Clock;
  logger: Logger;
  /** Aborted when the job is cancelled. */
  signal?: AbortSignal;
  /** File contents relative to the workspace, or undefined when absent. */
  readFile: (path: string) => string | undefined;
  /** How services are rolled out; default: selectStrategy() from the request and the services. */
  strategy?: DeployStrategy;
}

export type DeployStatus = 'succeeded' | 'unchanged' | 'rolled-back' | 'failed' | 'dry-run' | 'started' | 'paused';

export interface ServiceResult {
  service: string;
  status: DeployStatus | 'cancelled';
  deploymentId?: string;
  taskDefinition?: string;
  previousTaskDefinition?: string;
  desired?: number;
  running?: number;
  pending?: number;
  rolloutState?: string;
  reason?: string;
  /** The PAUSE lifecycle hook awaiting a decision (status paused). */
  hookId?: string;
}

export interface DeployResult {
  status: DeployStatus;
  taskDefinitionArn?: string;
  previousTaskDefinitionArn?: string;
  deploymentId?: string;
  /** The first service's ECS service deployment (native blue/green, linear, canary). */
  serviceDeploymentArn?: string;
  /** The first paused service's PAUSE hook id (status paused). */
  hookId?: string;
  /** The first service's CodeDeploy deployment id. */
  codeDeployDeploymentId?: string;
  services: ServiceResult[];
  changes: Change[];
  diagnoses: Diagnosis[];
  /** Extra markdown sections for the step summary (migration output, cancel instructions). */
  notes: string[];
  /** Set when the step must fail: the one-line reason. */
  error?: string;
}
