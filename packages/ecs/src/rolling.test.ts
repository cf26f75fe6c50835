import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { progressLine } from './progress.js';
import { assessRolling, rollingStanding } from './rolling.js';

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

  it('reports another deployment that replaced ours as replaced (never rolled back), naming it', () => {
    const other = d('other', 'PRIMARY', 43, 0, 4, 'IN_PROGRESS', { createdAt: new Date('2026-12-02T18:00:00Z') });
    const replaced = {
      state: 'replaced',
      reason: 'deployment new was replaced by deployment other (task definition api:43, created 2026-12-02T18:00:00.000Z)',
    };
    // ours gone, ours ACTIVE while in progress, ours FAILED without a breaker rollback: all someone else's UpdateService
    expect(assessRolling(service([other]), 'new')).toEqual(replaced);
    expect(assessRolling(service([other, d('new', 'ACTIVE', 42, 1, 4, 'IN_PROGRESS')]), 'new')).toEqual(replaced);
    expect(assessRolling(service([other, d('new', 'ACTIVE', 42, 0, 4, 'FAILED')], false), 'new')).toEqual(replaced);
  });
});

describe('rollingStanding (is a re-run unchanged?)', () => {
  it('is settled only with one PRIMARY deployment, COMPLETED, with its desired count running', () => {
    const settled = { ...service([d('new', 'PRIMARY', 42, 4, 4, 'COMPLETED')]), desiredCount: 4 };
    expect(rollingStanding(settled)).toEqual({ kind: 'settled' });
    expect(rollingStanding({ ...settled, deployments: [d('new', 'PRIMARY', 42, 3, 4, 'COMPLETED')] }).kind).toBe('follow');
    expect(rollingStanding({ ...settled, desiredCount: 6 }).kind).toBe('follow');
  });

  it('follows an IN_PROGRESS or FAILED primary, with the revision it replaces as the one to roll back to', () => {
    const failed = { ...service([d('new', 'PRIMARY', 42, 0, 4, 'FAILED'), d('old', 'ACTIVE', 41, 4, 4, 'COMPLETED')]), desiredCount: 4 };
    expect(rollingStanding(failed)).toEqual({
      kind: 'follow',
      deploymentId: 'new',
      previous: td(41),
      state: 'api:42 is the PRIMARY deployment (new) but not settled: rollout FAILED, 0/4 running, 2 deployments',
    });
    const alone = { ...service([d('new', 'PRIMARY', 42, 0, 4, 'IN_PROGRESS')]), desiredCount: 4 };
    expect(rollingStanding(alone)).toMatchObject({ kind: 'follow', deploymentId: 'new' });
    expect(rollingStanding(alone)).not.toHaveProperty('previous');
  });
});

describe('progressLine', () => {
  it('says what runs where', () => {
    const line = progressLine(service([d('new', 'PRIMARY', 42, 3, 4, 'IN_PROGRESS'), d('old', 'ACTIVE', 41, 1, 0, 'COMPLETED')]), 'new');
    expect(line).toBe('api: 3/4 running on rev 42, 1 draining on rev 41, rollout IN_PROGRESS');
  });
});
