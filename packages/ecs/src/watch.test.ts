import { CancelledError, type Logger, systemClock } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { AFTER_CANCEL_CALL_MS, callSignal } from './aws-clients.js';
import type { EcsApi } from './clients.js';
import type { DeployStrategy } from './strategy.js';
import { type WatchOptions, watchDeployments } from './watch.js';

const quiet: Logger = { info: () => {}, warning: () => {}, error: () => {}, debug: () => {} } as unknown as Logger;
const strategy = { assess: () => ({ state: 'in-progress' }) } as unknown as DeployStrategy;

/** DescribeServices that never answers unless its signal aborts (the hanging request). */
function hangingEcs(seen: (AbortSignal | undefined)[]): EcsApi {
  return {
    describeServices: (_input: unknown, options?: { signal?: AbortSignal }) => {
      seen.push(options?.signal);
      return new Promise((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
      });
    },
  } as unknown as EcsApi;
}

const options = (ecs: EcsApi, extra: Partial<WatchOptions> = {}): WatchOptions => ({
  ecs,
  cluster: 'shop',
  strategy,
  clock: systemClock,
  logger: quiet,
  intervalMs: 50,
  timeoutMs: 300,
  ...extra,
});
const target = () => ({ serviceName: 'api', deploymentId: 'ecs-svc/1', seenEvents: new Set<string>() });

describe('watchDeployments never outlives its timeout', () => {
  it('a DescribeServices that hangs past the timeout is aborted and the target times out', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const started = Date.now();
    const outcomes = await watchDeployments([target()], options(hangingEcs(seen)));
    expect(outcomes.get('api')?.assessment).toEqual({ state: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(true);
  });

  it('a cancel aborts the hanging call and ends the watch with the cancel', async () => {
    const cancel = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    setTimeout(() => cancel.abort(new CancelledError('SIGINT')), 100);
    const watching = watchDeployments([target()], options(hangingEcs(seen), { timeoutMs: 60_000, signal: cancel.signal }));
    await expect(watching).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('callSignal', () => {
  it('binds the cancel to calls in flight; a call after the cancel (cleanup) gets a short limit of its own', async () => {
    const cancel = new AbortController();
    const before = callSignal(cancel.signal);
    cancel.abort(new CancelledError('SIGINT'));
    expect(before?.aborted).toBe(true);
    const after = callSignal(cancel.signal);
    expect(after?.aborted).toBe(false);
    expect(AFTER_CANCEL_CALL_MS).toBeLessThanOrEqual(7500);
    const deadline = new AbortController();
    const both = callSignal(new AbortController().signal, deadline.signal);
    deadline.abort();
    expect(both?.aborted).toBe(true);
    expect(callSignal(undefined)).toBeUndefined();
  });
});
