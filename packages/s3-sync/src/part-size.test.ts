import { describe, expect, it } from 'vitest';
import { MAX_PARTS, partRanges, partSizeFor } from './part-size.js';

const MIB = 1024 * 1024;

describe('multipart part size', () => {
  it('uses the requested size, at least 5 MiB', () => {
    expect(partSizeFor(100 * MIB, 16 * MIB)).toBe(16 * MIB);
    expect(partSizeFor(100 * MIB, 1 * MIB)).toBe(5 * MIB);
  });
  it('grows in whole MiB so a file never needs more than 10,000 parts', () => {
    const size = 200 * 1024 * MIB;
    const part = partSizeFor(size, 5 * MIB);
    expect(part % MIB).toBe(0);
    expect(Math.ceil(size / part)).toBeLessThanOrEqual(MAX_PARTS);
  });
  it('splits into contiguous inclusive ranges', () => {
    expect(partRanges(12, 5)).toEqual([
      { start: 0, end: 4, length: 5 },
      { start: 5, end: 9, length: 5 },
      { start: 10, end: 11, length: 2 },
    ]);
  });
});
