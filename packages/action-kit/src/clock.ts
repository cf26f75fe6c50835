/** Time, injectable so tests can run polling loops without waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock whose sleeps advance virtual time instantly; for tests. */
export function manualClock(start = 0): Clock & { elapsed(): number } {
  let current = start;
  return {
    now: () => current,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      current += ms;
    },
    elapsed: () => current - start,
  };
}
