import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { progressLine } from './progress.js';
import { assessRolling } from './rolling.js';

const td = (rev: number) => `arn:aws:ecs:ap-northeast-2:123456789012:task-definition/api:${rev}`;
const d = (
  id: string,
  status: string,
  rev: number,
  running: number,
  desired: number,
  rolloutState: string,
  extra: Partial<Deployment> = {},
): Deployment => ({
  id,
  status,
  taskDefinition: td(rev),
  runningCount: running,
  desiredCount: desired,
  rolloutState: rolloutState as Deployment['rolloutState'],
  ...extra,
});
const service = (deployments: Deployment[], rollback = false): Service => ({
  serviceName: 'api',
  deployments,
  deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback } },
});

describe('assessRolling (the success rule)', () => {
  it('succeeds only with PRIMARY + COMPLETED + running == desired + no other deployment', () => {
    expect(assessRolling(service([d('new', 'PRIMARY', 42, 4, 4, 'COMPLETED')]), 'new')).toEqual({ state: 'succeeded' });
    expect(
      assessRolling(service([d('new', 'PRIMARY', 42, 4, 4, 'COMPLETED'), d('old', 'ACTIVE', 41, 1, 0, 'COMPLETED')]), 'new').state,
    ).toBe('in-progress');
    expect(assessRolling(service([d('new', 'PRIMARY', 42, 3, 4, 'COMPLETED')]), 'new').state).toBe('in-progress');
    expect(assessRolling(service([d('new', 'PRIMARY', 42, 4, 4, 'IN_PROGRESS')]), 'new').state).toBe('in-progress');
  });

  it('turns a circuit-breaker FAILED rollout into rolled-back with its reason (or failed when the breaker does not roll back)', () => {
    const failed = d('new', 'ACTIVE', 42, 0, 4, 'FAILED', { rolloutStateReason: 'ECS deployment circuit breaker: 3 tasks failed.' });
    expect(assessRolling(service([d('back', 'PRIMARY', 41, 4, 4, 'IN_PROGRESS'), failed], true), 'new')).toEqual({
      state: 'rolled-back',
      reason: 'ECS deployment circuit breaker: 3 tasks failed.',
    });
    expect(assessRolling(service([{ ...failed, status: 'PRIMARY' }], false), 'new').state).toBe('failed');
  });

  it('fails when another deployment replaced ours', () => {
    expect(assessRolling(service([d('other', 'PRIMARY', 43, 0, 4, 'IN_PROGRESS')]), 'new')).toMatchObject({ state: 'failed' });
  });
});

describe('progressLine', () => {
  it('says what runs where', () => {
    const line = progressLine(service([d('new', 'PRIMARY', 42, 3, 4, 'IN_PROGRESS'), d('old', 'ACTIVE', 41, 1, 0, 'COMPLETED')]), 'new');
    expect(line).toBe('api: 3/4 running on rev 42, 1 draining on rev 41, rollout IN_PROGRESS');
  });
});
