import { describe, expect, it } from 'vitest';
import { formatBytes, parseByteSize } from './bytes.js';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1500],
  ])('%s is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', '10', 'm', '5 m', '1d', '-5s', '1h-30m', 'soon'])('%j is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('formats for humans', () => {
    expect(formatDuration(350)).toBe('350ms');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(3_900_000)).toBe('1h 5m');
  });
});

describe('byte sizes', () => {
  it.each([
    ['16MiB', 16 * 1024 * 1024],
    ['5MB', 5_000_000],
    ['1048576', 1_048_576],
    ['8 KiB', 8192],
    ['1gib', 1024 ** 3],
  ])('%s is %d bytes', (input, bytes) => {
    expect(parseByteSize(input)).toBe(bytes);
  });

  it.each(['', 'MiB', '5 parsecs', '-1MB'])('%j is not a size', (input) => {
    expect(parseByteSize(input)).toBeUndefined();
  });

  it('formats for humans', () => {
    expect(formatBytes(320)).toBe('320 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(60 * 1024 * 1024)).toBe('60.0 MiB');
  });
});
