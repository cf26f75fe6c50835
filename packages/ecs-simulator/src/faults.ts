import type { FaultSpec } from './types.js';

export type Fault = 'throttle' | 'server-error';

/** Throttling / 5xx bursts queued by injectFaults(), consumed by matching calls in order. */
export class Faults {
  private readonly pending: FaultSpec[] = [];

  add(spec: FaultSpec): void {
    this.pending.push({ ...spec });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The fault the next call of this operation must answer, if any (and consume it). */
  take(operation: string): Fault | undefined {
    for (const spec of this.pending) {
      if (spec.operations?.length && !spec.operations.includes(operation)) continue;
      if ((spec.throttle ?? 0) > 0) {
        spec.throttle = (spec.throttle ?? 0) - 1;
        return 'throttle';
      }
      if ((spec.serverError ?? 0) > 0) {
        spec.serverError = (spec.serverError ?? 0) - 1;
        return 'server-error';
      }
    }
    return undefined;
  }
}
