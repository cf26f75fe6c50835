import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { isAwsError } from '@baepo/aws';
import { awsCall } from './aws-errors.js';
import type { EcsApi } from './clients.js';

/** Where ARNs point: the region and account of the cluster. */
export interface Location {
  region: string;
  account: string;
}

/** The cluster exists and is ACTIVE; returns its ARN. Lists clusters when it does not. */
export async function resolveCluster(ecs: EcsApi, cluster: string, region: string): Promise<{ arn: string; location: Location }> {
  const resource = `arn:aws:ecs:${region}:*:cluster/${cluster}`;
  const described = await awsCall('ecs:DescribeClusters', resource, () => ecs.describeClusters({ clusters: [cluster] }));
  const found = described.clusters?.find((c) => c.status === 'ACTIVE');
  if (!found?.clusterArn) {
    const names = await listNames(() => ecs.listClusters({ maxResults: 100 }).then((r) => r.clusterArns ?? []));
    throw new ConfigurationError(
      `Input 'cluster': cluster ${quote(cluster)} does not exist (or is inactive) in ${region}. ${existing('Clusters', names)}`,
      { input: 'cluster' },
    );
  }
  const account = found.clusterArn.split(':')[4] ?? '*';
  return { arn: found.clusterArn, location: { region, account } };
}

/** Every named service, ACTIVE, in one DescribeServices per 10. Lists services when one is missing. */
export async function resolveServices(ecs: EcsApi, cluster: string, names: string[], location: Location): Promise<Service[]> {
  const result: Service[] = [];
  for (let i = 0; i < names.length; i += 10) {
    const chunk = names.slice(i, i + 10);
    const resource = `arn:aws:ecs:${location.region}:${location.account}:service/${cluster}/*`;
    const described = await awsCall('ecs:DescribeServices', resource, () => ecs.describeServices({ cluster, services: chunk })).catch(
      (error: unknown) => {
        if (isAwsError(error, 'ClusterNotFoundException')) {
          throw new ConfigurationError(`Input 'cluster': cluster ${quote(cluster)} does not exist in ${location.region}.`, {
            input: 'cluster',
          });
        }
        throw error;
      },
    );
    for (const name of chunk) {
      const service = described.services?.find((s) => (s.serviceName === name || s.serviceArn === name) && s.status !== 'INACTIVE');
      if (!service) {
        const existingNames = await listNames(() => ecs.listServices({ cluster, maxResults: 100 }).then((r) => r.serviceArns ?? []));
        throw new ConfigurationError(
          `Input 'service': service ${quote(name)} does not exist (or is inactive) in cluster ${quote(cluster)}. ${existing('Services', existingNames)}`,
          { input: 'service' },
        );
      }
      const controller = service.deploymentController?.type ?? 'ECS';
      if (controller === 'EXTERNAL') {
        throw new ConfigurationError(
          `Input 'service': service ${quote(name)} uses the EXTERNAL deployment controller; ecs-deploy drives ECS (rolling, blue-green, linear, canary) and CODE_DEPLOY services. Deploy it with your external controller instead.`,
          { input: 'service' },
        );
      }
      result.push(service);
    }
  }
  return result;
}

async function listNames(list: () => Promise<string[]>): Promise<string[] | undefined> {
  try {
    return (await list()).map((arn) => arn.split('/').pop() ?? arn);
  } catch {
    return undefined;
  }
}

function existing(what: string, names: string[] | undefined): string {
  if (names === undefined) return 'Check the name and the region.';
  if (names.length === 0) return `There are none in this region: check the region (AWS_REGION).`;
  return `${what} there: ${names.join(', ')}.`;
}
