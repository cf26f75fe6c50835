import type { Service } from '@aws-sdk/client-ecs';
import type { EcsApi } from './clients.js';
import { progressLine } from './progress.js';
import { describeReplacement, warnNotRollingBack } from './replacement.js';
import type { DeployDeps, DeployRequest, DeployResult, ServiceResult } from './request.js';
import { rollbackCommand, serviceResult } from './service-result.js';
import type { DeployStrategy } from './strategy.js';
import { type WatchTarget, watchDeployments } from './watch.js';

/**
 * The runner gives a cancelled step about 10 s (SIGINT, 7.5 s, SIGTERM, 2.5 s,
 * SIGKILL), so a rollback on cancel waits at most this long for the outcome.
 */
export const CANCEL_ROLLBACK_WAIT_MS = 6000;

/** The job was cancelled while waiting: leave the deployments (and say how to undo them) or roll them back. */
export async function handleCancel(
  result: DeployResult,
  targets: (WatchTarget & { service: Service; previous: string })[],
  request: DeployRequest,
  deps: DeployDeps,
  strategy: DeployStrategy,
): Promise<DeployResult> {
  const { logger, ecs } = deps;
  const commands = targets.map((t) => rollbackCommand(request.cluster, t.serviceName, t.previous));
  if (request.onCancel === 'leave') {
    logger.warning('Cancelled while waiting: the deployments continue in ECS (on-cancel: leave).');
    const now = await currentState(
      ecs,
      request.cluster,
      targets.map((t) => t.serviceName),
    );
    for (const [i, t] of targets.entries()) {
      const service = now.get(t.serviceName);
      logger.info(
        `${service ? progressLine(service, t.deploymentId) : `${t.serviceName}: state unknown`}; deployment ${t.deploymentId} left in progress.`,
      );
      logger.info(`  to roll back: ${commands[i]}`);
    }
    return {
      ...result,
      status: 'failed',
      services: targets.map((t) => serviceResult(t.service, 'cancelled', 'cancelled while waiting; left in progress', t.deploymentId)),
      notes: [`Cancelled while waiting; the deployments were left running. To roll back:\n\n\`\`\`sh\n${commands.join('\n')}\n\`\`\``],
      error: `The job was cancelled while waiting for the deployment (on-cancel: leave). To roll back: ${commands.join(' && ')}`,
    };
  }
  logger.warning(`Cancelled while waiting: rolling back (on-cancel: rollback), waiting at most ${CANCEL_ROLLBACK_WAIT_MS / 1000}s.`);
  // Right before each rollback: a service whose primary deployment is another actor's is left alone.
  const replaced = new Map<string, string>();
  await Promise.all(
    targets.map(async (t) => {
      const replacer = await strategy.replacedBy?.(ecs, request.cluster, t.serviceName, t.deploymentId);
      if (!replacer) return;
      const reason = `${describeReplacement(t, replacer)}; not rolled back`;
      warnNotRollingBack(logger, t.serviceName, reason);
      replaced.set(t.serviceName, reason);
    }),
  );
  const rollbacks = await Promise.all(
    targets
      .filter((t) => !replaced.has(t.serviceName) && (t.previous || !strategy.rollsBackToRevision))
      .map(async (t) => {
        const { deploymentId } = await strategy.rollback(ecs, {
          cluster: request.cluster,
          service: t.service,
          taskDefinitionArn: t.previous,
          deploymentId: t.deploymentId,
        });
        logger.info(`${t.serviceName}: rollback deployment ${deploymentId} started to ${t.previous}`);
        return { ...t, deploymentId };
      }),
  );
  const outcomes = rollbacks.length
    ? await (strategy.watch ?? watchDeployments)(rollbacks, {
        ecs,
        cluster: request.cluster,
        strategy,
        clock: deps.clock,
        logger,
        intervalMs: Math.min(request.pollIntervalMs, 1000),
        timeoutMs: Math.min(request.timeoutMs, CANCEL_ROLLBACK_WAIT_MS),
      })
    : new Map();
  const services: ServiceResult[] = targets.map((target) => {
    const why = replaced.get(target.serviceName);
    if (why) return serviceResult(target.service, 'failed', `cancelled; ${why}`, target.deploymentId);
    const t = rollbacks.find((r) => r.serviceName === target.serviceName);
    if (!t) return serviceResult(target.service, 'failed', 'cancelled; no earlier revision to roll back to', target.deploymentId);
    const outcome = outcomes.get(t.serviceName);
    const done = outcome?.assessment.state === 'succeeded';
    return serviceResult(
      outcome?.last ?? t.service,
      done ? 'rolled-back' : 'failed',
      done ? `cancelled; rolled back to ${t.previous}` : `cancelled; rollback to ${t.previous} started but not confirmed`,
      t.deploymentId,
    );
  });
  const all = services.every((s) => s.status === 'rolled-back');
  const unconfirmed = services.some((s) => s.status !== 'rolled-back' && !replaced.has(s.service));
  return {
    ...result,
    status: all ? 'rolled-back' : 'failed',
    services,
    notes: !unconfirmed
      ? []
      : [`Rollback started but not confirmed before the runner stops the step. Check, or run:\n\n\`\`\`sh\n${commands.join('\n')}\n\`\`\``],
    error: `The job was cancelled while waiting for the deployment (on-cancel: rollback): ${
      replaced.size
        ? [...replaced].map(([name, why]) => `${name}: ${why}`).join('; ')
        : all
          ? 'rolled back'
          : 'rollback started, not confirmed'
    }.`,
  };
}

/** One last look (no abort signal: the job is already cancelled), so the log shows where each service stands. */
async function currentState(ecs: EcsApi, cluster: string, names: string[]): Promise<Map<string, Service>> {
  const found = new Map<string, Service>();
  try {
    for (let i = 0; i < names.length; i += 10) {
      const response = await ecs.describeServices({ cluster, services: names.slice(i, i + 10) });
      for (const service of response.services ?? []) found.set(service.serviceName ?? '', service);
    }
  } catch {
    // best effort: the rollback commands are printed either way
  }
  return found;
}
