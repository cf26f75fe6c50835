import { describe, expect, it } from 'vitest';
import { manualClock } from './clock.js';
import { backoffDelay, poll, retry } from './retry.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with bounded jitter', () => {
    const fixed = { jitter: 0, initialDelay: 100, maxDelay: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, fixed))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, { initialDelay: 100, jitter: 0.5, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, { initialDelay: 100, jitter: 0.5, random: () => 1 })).toBe(400);
  });
});

describe('retry', () => {
  it('retries retryable errors, then succeeds', async () => {
    const clock = manualClock();
    const seen: number[] = [];
    const value = await retry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error('503');
        return 'ok';
      },
      { clock, jitter: 0, initialDelay: 100 },
    );
    expect(value).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
    expect(clock.elapsed()).toBe(300);
  });

  it('stops at the first non-retryable error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('AccessDenied');
        },
        { clock: manualClock(), retryable: (e) => (e as Error).message !== 'AccessDenied' },
      ),
    ).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { clock: manualClock(), attempts: 3 },
      ),
    ).rejects.toThrow('fail 3');
  });
});

describe('poll', () => {
  it('checks until done, sleeping the interval between checks', async () => {
    const clock = manualClock();
    const checks: number[] = [];
    const result = await poll({
      clock,
      interval: 10_000,
      timeout: 60_000,
      check: async (elapsed) => {
        checks.push(elapsed);
        return elapsed >= 30_000 ? { done: true, value: 'stable' } : { done: false };
      },
    });
    expect(result).toEqual({ status: 'done', value: 'stable', elapsed: 30_000 });
    expect(checks).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('re-checks at the deadline before reporting a timeout', async () => {
    const clock = manualClock();
    const checks: number[] = [];
    const result = await poll({
      clock,
      interval: 20_000,
      timeout: 50_000,
      check: async (elapsed) => {
        checks.push(elapsed);
        return { done: false };
      },
    });
    expect(result).toEqual({ status: 'timeout', elapsed: 50_000 });
    expect(checks).toEqual([0, 20_000, 40_000, 50_000]);
  });

  it('stops sleeping when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      poll({ clock: manualClock(), interval: 1000, timeout: 5000, signal: controller.signal, check: async () => ({ done: false }) }),
    ).rejects.toThrow('cancelled');
  });
});
