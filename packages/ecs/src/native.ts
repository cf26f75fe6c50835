import type { ServiceDeploymentBrief } from '@aws-sdk/client-ecs';
import { isAwsError } from '@baepo/aws';
import { awsCall } from './aws-errors.js';
import type { EcsApi } from './clients.js';
import { type NativeOptions, nativeDeploymentConfiguration } from './native-config.js';
import { checkNativeReadiness } from './native-preflight.js';
import { ROLLBACK_PREFIX, watchServiceDeployments } from './service-deployments.js';
import type { DeployStrategy } from './strategy.js';

/**
 * ECS-native blue/green, linear or canary: UpdateService with
 * `deploymentConfiguration.strategy` (and bake times, steps, a PAUSE hook),
 * followed through ListServiceDeployments / DescribeServiceDeployments; a
 * rollback is StopServiceDeployment with stopType ROLLBACK. Deployment ids are
 * service deployment ARNs.
 */
export function nativeStrategy(options: NativeOptions): DeployStrategy {
  return {
    name: options.kind,

    async start(ecs, { cluster, service, taskDefinitionArn, desiredCount, forceNewDeployment }) {
      checkNativeReadiness(service, options.kind);
      const resource = service.serviceArn ?? service.serviceName ?? '';
      const response = await awsCall('ecs:UpdateService', resource, () =>
        ecs.updateService({
          cluster,
          service: service.serviceName,
          taskDefinition: taskDefinitionArn,
          deploymentConfiguration: nativeDeploymentConfiguration(service.deploymentConfiguration, options),
          ...(desiredCount === undefined ? {} : { desiredCount }),
          forceNewDeployment,
        }),
      );
      const arn = await latestServiceDeployment(ecs, cluster, service.serviceName ?? '', resource);
      return { deploymentId: arn, service: response.service ?? service };
    },

    /** Not used: `watch` follows the service deployment itself. */
    assess() {
      return { state: 'in-progress' };
    },

    async rollback(ecs, { deploymentId }) {
      if (!deploymentId) throw new Error('a native rollback needs the service deployment ARN');
      try {
        await awsCall('ecs:StopServiceDeployment', deploymentId, () =>
          ecs.stopServiceDeployment({ serviceDeploymentArn: deploymentId, stopType: 'ROLLBACK' }),
        );
      } catch (error) {
        // Already final (stopped, rolled back): the watch reports the state it is in.
        if (!isAwsError(error, 'InvalidParameterException') && !isAwsError(error, 'ConflictException')) throw error;
      }
      return { deploymentId: `${ROLLBACK_PREFIX}${deploymentId}` };
    },

    watch: watchServiceDeployments,
  };
}

/** The service deployment UpdateService just started: the newest pending or in-progress one. */
export async function latestServiceDeployment(ecs: EcsApi, cluster: string, service: string, resource: string): Promise<string> {
  const response = await awsCall('ecs:ListServiceDeployments', resource, () =>
    ecs.listServiceDeployments({ cluster, service, status: ['PENDING', 'IN_PROGRESS'] }),
  );
  const newest = [...(response.serviceDeployments ?? [])].sort(byNewest)[0];
  if (!newest?.serviceDeploymentArn)
    throw new Error(`ListServiceDeployments shows no deployment in progress for ${service} after UpdateService`);
  return newest.serviceDeploymentArn;
}

function byNewest(a: ServiceDeploymentBrief, b: ServiceDeploymentBrief): number {
  return (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);
}
