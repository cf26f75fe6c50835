import { ConfigurationError, type KeyValue, quote } from '@baepo/action-kit';
import { parseCommandLine } from './command-line.js';
import type { PAUSE_STAGES } from './native-config.js';
import type { DeployRequest } from './request.js';
import type { StrategyName } from './select-strategy.js';
import { strategyInputs } from './strategy-inputs.js';

/** The action's parsed inputs, by their action.yml names. */
export interface DeployInputs {
  cluster: string;
  service: string[];
  'task-definition': string | undefined;
  images: KeyValue[];
  image: string | undefined;
  container: string | undefined;
  environment: KeyValue[];
  secrets: KeyValue[];
  'ssm-secrets-path': string[];
  cpu: string | undefined;
  memory: string | undefined;
  'task-role-arn': string | undefined;
  'execution-role-arn': string | undefined;
  'desired-count': number | undefined;
  'force-new-deployment': boolean;
  'run-task-command': string | undefined;
  'run-task-container': string | undefined;
  wait: boolean;
  timeout: number;
  'poll-interval': number;
  rollback: 'auto' | 'none';
  'on-cancel': 'leave' | 'rollback';
  'dry-run': boolean;
  strategy?: StrategyName | undefined;
  'bake-time'?: number | undefined;
  'canary-percent'?: string | undefined;
  'canary-bake-time'?: number | undefined;
  'linear-step-percent'?: string | undefined;
  'linear-step-bake-time'?: number | undefined;
  'pause-at'?: (typeof PAUSE_STAGES)[number] | undefined;
  resume?: string | undefined;
  decision?: 'continue' | 'rollback' | undefined;
  'codedeploy-application'?: string | undefined;
  'codedeploy-deployment-group'?: string | undefined;
  'codedeploy-config'?: string | undefined;
  appspec?: string | undefined;
}

const CPU = /^(\d+|\d+(\.\d+)?\s*vcpu)$/i;
const MEMORY = /^(\d+|\d+(\.\d+)?\s*gb)$/i;
const ROLE = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Check what can be checked without AWS and shape the inputs as a DeployRequest. */
export function toDeployRequest(inputs: DeployInputs, region: string): DeployRequest {
  const check = (ok: boolean, input: string, value: string, valid: string) => {
    if (!ok) throw new ConfigurationError(`Input '${input}' ${valid}; got ${quote(value)}.`, { input });
  };
  if (inputs.cpu) check(CPU.test(inputs.cpu), 'cpu', inputs.cpu, "must be CPU units ('256', '1024') or vCPUs ('0.5 vCPU')");
  if (inputs.memory) check(MEMORY.test(inputs.memory), 'memory', inputs.memory, "must be MiB ('512', '2048') or GB ('2 GB')");
  for (const name of ['task-role-arn', 'execution-role-arn'] as const) {
    const value = inputs[name];
    if (value) check(ROLE.test(value), name, value, "must be an IAM role ARN such as 'arn:aws:iam::123456789012:role/app'");
  }
  for (const entry of [...inputs.environment, ...inputs.secrets]) {
    const input = inputs.environment.includes(entry) ? 'environment' : 'secrets';
    check(ENV_NAME.test(entry.key), input, entry.key, `line ${entry.line}: the name must be a variable name (letters, digits, '_')`);
  }
  for (const entry of inputs.secrets) {
    check(
      entry.value !== '',
      'secrets',
      entry.key,
      `line ${entry.line}: give NAME=valueFrom (an SSM parameter name/ARN or a Secrets Manager ARN)`,
    );
  }
  if (inputs.image && inputs.images.length) {
    throw new ConfigurationError("Inputs 'image' and 'images' are both set: use 'images' (container=image per line) alone.", {
      input: 'image',
    });
  }
  if (inputs['run-task-command'] && inputs.service.length === 0) {
    throw new ConfigurationError(
      "Input 'run-task-command' needs a 'service': the task runs with that service's launch type and network configuration.",
      { input: 'run-task-command' },
    );
  }
  if (inputs.service.length === 0 && inputs['desired-count'] !== undefined) {
    throw new ConfigurationError("Input 'desired-count' needs a 'service' to apply to.", { input: 'desired-count' });
  }
  const duplicates = inputs.service.filter((s, i) => inputs.service.indexOf(s) !== i);
  if (duplicates.length) {
    throw new ConfigurationError(`Input 'service' lists ${quote(duplicates[0] as string)} twice; list each service once.`, {
      input: 'service',
    });
  }
  return {
    region,
    cluster: inputs.cluster,
    services: inputs.service,
    ...(inputs['task-definition'] ? { taskDefinition: inputs['task-definition'] } : {}),
    images: inputs.images.map((e) => ({ container: e.key, image: e.value })),
    ...(inputs.image ? { image: inputs.image } : {}),
    ...(inputs.container ? { container: inputs.container } : {}),
    environment: inputs.environment.map((e) => ({ name: e.key, value: e.value })),
    secrets: inputs.secrets.map((e) => ({ name: e.key, valueFrom: e.value })),
    ssmSecretsPaths: inputs['ssm-secrets-path'],
    ...(inputs.cpu ? { cpu: inputs.cpu } : {}),
    ...(inputs.memory ? { memory: inputs.memory } : {}),
    ...(inputs['task-role-arn'] ? { taskRoleArn: inputs['task-role-arn'] } : {}),
    ...(inputs['execution-role-arn'] ? { executionRoleArn: inputs['execution-role-arn'] } : {}),
    ...(inputs['desired-count'] === undefined ? {} : { desiredCount: inputs['desired-count'] }),
    forceNewDeployment: inputs['force-new-deployment'],
    ...(inputs['run-task-command'] ? { runTaskCommand: parseCommandLine(inputs['run-task-command']) } : {}),
    ...(inputs['run-task-container'] ? { runTaskContainer: inputs['run-task-container'] } : {}),
    wait: inputs.wait,
    timeoutMs: inputs.timeout,
    pollIntervalMs: inputs['poll-interval'],
    rollback: inputs.rollback,
    onCancel: inputs['on-cancel'],
    dryRun: inputs['dry-run'],
    ...strategyInputs(inputs),
  };
}
