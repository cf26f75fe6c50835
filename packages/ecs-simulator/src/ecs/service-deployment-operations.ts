import type {
  ContinueServiceDeploymentRequest,
  DescribeServiceDeploymentsRequest,
  ListServiceDeploymentsRequest,
  StopServiceDeploymentRequest,
} from '@aws-sdk/client-ecs';
import { AwsError, invalidParameter } from '../errors.js';
import type { Operations } from '../operations.js';
import { startDeployment } from './deployments.js';
import type { ServiceDeploymentRecord } from './model.js';
import { page } from './paging.js';
import { serviceDeploymentView, setStatus } from './service-deployments.js';
import type { EcsState } from './state.js';

/** Epoch seconds of an SDK timestamp as it arrives on the wire (number) or as a Date. */
const seconds = (value: unknown): number | undefined =>
  value === undefined || value === null ? undefined : value instanceof Date ? value.getTime() / 1000 : Number(value);

function serviceDeployment(state: EcsState, arn: string | undefined): ServiceDeploymentRecord {
  const record = state.serviceDeployments.get(arn ?? '');
  if (!record) throw new AwsError('ServiceDeploymentNotFoundException', `The service deployment ${arn} does not exist.`);
  return record;
}

const inProgress = (record: ServiceDeploymentRecord): boolean => record.data.status === 'IN_PROGRESS' || record.data.status === 'PENDING';

export const serviceDeploymentOperations: Operations<EcsState> = {
  ListServiceDeployments: (state, input: ListServiceDeploymentsRequest) => {
    const cluster = state.cluster(input.cluster);
    const service = state.service(cluster.name, input.service);
    const after = seconds(input.createdAt?.after);
    const before = seconds(input.createdAt?.before);
    const briefs = [...state.serviceDeployments.values()]
      .filter((r) => r.cluster === cluster.name && r.service === service.name)
      .filter((r) => !input.status?.length || input.status.includes(r.data.status as never))
      .filter((r) => after === undefined || (r.data.createdAt ?? 0) >= after)
      .filter((r) => before === undefined || (r.data.createdAt ?? 0) <= before)
      .reverse()
      .map((r) => ({
        serviceDeploymentArn: r.arn,
        serviceArn: r.data.serviceArn,
        clusterArn: r.data.clusterArn,
        startedAt: r.data.startedAt,
        createdAt: r.data.createdAt,
        finishedAt: r.data.finishedAt,
        targetServiceRevisionArn: r.target.revisionArn,
        status: r.data.status,
        statusReason: r.data.statusReason,
      }));
    const { items, nextToken } = page(briefs, input.maxResults ?? 20, input.nextToken);
    return { serviceDeployments: items, nextToken };
  },

  DescribeServiceDeployments: (state, input: DescribeServiceDeploymentsRequest) => {
    const arns = input.serviceDeploymentArns ?? [];
    if (!arns.length) throw invalidParameter('serviceDeploymentArns cannot be empty.');
    if (arns.length > 20) throw invalidParameter('Too many service deployments. Maximum of 20 can be described at once.');
    const serviceDeployments = [];
    const failures = [];
    for (const arn of arns) {
      const record = state.serviceDeployments.get(arn);
      if (record) serviceDeployments.push(serviceDeploymentView(state, record));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceDeployments, failures };
  },

  StopServiceDeployment: (state, input: StopServiceDeploymentRequest) => {
    const record = serviceDeployment(state, input.serviceDeploymentArn);
    const stopType = input.stopType ?? 'ROLLBACK';
    if (stopType !== 'ROLLBACK') {
      throw invalidParameter(`stopType ${stopType} is not supported by the ECS simulator; use ROLLBACK.`);
    }
    if (!inProgress(record)) {
      throw new AwsError(
        'ConflictException',
        `The service deployment ${record.arn} is in status ${record.data.status} and cannot be stopped.`,
      );
    }
    const reason = 'Service deployment rolled back by StopServiceDeployment.';
    if (record.strategy !== 'ROLLING') {
      record.rollbackReason = reason;
      setStatus(record, 'ROLLBACK_REQUESTED', reason);
      return { serviceDeploymentArn: record.arn };
    }
    const service = state.service(record.cluster, record.service);
    const previous = record.sources[0]?.data.taskDefinition ?? service.lastCompletedTaskDefinition;
    if (!previous) throw invalidParameter(`The service deployment ${record.arn} has no previous service revision to roll back to.`);
    const target = record.target;
    target.data.rolloutState = 'FAILED';
    target.data.rolloutStateReason = reason;
    startDeployment(state, service, previous, { scenario: { kind: 'healthy' }, reason, rollbackOf: target });
    return { serviceDeploymentArn: record.arn };
  },

  ContinueServiceDeployment: (state, input: ContinueServiceDeploymentRequest) => {
    const record = serviceDeployment(state, input.serviceDeploymentArn);
    const hook = record.hooks.find((h) => h.detail.hookId === input.hookId);
    if (!hook) {
      throw invalidParameter(`The lifecycle hook ${input.hookId} is not active for the service deployment ${record.arn}.`);
    }
    if (hook.detail.status !== 'AWAITING_ACTION' || !inProgress(record)) {
      throw invalidParameter(
        `The lifecycle hook ${input.hookId} is not awaiting action (hook status ${hook.detail.status}, service deployment status ${record.data.status}).`,
      );
    }
    const action = input.action ?? 'CONTINUE';
    if (action === 'CONTINUE') {
      hook.detail.status = 'SUCCEEDED';
    } else {
      hook.detail.status = 'FAILED';
      record.rollbackReason = `Service deployment rolled back by ContinueServiceDeployment on lifecycle hook ${input.hookId}.`;
      setStatus(record, 'ROLLBACK_REQUESTED', record.rollbackReason);
    }
    return { serviceDeploymentArn: record.arn };
  },
};
