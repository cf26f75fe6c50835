import { describe, expect, it } from 'vitest';
import { assessServiceDeployment, stageLine } from './service-deployments.js';

describe('service deployment assessment', () => {
  it('maps ECS statuses to outcomes, with the deployment reasons', () => {
    expect(assessServiceDeployment({ status: 'SUCCESSFUL' })).toEqual({ state: 'succeeded' });
    expect(
      assessServiceDeployment({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'alarm fired', rollback: { reason: 'alarm fired' } }),
    ).toEqual({
      state: 'rolled-back',
      reason: 'alarm fired',
      complete: true,
    });
    expect(assessServiceDeployment({ status: 'ROLLBACK_FAILED', statusReason: 'no blue revision' })).toEqual({
      state: 'failed',
      reason: 'the rollback failed: no blue revision',
    });
    expect(assessServiceDeployment({ status: 'ROLLBACK_IN_PROGRESS' })).toEqual({ state: 'in-progress' });
    // following our own rollback: a completed rollback is what we wanted
    expect(assessServiceDeployment({ status: 'ROLLBACK_SUCCESSFUL' }, true)).toEqual({ state: 'succeeded' });
  });

  it('a PAUSE hook awaiting action is paused; a Lambda hook in progress is not', () => {
    const paused = assessServiceDeployment({
      status: 'IN_PROGRESS',
      lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      lifecycleHookDetails: [{ hookId: 'ecs-pause-1', targetType: 'PAUSE', status: 'AWAITING_ACTION' }],
    });
    expect(paused).toEqual({ state: 'paused', hookId: 'ecs-pause-1', stage: 'POST_TEST_TRAFFIC_SHIFT' });
    const lambda = assessServiceDeployment({
      status: 'IN_PROGRESS',
      lifecycleHookDetails: [{ hookId: 'l-1', targetType: 'AWS_LAMBDA', status: 'IN_PROGRESS' }],
    });
    expect(lambda).toEqual({ state: 'in-progress' });
  });

  it('writes the stage with traffic and task counts where ECS reports them', () => {
    expect(
      stageLine('api', {
        status: 'IN_PROGRESS',
        lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
        targetServiceRevision: {
          requestedProductionTrafficWeight: 25,
          requestedTestTrafficWeight: 100,
          requestedTaskCount: 4,
          runningTaskCount: 3,
        },
      }),
    ).toBe('api: stage PRODUCTION_TRAFFIC_SHIFT (production traffic 25%, test traffic 100%), 3/4 tasks running');
    expect(stageLine('api', { status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'CLEAN_UP' })).toBe(
      'api: stage CLEAN_UP [ROLLBACK_IN_PROGRESS]',
    );
  });
});
