import type { CapacityProviderStrategyItem, LaunchType, NetworkConfiguration, Tag, TaskOverride } from '@aws-sdk/client-ecs';
import { taskId, uuid } from '../ids.js';
import { epochSeconds } from '../wire.js';
import type { TaskDefinitionRecord, TaskPlan, TaskRecord } from './model.js';
import type { EcsState } from './state.js';

export interface Placement {
  cluster: string;
  taskDefinition: TaskDefinitionRecord;
  plan: TaskPlan;
  group: string;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  overrides?: TaskOverride;
  startedBy?: string;
  tags?: Tag[];
  service?: string;
  deploymentId?: string;
}

/** Launch type and capacity provider a task ends up with. */
export function resolveLaunch(
  launchType: string | undefined,
  strategy: CapacityProviderStrategyItem[] | undefined,
): { launchType: LaunchType; capacityProviderName?: string } {
  const provider = strategy?.find((s) => (s.weight ?? 0) > 0)?.capacityProvider ?? strategy?.[0]?.capacityProvider;
  if (provider) return { launchType: provider.startsWith('FARGATE') ? 'FARGATE' : 'EC2', capacityProviderName: provider };
  return { launchType: (launchType as LaunchType | undefined) ?? 'EC2' };
}

const privateIp = (): string => `10.0.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 2}`;

/** A new task in PROVISIONING, the way RunTask and the service scheduler create them. */
export function placeTask(state: EcsState, placement: Placement): TaskRecord {
  const id = taskId();
  const taskArn = state.arns.task(placement.cluster, id);
  const definition = placement.taskDefinition.data;
  const launch = resolveLaunch(placement.launchType, placement.capacityProviderStrategy);
  const vpc = placement.networkConfiguration?.awsvpcConfiguration;
  const eni =
    definition.networkMode === 'awsvpc'
      ? { id: uuid(), ip: privateIp(), subnet: vpc?.subnets?.[0] ?? 'subnet-00000000', eni: `eni-${taskId().slice(0, 17)}` }
      : undefined;
  const overrides = placement.overrides?.containerOverrides ?? [];
  const record: TaskRecord = {
    cluster: placement.cluster,
    age: 0,
    plan: placement.plan,
    service: placement.service,
    deploymentId: placement.deploymentId,
    data: {
      taskArn,
      clusterArn: state.arns.cluster(placement.cluster),
      taskDefinitionArn: definition.taskDefinitionArn,
      overrides: { containerOverrides: overrides, inferenceAcceleratorOverrides: [], ...placement.overrides },
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      cpu: definition.cpu,
      memory: definition.memory,
      containers: (definition.containerDefinitions ?? []).map((c) => ({
        containerArn: state.arns.container(placement.cluster, uuid()),
        taskArn,
        name: c.name,
        image: c.image,
        lastStatus: 'PENDING',
        networkInterfaces: eni ? [{ attachmentId: eni.id, privateIpv4Address: eni.ip }] : [],
        healthStatus: 'UNKNOWN',
        cpu: String(c.cpu ?? 0),
        memory: c.memory === undefined ? undefined : String(c.memory),
        memoryReservation: c.memoryReservation === undefined ? undefined : String(c.memoryReservation),
      })),
      startedBy: placement.startedBy,
      version: 1,
      createdAt: epochSeconds(),
      group: placement.group,
      launchType: launch.launchType,
      capacityProviderName: launch.capacityProviderName,
      platformVersion: launch.launchType === 'FARGATE' ? '1.4.0' : undefined,
      platformFamily: launch.launchType === 'FARGATE' ? 'Linux' : undefined,
      availabilityZone: `${state.config.region}a`,
      attachments: eni
        ? [
            {
              id: eni.id,
              type: 'ElasticNetworkInterface',
              status: 'PRECREATED',
              details: [
                { name: 'subnetId', value: eni.subnet },
                { name: 'networkInterfaceId', value: eni.eni },
                { name: 'privateIPv4Address', value: eni.ip },
              ],
            },
          ]
        : [],
      healthStatus: 'UNKNOWN',
      enableExecuteCommand: false,
      tags: placement.tags ?? [],
    },
  };
  state.tasks.set(taskArn, record);
  return record;
}
