/** The simulator's single clock: one step every `tickMs` real milliseconds. */
export interface Ticker {
  stop(): void;
}

/**
 * Call `onTick` every `tickMs`. A step that throws is reported on stderr and the
 * clock goes on: a simulator bug must not kill the test process that hosts it.
 */
export function startTicker(tickMs: number, onTick: () => void): Ticker {
  const timer = setInterval(() => {
    try {
      onTick();
    } catch (error) {
      console.error('ecs-simulator: a simulation step failed:', error);
    }
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
