import { CancelledError, ConfigurationError, formatDuration } from '@baepo/action-kit';
import { awsCall } from './aws-errors.js';
import { nativeStrategy } from './native.js';
import { describeReplacement, warnNotRollingBack } from './replacement.js';
import type { DeployDeps, DeployRequest, DeployResult, ServiceResult } from './request.js';
import { assessServiceDeployment, awaitingHook, ROLLBACK_PREFIX, watchServiceDeployments } from './service-deployments.js';
import type { WatchOutcome } from './watch.js';

/**
 * Act on a deployment paused at a PAUSE lifecycle hook (typically in a later
 * job behind a GitHub Environment approval): ContinueServiceDeployment with
 * CONTINUE or ROLLBACK, then wait for the outcome as a deploy does.
 */
export async function resumeDeployment(
  request: DeployRequest,
  resume: NonNullable<DeployRequest['resume']>,
  deps: DeployDeps,
): Promise<DeployResult> {
  const { ecs, logger } = deps;
  const arn = resume.serviceDeploymentArn;
  const serviceName = arn.split('/')[2] ?? arn;
  const described = await awsCall('ecs:DescribeServiceDeployments', arn, () =>
    ecs.describeServiceDeployments({ serviceDeploymentArns: [arn] }),
  );
  const deployment = described.serviceDeployments?.find((d) => d.serviceDeploymentArn === arn);
  if (!deployment) {
    const why = described.failures?.[0]?.reason;
    throw new ConfigurationError(
      `Input 'resume': service deployment ${arn} was not found${why ? ` (${why})` : ''}. Use the 'service-deployment-arn' output of the run that paused.`,
      { input: 'resume' },
    );
  }
  const hook = awaitingHook(deployment);
  if (!hook?.hookId) {
    const state = assessServiceDeployment(deployment).state;
    throw new ConfigurationError(
      `Input 'resume': service deployment ${arn} is not paused: its status is ${deployment.status ?? 'unknown'} at stage ${deployment.lifecycleStage ?? 'unknown'} (${state}), and no PAUSE hook awaits action. Nothing was changed.`,
      { input: 'resume' },
    );
  }
  const action = resume.decision === 'rollback' ? 'ROLLBACK' : 'CONTINUE';
  await awsCall('ecs:ContinueServiceDeployment', arn, () =>
    ecs.continueServiceDeployment({ serviceDeploymentArn: arn, hookId: hook.hookId, action }),
  );
  logger.info(`${serviceName}: ${action} sent for hook ${hook.hookId} at ${deployment.lifecycleStage ?? 'unknown stage'} of ${arn}.`);
  const base: DeployResult = {
    status: 'started',
    deploymentId: arn,
    serviceDeploymentArn: arn,
    services: [],
    changes: [],
    diagnoses: [],
    notes: [],
  };
  if (!request.wait) return { ...base, services: [{ service: serviceName, status: 'started', deploymentId: arn }] };

  const id = resume.decision === 'rollback' ? `${ROLLBACK_PREFIX}${arn}` : arn;
  const options = {
    ecs,
    cluster: request.cluster,
    strategy: nativeStrategy({ kind: 'blue-green' }),
    clock: deps.clock,
    logger,
    signal: deps.signal,
    intervalMs: request.pollIntervalMs,
    timeoutMs: request.timeoutMs,
  };
  let outcome: WatchOutcome | undefined;
  try {
    outcome = (await watchServiceDeployments([{ serviceName, deploymentId: id, seenEvents: new Set() }], options)).get(serviceName);
  } catch (error) {
    if (!(deps.signal?.aborted && deps.signal.reason instanceof CancelledError)) throw error;
    outcome = undefined;
  }
  const assessment = outcome?.assessment ?? { state: 'timeout' as const };
  const service = (status: ServiceResult['status'], reason?: string, hookId?: string): ServiceResult => ({
    service: serviceName,
    status,
    deploymentId: arn,
    ...(reason ? { reason } : {}),
    ...(hookId ? { hookId } : {}),
  });
  if (resume.decision === 'rollback') {
    if (assessment.state === 'succeeded') {
      logger.info(`${serviceName}: rolled back as decided.`);
      return { ...base, status: 'rolled-back', services: [service('rolled-back', 'rolled back by decision')] };
    }
    const why = 'reason' in assessment ? assessment.reason : assessment.state;
    return { ...base, status: 'failed', services: [service('failed', why)], error: `The rollback of ${arn} did not complete: ${why}.` };
  }
  switch (assessment.state) {
    case 'succeeded':
      logger.info(`${serviceName}: deployment ${arn} succeeded.`);
      return { ...base, status: 'succeeded', services: [service('succeeded')] };
    case 'paused':
      logger.info(`${serviceName}: paused again at ${assessment.stage}; hook ${assessment.hookId} awaits a decision.`);
      return {
        ...base,
        status: 'paused',
        hookId: assessment.hookId,
        services: [service('paused', `paused at ${assessment.stage}`, assessment.hookId)],
      };
    case 'rolled-back':
      return {
        ...base,
        status: 'rolled-back',
        services: [service('rolled-back', assessment.reason)],
        error: `Deployment failed and was rolled back: ${serviceName}: ${assessment.reason}`,
      };
    default:
      return rollBackAfterResume(request, deps, { arn, serviceName, base, options, why: describe(assessment, request.timeoutMs) });
  }
}

function describe(assessment: WatchOutcome['assessment'], timeoutMs: number): string {
  if (assessment.state === 'timeout' || assessment.state === 'in-progress')
    return `not finished after ${formatDuration(timeoutMs)} (timeout)`;
  return 'reason' in assessment ? assessment.reason : assessment.state;
}

/** A continued deployment failed or timed out: with rollback auto, StopServiceDeployment ROLLBACK and wait for it. */
async function rollBackAfterResume(
  request: DeployRequest,
  deps: DeployDeps,
  {
    arn,
    serviceName,
    base,
    options,
    why,
  }: { arn: string; serviceName: string; base: DeployResult; options: Parameters<typeof watchServiceDeployments>[1]; why: string },
): Promise<DeployResult> {
  deps.logger.info(`${serviceName}: deployment ${arn} failed: ${why}`);
  if (request.rollback === 'none') {
    return {
      ...base,
      status: 'failed',
      services: [{ service: serviceName, status: 'failed', deploymentId: arn, reason: why }],
      error: `Deployment failed: ${serviceName}: ${why}`,
    };
  }
  const cluster = request.cluster || (arn.split('/')[1] ?? '');
  const replacer = await nativeStrategy({ kind: 'blue-green' }).replacedBy?.(deps.ecs, cluster, serviceName, arn);
  if (replacer) {
    const reason = `${describeReplacement({ deploymentId: arn }, replacer)}; ours: ${why}; not rolled back`;
    warnNotRollingBack(deps.logger, serviceName, reason);
    return {
      ...base,
      status: 'failed',
      services: [{ service: serviceName, status: 'failed', deploymentId: arn, reason }],
      error: `Deployment failed: ${serviceName}: ${reason}`,
    };
  }
  await awsCall('ecs:StopServiceDeployment', arn, () =>
    deps.ecs.stopServiceDeployment({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
  );
  deps.logger.info(`${serviceName}: rolling back (StopServiceDeployment ROLLBACK).`);
  const outcome = (
    await watchServiceDeployments([{ serviceName, deploymentId: `${ROLLBACK_PREFIX}${arn}`, seenEvents: new Set() }], {
      ...options,
      signal: undefined,
    })
  ).get(serviceName);
  const done = outcome?.assessment.state === 'succeeded';
  const reason = done ? `${why}; rolled back` : `${why}; the rollback did not complete`;
  return {
    ...base,
    status: done ? 'rolled-back' : 'failed',
    services: [{ service: serviceName, status: done ? 'rolled-back' : 'failed', deploymentId: arn, reason }],
    error: `Deployment ${done ? 'failed and was rolled back' : 'failed'}: ${serviceName}: ${reason}`,
  };
}
