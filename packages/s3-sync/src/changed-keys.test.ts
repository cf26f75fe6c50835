import { describe, expect, it } from 'vitest';
import { changedKeysOutput } from './changed-keys.js';

describe('changedKeysOutput', () => {
  it('lists every key when the JSON fits', () => {
    expect(changedKeysOutput(['a', 'b"c'], 100)).toEqual({ value: '["a","b\\"c"]', shown: 2, omitted: 0 });
  });
  it('past the limit: as many keys as fit, then a marker with the omitted count, never over the limit', () => {
    const keys = Array.from({ length: 50 }, (_, i) => `key-${String(i).padStart(2, '0')}\n`);
    for (const max of [60, 100, 333]) {
      const out = changedKeysOutput(keys, max);
      expect(out.value.length).toBeLessThanOrEqual(max);
      const parsed = JSON.parse(out.value) as unknown[];
      expect(parsed.slice(0, -1)).toEqual(keys.slice(0, out.shown));
      expect(parsed.at(-1)).toEqual({ truncated: true, omitted: 50 - out.shown });
      expect(out.omitted).toBe(50 - out.shown);
    }
  });
});
