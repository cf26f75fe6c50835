import type { CreateClusterRequest, DeleteClusterRequest, DescribeClustersRequest, ListClustersRequest } from '@aws-sdk/client-ecs';
import { AwsError } from '../errors.js';
import type { Operations } from '../operations.js';
import { lastSegment } from './arns.js';
import type { ClusterRecord } from './model.js';
import { page } from './paging.js';
import type { EcsState } from './state.js';

/** A cluster as DescribeClusters answers it, counts computed now. */
function clusterView(state: EcsState, record: ClusterRecord, withTags: boolean) {
  const tasks = state.tasksOf(record.name).filter((t) => t.data.lastStatus !== 'STOPPED');
  const services = [...state.services.values()].filter((s) => s.cluster === record.name && s.data.status === 'ACTIVE');
  return {
    ...record.data,
    runningTasksCount: tasks.filter((t) => t.data.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.data.lastStatus !== 'RUNNING').length,
    activeServicesCount: services.length,
    tags: withTags ? (state.tags.get(record.data.clusterArn ?? '') ?? []) : undefined,
  };
}

export const clusterOperations: Operations<EcsState> = {
  CreateCluster: (state, input: CreateClusterRequest) => {
    const name = input.clusterName ?? 'default';
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
      throw new AwsError('InvalidParameterException', 'Cluster name can only contain letters, numbers, hyphens and underscores.');
    }
    const existing = state.clusters.get(name);
    if (existing?.data.status === 'ACTIVE') return { cluster: clusterView(state, existing, true) };
    const record: ClusterRecord = {
      name,
      data: {
        clusterArn: state.arns.cluster(name),
        clusterName: name,
        status: 'ACTIVE',
        registeredContainerInstancesCount: 0,
        statistics: [],
        settings: input.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
        capacityProviders: input.capacityProviders ?? [],
        defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
      },
    };
    state.clusters.set(name, record);
    if (input.tags?.length) state.tags.set(record.data.clusterArn ?? '', input.tags);
    return { cluster: clusterView(state, record, true) };
  },

  DescribeClusters: (state, input: DescribeClustersRequest) => {
    const clusters = [];
    const failures = [];
    for (const ref of input.clusters?.length ? input.clusters : ['default']) {
      const record = state.clusters.get(lastSegment(ref));
      if (record) clusters.push(clusterView(state, record, input.include?.includes('TAGS') ?? false));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : state.arns.cluster(ref), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  ListClusters: (state, input: ListClustersRequest) => {
    const arns = [...state.clusters.values()].filter((c) => c.data.status === 'ACTIVE').map((c) => c.data.clusterArn ?? '');
    const { items, nextToken } = page(arns, input.maxResults ?? 100, input.nextToken);
    return { clusterArns: items, nextToken };
  },

  DeleteCluster: (state, input: DeleteClusterRequest) => {
    const record = state.cluster(input.cluster);
    if ([...state.services.values()].some((s) => s.cluster === record.name && s.data.status !== 'INACTIVE')) {
      throw new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
    }
    if (state.tasksOf(record.name).some((t) => t.data.lastStatus !== 'STOPPED')) {
      throw new AwsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
    }
    record.data.status = 'INACTIVE';
    return { cluster: clusterView(state, record, false) };
  },
};
