import type { RolloutScenario, RunTaskScenario } from '../types.js';
import type { TaskPlan } from './model.js';

/** ECS's message when an image cannot be pulled. */
export const cannotPull = (image: string): string =>
  `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${image}: ${image}: not found`;

export interface ServiceTaskContext {
  /** Image of the container the scenario is about. */
  image: string;
  /** The service's first target group, when it is behind a load balancer. */
  targetGroupArn?: string;
}

/**
 * What a service task of a deployment will do, from the deployment's scenario.
 * Undefined for `stuck`: no task can be placed at all.
 */
export function serviceTaskPlan(scenario: RolloutScenario, context: ServiceTaskContext): TaskPlan | undefined {
  switch (scenario.kind) {
    case 'unhealthy-after-shift':
      // Healthy until production traffic reaches it: the native strategy fails it during the shift.
      return { pendingAt: 1, runningAt: 2, healthyAt: 2 };
    case 'healthy': {
      // Placed on tick 1, PENDING on 2, RUNNING and healthy on ticks - 1, old tasks STOPPED and COMPLETED on `ticks`.
      const runningAt = Math.max(2, (scenario.ticks ?? 4) - 2);
      return { pendingAt: 1, runningAt, healthyAt: runningAt };
    }
    case 'image-pull-failure': {
      const reason = cannotPull(context.image);
      return {
        pendingAt: 1,
        stopAt: 2,
        stop: { stopCode: 'TaskFailedToStart', stoppedReason: reason, containerReason: reason, failed: true },
      };
    }
    case 'exit-code':
      return {
        pendingAt: 1,
        runningAt: 2,
        stopAt: 3,
        stop: {
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          exitCode: scenario.exitCode,
          failed: true,
        },
        logLines: scenario.logLines,
      };
    case 'unhealthy':
      return {
        pendingAt: 1,
        runningAt: 2,
        unhealthyAt: 3,
        stopAt: 4,
        stop: {
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: context.targetGroupArn
            ? `Task failed ELB health checks in (target-group ${context.targetGroupArn})`
            : 'Task failed container health checks',
          exitCode: 137,
          containerHealth: context.targetGroupArn ? undefined : 'UNHEALTHY',
          failed: true,
        },
      };
    case 'stuck':
      return undefined;
  }
}

/** What a RunTask task will do, from its family's scenario; `container` is the one whose command runs. */
export function runTaskPlan(scenario: RunTaskScenario, container: string, image: string): TaskPlan {
  if (scenario.kind === 'start-failure') {
    const reason = scenario.stoppedReason ?? cannotPull(image);
    return {
      pendingAt: 1,
      stopAt: 2,
      stop: { stopCode: 'TaskFailedToStart', stoppedReason: reason, container, containerReason: reason, failed: true },
    };
  }
  return {
    pendingAt: 1,
    runningAt: 2,
    stopAt: 2 + Math.max(1, scenario.ticks ?? 2),
    stop: {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: scenario.exitCode,
      container,
      failed: scenario.exitCode !== 0,
    },
    logLines: scenario.logLines,
  };
}
