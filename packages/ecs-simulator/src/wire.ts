/**
 * The JSON 1.1 wire shape of an SDK type: timestamps travel as epoch seconds
 * (numbers, possibly fractional), everything else as is.
 */
export type Wire<T> = T extends Date
  ? number
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends Record<string, unknown>
      ? { [K in keyof T]: Wire<T[K]> }
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** Now, as a JSON 1.1 timestamp (epoch seconds). */
export const epochSeconds = (ms = Date.now()): number => ms / 1000;
