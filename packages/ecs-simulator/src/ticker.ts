/** The simulator's single clock: one step every `tickMs` real milliseconds. */
export interface Ticker {
  stop(): void;
}

export function startTicker(tickMs: number, onTick: () => void): Ticker {
  const timer = setInterval(onTick, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
