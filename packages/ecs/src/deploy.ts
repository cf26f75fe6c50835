import type { Service } from '@aws-sdk/client-ecs';
import { CancelledError, formatDuration } from '@baepo/action-kit';
import { awsCall } from './aws-errors.js';
import { handleCancel } from './cancel.js';
import { type Diagnosis, diagnoseDeployment, diagnosisLines } from './diagnose.js';
import { formatChanges } from './diff.js';
import { runMigration } from './migration.js';
import { unrequestedPauseStages } from './native-config.js';
import { type Plan, prepareDeploy } from './prepare.js';
import { primaryOf } from './primary-deployment.js';
import { describeReplacement, warnNotRollingBack } from './replacement.js';
import type { DeployDeps, DeployRequest, DeployResult, DeployStatus, ServiceResult } from './request.js';
import { resumeDeployment } from './resume.js';
import { selectStrategy } from './select-strategy.js';
import { isServiceDeploymentArn } from './service-deployment-arn.js';
import { rollbackCommand, serviceResult } from './service-result.js';
import type { DeployStrategy, Standing } from './strategy.js';
import { type WatchTarget, watchDeployments } from './watch.js';

/**
 * Deploy one task definition revision to zero or more services: validate and
 * render (read-only), register once, run the migration task, start every
 * service's deployment in parallel, wait, explain failures, roll back.
 */
export async function deploy(request: DeployRequest, deps: DeployDeps): Promise<DeployResult> {
  const { logger } = deps;
  if (request.resume) return resumeDeployment(request, request.resume, deps);
  const plan = await prepareDeploy(request, deps);
  const strategy = deps.strategy ?? selectStrategy(request.strategy ?? {}, plan.services, deps);
  const previous = plan.services[0]?.taskDefinition;
  const base: DeployResult = {
    status: 'unchanged',
    ...(previous ? { previousTaskDefinitionArn: previous } : {}),
    services: [],
    changes: plan.changes,
    diagnoses: [],
    notes: [],
  };

  logChanges(plan, deps);
  const countChange =
    request.desiredCount !== undefined && plan.services.some((s) => s.desiredCount !== request.desiredCount) && plan.services.length > 0;
  const needsUpdate = !plan.unchanged || request.forceNewDeployment || countChange;

  if (request.dryRun) {
    const action = !needsUpdate
      ? 'nothing would change'
      : `${plan.reuseArn ? `would deploy existing ${plan.reuseArn}` : `would register a new revision of ${plan.rendered.family}`}${
          plan.services.length ? ` and update ${plan.services.map((s) => s.serviceName).join(', ')}` : ''
        }${request.runTaskCommand ? ` after running ${JSON.stringify(request.runTaskCommand)}` : ''}`;
    logger.info(`Dry run: ${action}. Nothing was changed.`);
    return {
      ...base,
      status: 'dry-run',
      ...(plan.reuseArn ? { taskDefinitionArn: plan.reuseArn } : {}),
      services: plan.services.map((s) => ({ service: s.serviceName ?? '', status: 'dry-run', taskDefinition: s.taskDefinition })),
      notes: [`Dry run: ${action}.`],
    };
  }

  if (!needsUpdate) {
    // "Unchanged" only when the revision is each service's COMPLETED, steady primary deployment.
    const standings = await Promise.all(
      plan.services.map(async (service) => ({
        service,
        standing: (await strategy.standing?.(deps.ecs, request.cluster, service)) ?? { kind: 'settled' as const },
      })),
    );
    if (standings.every((s) => s.standing.kind === 'settled')) {
      logger.info(`Unchanged: ${plan.reuseArn ?? 'the task definition'} is what runs now; nothing registered or deployed.`);
      return {
        ...base,
        status: 'unchanged',
        ...(plan.reuseArn ? { taskDefinitionArn: plan.reuseArn } : {}),
        services: plan.services.map((s) => serviceResult(s, 'unchanged')),
      };
    }
    return followUnsettled(standings, base, plan, request, deps, strategy);
  }

  stopIfCancelled(deps, 'nothing was changed');
  const taskDefinitionArn = plan.reuseArn ?? (await register(plan, deps));
  const result: DeployResult = { ...base, status: 'succeeded', taskDefinitionArn };
  if (plan.services.length === 0) return result;

  if (request.runTaskCommand && plan.runTaskContainer) {
    const migration = await runMigration(deps, {
      cluster: request.cluster,
      taskDefinitionArn,
      containers: plan.rendered.containerDefinitions ?? [],
      container: plan.runTaskContainer,
      command: request.runTaskCommand,
      service: plan.services[0],
      timeoutMs: request.timeoutMs,
      intervalMs: request.pollIntervalMs,
      roles: [plan.rendered.taskRoleArn, plan.rendered.executionRoleArn],
    });
    if (!migration.ok) {
      for (const line of migration.details) logger.info(line);
      return {
        ...result,
        status: 'failed',
        services: plan.services.map((s) => serviceResult(s, 'failed', 'not updated: the migration failed')),
        notes: [`#### Migration failed\n\n\`\`\`\n${migration.details.join('\n')}\n\`\`\``],
        error: `The migration task failed (${migration.reason}); no service was updated (${taskDefinitionArn} is not deployed).`,
      };
    }
  }

  for (const service of plan.services) {
    const stages = unrequestedPauseStages(service.deploymentConfiguration, request.strategy?.pauseAt);
    if (stages.length) {
      logger.warning(
        `${service.serviceName}: the service has a PAUSE lifecycle hook at ${stages.join(', ')} (ECS keeps hooks from earlier deployments, e.g. an earlier 'pause-at'); this deployment will stop there and end with status 'paused' until it is resumed. Remove the hook from the service's deploymentConfiguration.lifecycleHooks if that is not wanted.`,
      );
    }
  }
  stopIfCancelled(deps, `no service was updated (${taskDefinitionArn} is not deployed)`);
  const targets: (WatchTarget & { service: Service; previous: string })[] = await Promise.all(
    plan.services.map(async (service) => {
      const started = await strategy.start(deps.ecs, {
        cluster: request.cluster,
        service,
        taskDefinitionArn,
        ...(request.desiredCount === undefined ? {} : { desiredCount: request.desiredCount }),
        forceNewDeployment: request.forceNewDeployment,
      });
      logger.info(`${service.serviceName}: deployment ${started.deploymentId} started (${strategy.name}) with ${taskDefinitionArn}`);
      return {
        serviceName: service.serviceName ?? '',
        deploymentId: started.deploymentId,
        seenEvents: new Set((service.events ?? []).map((e) => e.id ?? '')),
        service: started.service,
        previous: service.taskDefinition ?? '',
      };
    }),
  );
  return followDeployments(targets, result, plan, request, deps, strategy);
}

/**
 * A re-run on services already on the revision but not settled: each service's deployment
 * is followed like a new one (outcome reported, rolled back per the inputs); a service
 * with nothing to follow fails saying what state it is in; settled ones are unchanged.
 */
async function followUnsettled(
  standings: { service: Service; standing: Standing }[],
  base: DeployResult,
  plan: Plan,
  request: DeployRequest,
  deps: DeployDeps,
  strategy: DeployStrategy,
): Promise<DeployResult> {
  const targets: DeployTarget[] = [];
  const others: ServiceResult[] = [];
  for (const { service, standing } of standings) {
    const name = service.serviceName ?? '';
    if (standing.kind === 'settled') {
      others.push(serviceResult(service, 'unchanged'));
      continue;
    }
    if (standing.kind === 'unsettled') {
      deps.logger.info(`${name}: ${standing.state}.`);
      others.push(serviceResult(service, 'failed', standing.state));
      continue;
    }
    deps.logger.info(`${name}: ${standing.state}; following it like a new deployment.`);
    targets.push({
      serviceName: name,
      deploymentId: standing.deploymentId,
      seenEvents: new Set((service.events ?? []).map((e) => e.id ?? '')),
      service,
      previous: standing.previous ?? '',
    });
  }
  const first = targets[0];
  const result: DeployResult = {
    ...base,
    status: 'succeeded',
    ...(plan.reuseArn ? { taskDefinitionArn: plan.reuseArn } : {}),
    ...(first?.previous ? { previousTaskDefinitionArn: first.previous } : {}),
  };
  return followDeployments(targets, result, plan, request, deps, strategy, others);
}

type DeployTarget = WatchTarget & { service: Service; previous: string };

/** Wait for the deployments, explain failures, roll back per the inputs (never over another actor's deployment). */
async function followDeployments(
  targets: DeployTarget[],
  result: DeployResult,
  plan: Plan,
  request: DeployRequest,
  deps: DeployDeps,
  strategy: DeployStrategy,
  others: ServiceResult[] = [],
): Promise<DeployResult> {
  const { logger } = deps;
  const watch = strategy.watch ?? watchDeployments;
  result.deploymentId = targets[0]?.deploymentId;
  if (isServiceDeploymentArn(result.deploymentId)) result.serviceDeploymentArn = result.deploymentId;
  if (strategy.name === 'codedeploy') result.codeDeployDeploymentId = result.deploymentId;
  if (!request.wait) {
    logger.info('Not waiting (wait: false): the deployments continue in ECS.');
    const started = targets.map((t) => serviceResult(t.service, 'started', undefined, t.deploymentId));
    const stuck = others.filter((o) => o.status === 'failed');
    return {
      ...result,
      status: stuck.length ? 'failed' : 'started',
      services: inPlanOrder([...started, ...others], plan),
      ...(stuck.length ? { error: `Deployment failed: ${stuck.map((s) => `${s.service}: ${s.reason}`).join('; ')}` } : {}),
    };
  }

  let outcomes: Awaited<ReturnType<typeof watchDeployments>>;
  try {
    outcomes = await watch(targets, {
      ecs: deps.ecs,
      cluster: request.cluster,
      strategy,
      clock: deps.clock,
      logger,
      signal: deps.signal,
      intervalMs: request.pollIntervalMs,
      timeoutMs: request.timeoutMs,
    });
  } catch (error) {
    if (!(deps.signal?.aborted && deps.signal.reason instanceof CancelledError)) throw error;
    const cancelled = await handleCancel(result, targets, request, deps, strategy);
    return { ...cancelled, services: inPlanOrder([...cancelled.services, ...others], plan) };
  }

  const services = new Map<string, ServiceResult>();
  const diagnoses: Diagnosis[] = [];
  const rollbacks: RollbackTarget[] = [];
  for (const target of targets) {
    const outcome = outcomes.get(target.serviceName);
    const assessment = outcome?.assessment ?? { state: 'timeout' as const };
    const last = outcome?.last ?? target.service;
    if (assessment.state === 'succeeded') {
      logger.info(`${target.serviceName}: deployment ${target.deploymentId} succeeded.`);
      services.set(target.serviceName, serviceResult(last, 'succeeded', undefined, target.deploymentId));
      continue;
    }
    if (assessment.state === 'paused') {
      logger.info(
        `${target.serviceName}: paused at ${assessment.stage}; lifecycle hook ${assessment.hookId} awaits a decision. Resume with 'resume: ${target.deploymentId}' and 'decision: continue' or 'rollback'.`,
      );
      services.set(target.serviceName, {
        ...serviceResult(last, 'paused', `paused at ${assessment.stage}`, target.deploymentId),
        hookId: assessment.hookId,
      });
      result.hookId ??= assessment.hookId;
      continue;
    }
    const reason =
      assessment.state === 'timeout'
        ? `not finished after ${formatDuration(request.timeoutMs)} (timeout)`
        : assessment.state === 'in-progress'
          ? 'in progress'
          : assessment.reason;
    // Gone, with the service back on the revision it replaced: a rollback (ECS's circuit breaker one
    // finishes between two looks) rather than someone else's new deployment. Confirm it completes.
    const { primary } = primaryOf(last);
    const rolledBackUnseen =
      assessment.state === 'replaced' &&
      Boolean(target.previous) &&
      primary?.id !== undefined &&
      primary.taskDefinition === target.previous;
    if (assessment.state === 'replaced' && !rolledBackUnseen) {
      logger.info(`${target.serviceName}: deployment ${target.deploymentId} failed: ${reason}`);
      services.set(target.serviceName, replacedResult(last, target, reason, deps));
      continue;
    }
    if (rolledBackUnseen && primary?.id) {
      const why = failureFromEvents(last, target.deploymentId) ?? 'the deployment failed and was rolled back';
      logger.info(`${target.serviceName}: deployment ${target.deploymentId} failed: ${why}`);
      logger.info(`${target.serviceName}: the service is back on ${target.previous} (deployment ${primary.id}): it was rolled back.`);
      rollbacks.push({ target, deploymentId: primary.id, reason: why, to: target.previous });
    } else {
      logger.info(`${target.serviceName}: deployment ${target.deploymentId} failed: ${reason}`);
    }
    const diagnosis = await diagnoseDeployment(deps.ecs, {
      cluster: request.cluster,
      service: last,
      serviceName: target.serviceName,
      deploymentId: target.deploymentId,
      containers: plan.rendered.containerDefinitions ?? [],
    });
    diagnoses.push(diagnosis);
    for (const line of diagnosisLines(diagnosis)) logger.info(line);
    if (rolledBackUnseen) continue;
    if (assessment.state === 'rolled-back') {
      const back = assessment.complete ? undefined : last.deployments?.find((d) => d.status === 'PRIMARY' && d.id !== target.deploymentId);
      logger.info(
        assessment.complete
          ? `${target.serviceName}: ECS rolled back to the previous revision.`
          : `${target.serviceName}: ECS is rolling back (circuit breaker)${back?.id ? `: following deployment ${back.id}` : ''}.`,
      );
      if (back?.id) rollbacks.push({ target, deploymentId: back.id, reason, to: back.taskDefinition ?? target.previous });
      else services.set(target.serviceName, serviceResult(last, 'rolled-back', reason, target.deploymentId));
      continue;
    }
    // Right before any rollback (and instead of a rollback command): is the deployment still the service's own?
    let replacer: string | undefined;
    let unchecked: string | undefined;
    try {
      replacer = await strategy.replacedBy?.(deps.ecs, request.cluster, target.serviceName, target.deploymentId);
    } catch (error) {
      unchecked = error instanceof Error ? error.message : String(error);
      logger.info(`${target.serviceName}: could not check whose deployment is primary now (${unchecked}).`);
    }
    if (replacer) {
      services.set(target.serviceName, replacedResult(last, target, `${describeReplacement(target, replacer)}; ours: ${reason}`, deps));
    } else if (!target.previous && strategy.rollsBackToRevision) {
      logger.info(`${target.serviceName}: no earlier revision is known (the service has no other deployment): nothing to roll back to.`);
      services.set(
        target.serviceName,
        serviceResult(last, 'failed', `${reason}; no earlier revision to roll back to`, target.deploymentId),
      );
    } else if (request.rollback === 'auto' && unchecked) {
      // Never roll back blind: the service may be someone else's by now.
      logger.info(
        `${target.serviceName}: not rolling back without that check; to roll back: ${rollbackCommand(request.cluster, target.serviceName, target.previous)}`,
      );
      services.set(target.serviceName, serviceResult(last, 'failed', `${reason}; not rolled back (${unchecked})`, target.deploymentId));
    } else if (request.rollback === 'auto') {
      logger.info(`${target.serviceName}: rolling back to ${target.previous} (rollback: auto).`);
      const { deploymentId } = await strategy.rollback(deps.ecs, {
        cluster: request.cluster,
        service: target.service,
        taskDefinitionArn: target.previous,
        deploymentId: target.deploymentId,
      });
      rollbacks.push({ target, deploymentId, reason, to: target.previous });
    } else {
      logger.info(
        `${target.serviceName}: rollback is 'none'; to roll back: ${rollbackCommand(request.cluster, target.serviceName, target.previous)}`,
      );
      services.set(target.serviceName, serviceResult(last, 'failed', reason, target.deploymentId));
    }
  }
  for (const [name, settled] of await followRollbacks(rollbacks, request, deps, strategy)) services.set(name, settled);

  const ordered = inPlanOrder(
    [...targets.map((t) => ({ ...(services.get(t.serviceName) as ServiceResult), previousTaskDefinition: t.previous })), ...others],
    plan,
  );
  const status = overallStatus(ordered);
  const failed = ordered.filter((s) => s.status !== 'succeeded' && s.status !== 'paused' && s.status !== 'unchanged');
  return {
    ...result,
    status,
    services: ordered,
    diagnoses,
    ...(failed.length
      ? {
          error: `Deployment ${status === 'rolled-back' ? 'failed and was rolled back' : 'failed'}: ${failed.map((s) => `${s.service}: ${s.reason}`).join('; ')}`,
        }
      : {}),
  };
}

/** Services in the order the inputs named them. */
function inPlanOrder(results: ServiceResult[], plan: Plan): ServiceResult[] {
  const order = plan.services.map((s) => s.serviceName);
  return [...results].sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
}

/** Another actor's UpdateService owns the service now: failed, never rolled back. */
function replacedResult(service: Service, target: { serviceName: string; deploymentId: string }, reason: string, deps: DeployDeps) {
  warnNotRollingBack(deps.logger, target.serviceName, reason);
  return serviceResult(service, 'failed', `${reason}; not rolled back`, target.deploymentId);
}

interface RollbackTarget {
  target: WatchTarget & { service: Service; previous: string };
  /** The deployment that puts the previous revision back (ECS's own after a circuit breaker, or ours). */
  deploymentId: string;
  reason: string;
  to: string;
}

/** Wait for every rollback at once (one DescribeServices per poll); a rollback is only `rolled-back` once it completed. */
async function followRollbacks(
  rollbacks: RollbackTarget[],
  request: DeployRequest,
  deps: DeployDeps,
  strategy: DeployStrategy,
): Promise<Map<string, ServiceResult>> {
  const settled = new Map<string, ServiceResult>();
  if (rollbacks.length === 0) return settled;
  let outcomes: Awaited<ReturnType<typeof watchDeployments>> | undefined;
  try {
    outcomes = await (strategy.watch ?? watchDeployments)(
      rollbacks.map((r) => ({ serviceName: r.target.serviceName, deploymentId: r.deploymentId, seenEvents: r.target.seenEvents })),
      {
        ecs: deps.ecs,
        cluster: request.cluster,
        strategy,
        clock: deps.clock,
        logger: deps.logger,
        signal: deps.signal,
        intervalMs: request.pollIntervalMs,
        timeoutMs: request.timeoutMs,
      },
    );
  } catch (error) {
    if (!deps.signal?.aborted) throw error;
  }
  for (const r of rollbacks) {
    const reason = r.reason.replace(/\.$/, '');
    const outcome = outcomes?.get(r.target.serviceName);
    const last = outcome?.last ?? r.target.service;
    if (outcome?.assessment.state === 'succeeded') {
      deps.logger.info(`${r.target.serviceName}: rolled back to ${r.to}.`);
      settled.set(r.target.serviceName, serviceResult(last, 'rolled-back', `${reason}; rolled back to ${r.to}`, r.target.deploymentId));
      continue;
    }
    const why = !outcome
      ? 'the job was cancelled'
      : outcome.assessment.state === 'timeout'
        ? `not finished after ${formatDuration(request.timeoutMs)}`
        : 'reason' in outcome.assessment
          ? outcome.assessment.reason
          : outcome.assessment.state;
    deps.logger.info(`${r.target.serviceName}: the rollback to ${r.to} did not complete (${why}).`);
    settled.set(
      r.target.serviceName,
      serviceResult(last, 'failed', `${reason}; the rollback to ${r.to} did not complete (${why})`, r.target.deploymentId),
    );
  }
  return settled;
}

async function register(plan: Plan, deps: DeployDeps): Promise<string> {
  const roles = [plan.rendered.taskRoleArn, plan.rendered.executionRoleArn];
  const resource = `arn:aws:ecs:${plan.location.region}:${plan.location.account}:task-definition/${plan.rendered.family}:*`;
  const response = await awsCall('ecs:RegisterTaskDefinition', resource, () => deps.ecs.registerTaskDefinition(plan.rendered), roles);
  const arn = response.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error('RegisterTaskDefinition returned no taskDefinitionArn');
  deps.logger.info(`Registered ${arn}`);
  return arn;
}

/** A cancel that arrives between steps stops the deploy before the next write. */
function stopIfCancelled(deps: DeployDeps, state: string): void {
  if (!deps.signal?.aborted) return;
  deps.logger.warning(`Cancelled before the next change: ${state}.`);
  throw deps.signal.reason instanceof Error ? deps.signal.reason : new CancelledError('SIGINT');
}

export function overallStatus(services: ServiceResult[]): DeployStatus {
  const ok = (s: ServiceResult) => s.status === 'succeeded' || s.status === 'unchanged';
  if (services.every(ok)) return 'succeeded';
  if (services.every((s) => ok(s) || s.status === 'paused')) return 'paused';
  if (services.every((s) => ok(s) || s.status === 'rolled-back')) return 'rolled-back';
  return 'failed';
}

function logChanges(plan: Plan, deps: DeployDeps): void {
  const against = plan.current?.taskDefinitionArn ?? '(nothing registered yet)';
  if (plan.changes.length === 0) {
    deps.logger.info(`Task definition: no changes against ${against}.`);
    return;
  }
  deps.logger.info(`Task definition changes against ${against}:`);
  for (const line of formatChanges(plan.changes)) deps.logger.info(`  ${line}`);
}

/**
 * Why ECS failed a deployment, from its service event `(service api) (deployment ecs-svc/1) deployment failed:
 * tasks failed to start.`: what is left of the evidence once the circuit breaker's rollback has completed and
 * the failed deployment (with its rolloutStateReason) is gone from DescribeServices.
 */
function failureFromEvents(service: Service, deploymentId: string): string | undefined {
  const id = deploymentId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`deployment ${id}\\)? deployment failed: (.+?)\\.?$`);
  for (const event of service.events ?? []) {
    const why = pattern.exec(event.message ?? '')?.[1];
    if (why) return `ECS deployment circuit breaker: ${why}`;
  }
  return undefined;
}
