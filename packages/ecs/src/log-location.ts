import type { ContainerDefinition } from '@aws-sdk/client-ecs';

export interface LogLocation {
  group: string;
  stream: string;
  region?: string;
}

/** Where awslogs puts a container's output for a task: `<prefix>/<container>/<task-id>`; undefined without awslogs. */
export function awslogsLocation(container: ContainerDefinition | undefined, taskId: string): LogLocation | undefined {
  const config = container?.logConfiguration;
  if (config?.logDriver !== 'awslogs') return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  const region = config.options?.['awslogs-region'];
  return { group, stream: `${prefix}/${container?.name}/${taskId}`, ...(region ? { region } : {}) };
}

export function taskIdOf(taskArn: string | undefined): string {
  return (taskArn ?? '').split('/').pop() ?? '';
}
