import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { AwsError } from '../errors.js';

/** What the simulator reads from an ECS AppSpec. */
export interface EcsAppSpec {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  /** Lifecycle event → Lambda function (name or ARN). */
  hooks: Map<string, string>;
}

const invalid = (message: string): AwsError => new AwsError('InvalidRevisionException', message);

/**
 * Parse `revision.appSpecContent` (YAML or JSON) the way CodeDeploy does for ECS:
 * Resources[0].TargetService.Properties.{TaskDefinition, LoadBalancerInfo.{ContainerName, ContainerPort}}, Hooks.
 */
export function parseAppSpec(content: string | undefined, sha256: string | undefined): EcsAppSpec {
  if (!content?.trim()) throw invalid('The AppSpec content is empty.');
  if (sha256 && createHash('sha256').update(content).digest('hex') !== sha256.toLowerCase()) {
    throw invalid('The sha256 of the AppSpec content does not match the sha256 specified.');
  }
  let doc: unknown;
  try {
    doc = parse(content);
  } catch (error) {
    throw invalid(`The AppSpec content is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const spec = (doc ?? {}) as Record<string, unknown>;
  const resources = Array.isArray(spec.Resources) ? (spec.Resources as Record<string, unknown>[]) : [];
  const target = Object.values(resources[0] ?? {})[0] as Record<string, unknown> | undefined;
  if (target?.Type !== 'AWS::ECS::Service') throw invalid('The AppSpec must have one resource of Type AWS::ECS::Service.');
  const properties = (target.Properties ?? {}) as Record<string, unknown>;
  const lb = (properties.LoadBalancerInfo ?? {}) as Record<string, unknown>;
  if (typeof properties.TaskDefinition !== 'string' || !properties.TaskDefinition) {
    throw invalid('The AppSpec resource must specify Properties.TaskDefinition.');
  }
  if (typeof lb.ContainerName !== 'string' || lb.ContainerPort === undefined) {
    throw invalid('The AppSpec resource must specify Properties.LoadBalancerInfo ContainerName and ContainerPort.');
  }
  const hooks = new Map<string, string>();
  for (const entry of Array.isArray(spec.Hooks) ? (spec.Hooks as Record<string, unknown>[]) : []) {
    for (const [event, fn] of Object.entries(entry ?? {})) hooks.set(event, String(fn));
  }
  return {
    taskDefinition: properties.TaskDefinition,
    containerName: lb.ContainerName,
    containerPort: Number(lb.ContainerPort),
    hooks,
  };
}
