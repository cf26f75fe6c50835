import { uuid } from '../ids.js';
import { epochSeconds } from '../wire.js';
import type { HookRun, ServiceDeploymentRecord } from './model.js';
import type { EcsState } from './state.js';

/** ECS's default hook timeout: 24 hours. */
const DEFAULT_TIMEOUT_MINUTES = 1440;

/**
 * Invoke the hooks configured for a lifecycle stage: AWS_LAMBDA hooks go IN_PROGRESS
 * (their answer comes from setHookResult on the next tick), PAUSE hooks AWAITING_ACTION
 * until ContinueServiceDeployment. They replace the previous stage's hook details.
 */
export function invokeHooks(state: EcsState, record: ServiceDeploymentRecord, stage: string): void {
  const hooks = record.data.deploymentConfiguration?.lifecycleHooks ?? [];
  record.hooks = [];
  for (const hook of hooks) {
    if (!hook.lifecycleStages?.includes(stage as never)) continue;
    const pause = hook.targetType === 'PAUSE';
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES;
    const timeoutTicks = Math.max(1, minutes * state.minuteTicks);
    const run: HookRun = {
      startedTick: state.tick,
      timeoutTicks,
      detail: {
        hookId: uuid(),
        targetType: pause ? 'PAUSE' : 'AWS_LAMBDA',
        targetArn: pause ? undefined : hook.hookTargetArn,
        status: pause ? 'AWAITING_ACTION' : 'IN_PROGRESS',
        expiresAt: epochSeconds(Date.now() + timeoutTicks * (state.config.tickMs ?? 100)),
        timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
      },
    };
    record.hooks.push(run);
  }
}

export type HooksOutcome = { kind: 'done' } | { kind: 'waiting' } | { kind: 'rollback'; reason: string };

/** Resolve the current stage's hooks: Lambda answers, timeouts; done when none is pending. */
export function resolveHooks(state: EcsState, record: ServiceDeploymentRecord, stage: string): HooksOutcome {
  let waiting = false;
  for (const run of record.hooks) {
    const detail = run.detail;
    if (detail.status !== 'IN_PROGRESS' && detail.status !== 'AWAITING_ACTION') continue;
    if (state.tick - run.startedTick >= run.timeoutTicks) {
      detail.status = 'TIMED_OUT';
      if (detail.timeoutAction !== 'CONTINUE') {
        return { kind: 'rollback', reason: `Lifecycle hook ${detail.hookId} timed out in the ${stage} lifecycle stage.` };
      }
      continue;
    }
    if (detail.targetType === 'AWS_LAMBDA' && state.tick > run.startedTick) {
      const result = state.hookResults.get(detail.targetArn ?? '') ?? 'SUCCEEDED';
      if (result === 'SUCCEEDED') detail.status = 'SUCCEEDED';
      if (result === 'FAILED') {
        detail.status = 'FAILED';
        return {
          kind: 'rollback',
          reason: `Lifecycle hook ${detail.targetArn} returned FAILED in the ${stage} lifecycle stage.`,
        };
      }
    }
    if (detail.status === 'IN_PROGRESS' || detail.status === 'AWAITING_ACTION') waiting = true;
  }
  return waiting ? { kind: 'waiting' } : { kind: 'done' };
}
