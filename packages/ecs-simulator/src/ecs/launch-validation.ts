import type { CapacityProviderStrategyItem, NetworkConfiguration } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../errors.js';
import type { TaskDefinitionRecord } from './model.js';

/** The launch checks CreateService, UpdateService and RunTask share, with ECS's wording. */
export function validateLaunch(
  definition: TaskDefinitionRecord,
  launch: { launchType?: string; capacityProviderStrategy?: CapacityProviderStrategyItem[]; networkConfiguration?: NetworkConfiguration },
): void {
  if (launch.launchType && launch.capacityProviderStrategy?.length) {
    throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
  }
  if (definition.data.networkMode === 'awsvpc' && !launch.networkConfiguration?.awsvpcConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if (launch.networkConfiguration?.awsvpcConfiguration && !launch.networkConfiguration.awsvpcConfiguration.subnets?.length) {
    throw invalidParameter('subnets can not be empty.');
  }
  const fargate =
    launch.launchType === 'FARGATE' || launch.capacityProviderStrategy?.some((s) => s.capacityProvider?.startsWith('FARGATE'));
  if (fargate && !definition.data.compatibilities?.includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
}
