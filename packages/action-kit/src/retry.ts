import { type Clock, systemClock } from './clock.js';

export interface BackoffOptions {
  /** First delay in ms. */
  initialDelay?: number;
  /** Upper bound for one delay in ms. */
  maxDelay?: number;
  /** Growth factor per attempt. */
  factor?: number;
  /** 0..1: share of each delay that is randomised ("equal jitter"). */
  jitter?: number;
  random?: () => number;
}

/** Delay before retry number `attempt` (1-based), exponential with jitter. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { initialDelay = 500, maxDelay = 20_000, factor = 2, jitter = 0.5, random = Math.random } = options;
  const base = Math.min(maxDelay, initialDelay * factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - jitter) + base * jitter * random());
}

export interface RetryOptions extends BackoffOptions {
  /** Total attempts, including the first. */
  attempts?: number;
  /** Whether an error is worth another attempt. */
  retryable?: (error: unknown) => boolean;
  clock?: Clock;
  signal?: AbortSignal;
  onRetry?: (error: unknown, attempt: number, delay: number) => void;
}

/** Call `fn` until it succeeds, an error is not retryable, or attempts run out. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, retryable = () => true, clock = systemClock, signal, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error) || signal?.aborted) throw error;
      const delay = backoffDelay(attempt, options);
      onRetry?.(error, attempt, delay);
      await clock.sleep(delay, signal);
    }
  }
}

export interface PollOptions<T> {
  /** Time between checks in ms. */
  interval: number;
  /** Give up after this many ms (measured on `clock`). */
  timeout: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Return `{ done: true, value }` to stop polling. */
  check: (elapsed: number) => Promise<{ done: true; value: T } | { done: false }>;
}

export type PollResult<T> = { status: 'done'; value: T; elapsed: number } | { status: 'timeout'; elapsed: number };

/**
 * Check, sleep, check again until done or the timeout passes. The last check
 * happens at (or just after) the deadline, so the outcome is always re-checked.
 */
export async function poll<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const { interval, timeout, clock = systemClock, signal, check } = options;
  const start = clock.now();
  for (;;) {
    const elapsed = clock.now() - start;
    const result = await check(elapsed);
    if (result.done) return { status: 'done', value: result.value, elapsed };
    if (elapsed >= timeout) return { status: 'timeout', elapsed };
    await clock.sleep(Math.min(interval, Math.max(0, timeout - elapsed)), signal);
  }
}
