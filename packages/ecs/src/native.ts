import type { ListServiceDeploymentsCommandInput, Service, ServiceDeploymentBrief, ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { isAwsError } from '@baepo/aws';
import { awsCall } from './aws-errors.js';
import type { EcsApi } from './clients.js';
import { type NativeOptions, nativeDeploymentConfiguration } from './native-config.js';
import { checkNativeReadiness } from './native-preflight.js';
import { describeService, familyRevision, isSettled, primaryOf, settleState } from './primary-deployment.js';
import { ROLLBACK_PREFIX, watchServiceDeployments } from './service-deployments.js';
import type { DeployStrategy, Standing } from './strategy.js';

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

    async standing(ecs, cluster, service) {
      return nativeStanding(ecs, cluster, service);
    },

    async replacedBy(ecs, cluster, serviceName, deploymentId) {
      const resource = `service/${cluster}/${serviceName}`;
      const described = await awsCall('ecs:DescribeServiceDeployments', deploymentId, () =>
        ecs.describeServiceDeployments({ serviceDeploymentArns: [deploymentId] }),
      );
      const since = described.serviceDeployments?.[0]?.createdAt;
      const newer = (
        await listServiceDeployments(ecs, { cluster, service: serviceName, ...(since ? { createdAt: { after: since } } : {}) }, resource)
      )
        .filter((d) => d.serviceDeploymentArn !== deploymentId && (!since || (d.createdAt?.getTime() ?? 0) >= since.getTime()))
        .sort(byNewest)[0];
      if (!newer?.serviceDeploymentArn) return undefined;
      const service = await describeService(ecs, cluster, serviceName);
      const primary = service ? primaryOf(service).primary : undefined;
      const created = newer.createdAt ? `, created ${newer.createdAt.toISOString()}` : '';
      return `service deployment ${newer.serviceDeploymentArn} (task definition ${familyRevision(primary?.taskDefinition)}, ${newer.status ?? 'unknown'}${created})`;
    },

    watch: watchServiceDeployments,
  };
}

/** Service deployments that are still going somewhere (a rollback included). */
const UNFINISHED: ServiceDeploymentStatus[] = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'];

/**
 * A native service already on the revision: a service deployment still under way is followed
 * like a new one; with none, settled when DescribeServices shows it steady, else reported as it is.
 */
async function nativeStanding(ecs: EcsApi, cluster: string, service: Service): Promise<Standing> {
  const name = service.serviceName ?? '';
  const underway = (await listServiceDeployments(ecs, { cluster, service: name, status: UNFINISHED }, service.serviceArn ?? name)).sort(
    byNewest,
  )[0];
  const revision = familyRevision(service.taskDefinition);
  if (!underway?.serviceDeploymentArn) {
    if (isSettled(service)) return { kind: 'settled' };
    return {
      kind: 'unsettled',
      state: `${revision} is the PRIMARY deployment but not settled (${settleState(service)}) and no service deployment is under way`,
    };
  }
  const { replaced } = primaryOf(service);
  return {
    kind: 'follow',
    deploymentId: underway.serviceDeploymentArn,
    ...(replaced?.taskDefinition ? { previous: replaced.taskDefinition } : {}),
    state: `${revision} is the target of service deployment ${underway.serviceDeploymentArn} (${underway.status ?? 'unknown'}), ${settleState(service)}`,
  };
}

/** Every page of ListServiceDeployments (its order is not documented: callers sort by createdAt). */
async function listServiceDeployments(
  ecs: EcsApi,
  input: ListServiceDeploymentsCommandInput,
  resource: string,
): Promise<ServiceDeploymentBrief[]> {
  const found: ServiceDeploymentBrief[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const response = await awsCall('ecs:ListServiceDeployments', resource, () =>
      ecs.listServiceDeployments({ ...input, ...(nextToken ? { nextToken } : {}) }),
    );
    found.push(...(response.serviceDeployments ?? []));
    nextToken = response.nextToken;
    if (!nextToken) break;
  }
  return found;
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
