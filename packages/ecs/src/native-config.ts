import type { DeploymentConfiguration, DeploymentLifecycleHook, DeploymentLifecycleHookStage } from '@aws-sdk/client-ecs';

export type NativeKind = 'blue-green' | 'linear' | 'canary';

/** What the inputs ask of an ECS-native blue/green, linear or canary deployment. */
export interface NativeOptions {
  kind: NativeKind;
  bakeTimeMinutes?: number;
  canaryPercent?: number;
  canaryBakeTimeMinutes?: number;
  linearStepPercent?: number;
  linearStepBakeTimeMinutes?: number;
  /** A lifecycle stage where a PAUSE hook stops the deployment until ContinueServiceDeployment. */
  pauseAt?: DeploymentLifecycleHookStage;
}

export const STRATEGY_NAMES: Record<NativeKind, 'BLUE_GREEN' | 'LINEAR' | 'CANARY'> = {
  'blue-green': 'BLUE_GREEN',
  linear: 'LINEAR',
  canary: 'CANARY',
};

/** The lifecycle stages a hook can run at (DeploymentLifecycleHookStage). */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const satisfies readonly DeploymentLifecycleHookStage[];

/** Where a PAUSE hook can stop a deployment: not inside the traffic-shift stages themselves. */
export const PAUSE_STAGES = HOOK_STAGES.filter(
  (s): s is Exclude<(typeof HOOK_STAGES)[number], 'TEST_TRAFFIC_SHIFT' | 'PRODUCTION_TRAFFIC_SHIFT'> =>
    s !== 'TEST_TRAFFIC_SHIFT' && s !== 'PRODUCTION_TRAFFIC_SHIFT',
);

/**
 * The service's deployment configuration with the strategy and its settings
 * applied; everything else (circuit breaker, alarms, percents, other hooks) kept.
 * With `pauseAt`, a PAUSE hook at that stage is added unless one is already there.
 */
export function nativeDeploymentConfiguration(
  current: DeploymentConfiguration | undefined,
  options: NativeOptions,
): DeploymentConfiguration {
  const next: DeploymentConfiguration = { ...current, strategy: STRATEGY_NAMES[options.kind] };
  if (options.bakeTimeMinutes !== undefined) next.bakeTimeInMinutes = options.bakeTimeMinutes;
  if (options.kind === 'canary') {
    next.canaryConfiguration = {
      ...current?.canaryConfiguration,
      ...(options.canaryPercent === undefined ? {} : { canaryPercent: options.canaryPercent }),
      ...(options.canaryBakeTimeMinutes === undefined ? {} : { canaryBakeTimeInMinutes: options.canaryBakeTimeMinutes }),
    };
  }
  if (options.kind === 'linear') {
    next.linearConfiguration = {
      ...current?.linearConfiguration,
      ...(options.linearStepPercent === undefined ? {} : { stepPercent: options.linearStepPercent }),
      ...(options.linearStepBakeTimeMinutes === undefined ? {} : { stepBakeTimeInMinutes: options.linearStepBakeTimeMinutes }),
    };
  }
  if (options.pauseAt) next.lifecycleHooks = withPauseHook(current?.lifecycleHooks ?? [], options.pauseAt);
  return next;
}

function withPauseHook(hooks: DeploymentLifecycleHook[], stage: DeploymentLifecycleHookStage): DeploymentLifecycleHook[] {
  const exists = hooks.some((h) => h.targetType === 'PAUSE' && h.lifecycleStages?.includes(stage));
  return exists ? hooks : [...hooks, { targetType: 'PAUSE', lifecycleStages: [stage] }];
}

/**
 * The stages where an existing PAUSE hook will stop this deployment although
 * `pause-at` did not ask for it (typically left by an earlier run with `pause-at`:
 * ECS keeps hooks on the service). Empty for ROLLING services, which run no hooks.
 */
export function unrequestedPauseStages(current: DeploymentConfiguration | undefined, pauseAt: string | undefined): string[] {
  if (!current?.strategy || current.strategy === 'ROLLING') return [];
  const stages = (current.lifecycleHooks ?? []).filter((h) => h.targetType === 'PAUSE').flatMap((h) => h.lifecycleStages ?? []);
  return [...new Set(stages)].filter((stage) => stage !== pauseAt);
}
