import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { awsCall } from './aws-errors.js';
import type { Assessment } from './strategy.js';
import { type WatchOptions, type WatchOutcome, type WatchTarget, watchInBatches } from './watch.js';

/** A watch target whose deployment id is `ROLLBACK_PREFIX + arn` follows that deployment's rollback. */
export const ROLLBACK_PREFIX = 'rollback:';

/** Judge an ECS service deployment (DescribeServiceDeployments); pure. */
export function assessServiceDeployment(deployment: ServiceDeployment, followingRollback = false): Assessment {
  const reason = deploymentReason(deployment);
  switch (deployment.status) {
    case 'SUCCESSFUL':
      return followingRollback ? { state: 'failed', reason: 'the deployment completed instead of rolling back' } : { state: 'succeeded' };
    case 'ROLLBACK_SUCCESSFUL':
      return followingRollback ? { state: 'succeeded' } : { state: 'rolled-back', reason, complete: true };
    case 'ROLLBACK_FAILED':
      return { state: 'failed', reason: `the rollback failed: ${reason}` };
    case 'STOPPED':
      return { state: 'failed', reason: `stopped: ${reason}` };
    default: {
      const paused = awaitingHook(deployment);
      if (paused && !followingRollback) return { state: 'paused', hookId: paused.hookId ?? '', stage: deployment.lifecycleStage ?? '' };
      return { state: 'in-progress' };
    }
  }
}

/** The PAUSE hook that awaits a decision, if any. */
export function awaitingHook(deployment: ServiceDeployment) {
  return deployment.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION');
}

/** Why a deployment failed or rolled back, in the deployment's own words. */
export function deploymentReason(deployment: ServiceDeployment): string {
  const parts = [deployment.statusReason, deployment.rollback?.reason].filter((p): p is string => Boolean(p));
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  return unique.length ? unique.join('; ') : `status ${deployment.status ?? 'unknown'}`;
}

/** One line per stage entered: `api: PRODUCTION_TRAFFIC_SHIFT (production traffic 25%, test 100%), 2/4 tasks running`. */
export function stageLine(serviceName: string, deployment: ServiceDeployment): string {
  const revision = deployment.targetServiceRevision;
  const traffic = [
    revision?.requestedProductionTrafficWeight === undefined
      ? undefined
      : `production traffic ${revision.requestedProductionTrafficWeight}%`,
    revision?.requestedTestTrafficWeight === undefined ? undefined : `test traffic ${revision.requestedTestTrafficWeight}%`,
  ].filter((t): t is string => t !== undefined);
  const tasks =
    revision?.requestedTaskCount === undefined ? '' : `, ${revision.runningTaskCount ?? 0}/${revision.requestedTaskCount} tasks running`;
  const status = deployment.status === 'IN_PROGRESS' ? '' : ` [${deployment.status}]`;
  return `${serviceName}: stage ${deployment.lifecycleStage ?? 'unknown'}${traffic.length ? ` (${traffic.join(', ')})` : ''}${tasks}${status}`;
}

/**
 * Follow ECS service deployments (ids are service deployment ARNs) until each
 * is final, paused at a hook, or the timeout passes: one
 * DescribeServiceDeployments per poll for up to 20 deployments, each stage
 * logged once as it is entered.
 */
export async function watchServiceDeployments(targets: WatchTarget[], options: WatchOptions): Promise<Map<string, WatchOutcome>> {
  const { ecs, logger } = options;
  const stages = new Map<string, string>();
  const arnOf = (t: WatchTarget) => t.deploymentId.replace(ROLLBACK_PREFIX, '');
  return watchInBatches(targets, options, {
    batchSize: 20,
    operation: 'DescribeServiceDeployments',
    describe: async (chunk, signal) => {
      const response = await awsCall('ecs:DescribeServiceDeployments', arnOf(chunk[0] as WatchTarget), () =>
        ecs.describeServiceDeployments({ serviceDeploymentArns: chunk.map(arnOf) }, { signal }),
      );
      return response.serviceDeployments ?? [];
    },
    judge: (target, found: ServiceDeployment[]) => {
      const deployment = found.find((d) => d.serviceDeploymentArn === arnOf(target));
      if (!deployment) return { assessment: { state: 'failed', reason: `service deployment ${arnOf(target)} not found` } };
      // A stage once as entered; each traffic step of a linear or canary shift is a new entry.
      const key = `${deployment.status}/${deployment.lifecycleStage}/${deployment.targetServiceRevision?.requestedProductionTrafficWeight}`;
      if (stages.get(target.serviceName) !== key) {
        stages.set(target.serviceName, key);
        logger.info(stageLine(target.serviceName, deployment));
      }
      const assessment = assessServiceDeployment(deployment, target.deploymentId.startsWith(ROLLBACK_PREFIX));
      return assessment.state === 'in-progress' ? undefined : { assessment };
    },
    timedOut: () => ({ assessment: { state: 'timeout' } }),
  });
}
