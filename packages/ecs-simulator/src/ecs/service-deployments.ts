import { randomBytes } from 'node:crypto';
import type { ServiceRevisionSummary } from '@aws-sdk/client-ecs';
import { deploymentId } from '../ids.js';
import type { ServiceDeploymentProgress } from '../types.js';
import { epochSeconds, type Wire } from '../wire.js';
import { invokeHooks } from './lifecycle-hooks.js';
import type { DeploymentRecord, ServiceDeploymentRecord, ServiceRecord } from './model.js';
import type { EcsState } from './state.js';
import { isAlive } from './task-lifecycle.js';

/** Service deployment statuses after which nothing changes any more. */
export const FINAL_STATUSES = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/** A service deployment id like ECS's: 20 characters of [A-Za-z0-9_-]. */
const serviceDeploymentId = (): string => randomBytes(15).toString('base64url');

/** The strategy a new deployment of the service follows. */
export const strategyOf = (service: ServiceRecord): string => service.data.deploymentConfiguration?.strategy ?? 'ROLLING';

/**
 * Record a new deployment as a service deployment, as ECS does for every deployment.
 * A rollback deployment joins the service deployment it rolls back instead.
 */
export function registerServiceDeployment(
  state: EcsState,
  service: ServiceRecord,
  target: DeploymentRecord,
  rollbackOf?: DeploymentRecord,
): void {
  target.revisionArn = state.arns.serviceRevision(service.cluster, service.name, deploymentId().slice('ecs-svc/'.length));
  const now = epochSeconds();
  const rolledBack = rollbackOf?.serviceDeploymentArn ? state.serviceDeployments.get(rollbackOf.serviceDeploymentArn) : undefined;
  if (rolledBack) {
    target.serviceDeploymentArn = rolledBack.arn;
    rolledBack.rollbackDeployment = target;
    rolledBack.data.rollback = { reason: target.data.rolloutStateReason, startedAt: now, serviceRevisionArn: target.revisionArn };
    setStatus(rolledBack, 'ROLLBACK_IN_PROGRESS', rollbackOf?.data.rolloutStateReason);
    return;
  }
  for (const previous of state.serviceDeployments.values()) {
    if (previous.cluster === service.cluster && previous.service === service.name && !previous.done) {
      finish(previous, 'STOPPED', 'Service deployment was stopped because a newer service deployment started.');
    }
  }
  const arn = state.arns.serviceDeployment(service.cluster, service.name, serviceDeploymentId());
  target.serviceDeploymentArn = arn;
  const strategy = strategyOf(service);
  const native = strategy !== 'ROLLING';
  const configuration = service.data.deploymentConfiguration;
  const record: ServiceDeploymentRecord = {
    arn,
    cluster: service.cluster,
    service: service.name,
    strategy,
    target,
    sources: service.deployments.filter((d) => d !== target),
    stages: native ? ['PRE_SCALE_UP'] : [],
    stageTick: state.tick,
    hooks: [],
    productionWeight: 0,
    testWeight: 0,
    done: false,
    data: {
      serviceDeploymentArn: arn,
      serviceArn: service.data.serviceArn,
      clusterArn: service.data.clusterArn,
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      status: 'IN_PROGRESS',
      lifecycleStage: native ? 'PRE_SCALE_UP' : undefined,
      deploymentConfiguration: configuration ? structuredClone(configuration) : undefined,
    },
  };
  state.serviceDeployments.set(arn, record);
  if (native) invokeHooks(state, record, 'PRE_SCALE_UP');
}

export function setStatus(record: ServiceDeploymentRecord, status: string, reason?: string): void {
  if (record.data.status === status && record.data.statusReason === reason) return;
  record.data.status = status as ServiceDeploymentRecord['data']['status'];
  if (reason !== undefined) record.data.statusReason = reason;
  record.data.updatedAt = epochSeconds();
}

/** A final status: finishedAt (and stoppedAt for STOPPED / rollbacks). */
export function finish(record: ServiceDeploymentRecord, status: string, reason?: string): void {
  setStatus(record, status, reason);
  const now = epochSeconds();
  record.data.finishedAt = now;
  if (status !== 'SUCCESSFUL') record.data.stoppedAt = now;
  record.done = true;
}

/**
 * Once per tick after the schedulers: a rolling service deployment follows its
 * deployment's rolloutState; a native rollback finishes when the green tasks are gone.
 */
export function progressServiceDeployments(state: EcsState): void {
  for (const record of state.serviceDeployments.values()) {
    if (record.done) continue;
    const target = record.target.data;
    if (record.rollbackDeployment) {
      const rollback = record.rollbackDeployment.data.rolloutState;
      if (rollback === 'COMPLETED') finish(record, 'ROLLBACK_SUCCESSFUL');
      else if (rollback === 'FAILED') finish(record, 'ROLLBACK_FAILED', record.rollbackDeployment.data.rolloutStateReason);
      continue;
    }
    if (record.data.status === 'ROLLBACK_IN_PROGRESS') {
      const greenAlive = [...state.tasks.values()].some((t) => t.deploymentId === target.id && isAlive(t));
      if (!greenAlive) finish(record, 'ROLLBACK_SUCCESSFUL');
      continue;
    }
    if (record.strategy !== 'ROLLING') continue;
    if (target.rolloutState === 'COMPLETED') finish(record, 'SUCCESSFUL', target.rolloutStateReason);
    else if (target.rolloutState === 'FAILED') finish(record, 'STOPPED', target.rolloutStateReason);
  }
}

function revision(deployment: DeploymentRecord, production?: number, test?: number): Wire<ServiceRevisionSummary> {
  return {
    arn: deployment.revisionArn,
    requestedTaskCount: deployment.data.desiredCount,
    runningTaskCount: deployment.data.runningCount,
    pendingTaskCount: deployment.data.pendingCount,
    requestedProductionTrafficWeight: production,
    requestedTestTrafficWeight: test,
  };
}

/** The service deployment as DescribeServiceDeployments answers it. */
export function serviceDeploymentView(state: EcsState, record: ServiceDeploymentRecord) {
  const native = record.strategy !== 'ROLLING';
  const breaker = record.data.deploymentConfiguration?.deploymentCircuitBreaker;
  const service = state.services.get(`${record.cluster}/${record.service}`);
  const desired = service?.data.desiredCount ?? 0;
  return {
    ...record.data,
    targetServiceRevision: revision(record.target, native ? record.productionWeight : undefined, native ? record.testWeight : undefined),
    sourceServiceRevisions: record.sources.map((d) =>
      revision(d, native ? 100 - record.productionWeight : undefined, native ? 100 - record.testWeight : undefined),
    ),
    lifecycleHookDetails: native ? record.hooks.map((h) => h.detail) : undefined,
    deploymentCircuitBreaker: {
      status: breaker?.enable ? (record.data.status === 'IN_PROGRESS' ? 'MONITORING' : 'MONITORING_COMPLETE') : 'DISABLED',
      failureCount: record.target.data.failedTasks ?? 0,
      threshold: state.config.circuitBreakerThreshold ?? Math.min(Math.max(3, Math.ceil(desired / 2)), 200),
    },
  };
}

/** The simulator's own view (control API). */
export function progressView(record: ServiceDeploymentRecord): ServiceDeploymentProgress {
  return {
    serviceDeploymentArn: record.arn,
    cluster: record.cluster,
    service: record.service,
    strategy: record.strategy,
    status: record.data.status ?? '',
    lifecycleStage: record.data.lifecycleStage,
    productionTrafficWeight: record.productionWeight,
    testTrafficWeight: record.testWeight,
    stages: [...record.stages],
  };
}
