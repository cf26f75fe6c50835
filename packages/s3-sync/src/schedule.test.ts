import { describe, expect, it } from 'vitest';
import { runMixed, type Task } from './schedule.js';

/** Tasks that record when they start and end, finishing in the order the test releases them. */
function recorder() {
  const events: string[] = [];
  let running = 0;
  let heavyRunning = 0;
  const peaks = { running: 0, heavy: 0, heavyWhileLightWaited: 0 };
  let lightToStart = 0;
  const task = (name: string, size: number, heavy: boolean, fail = false): Task => {
    if (!heavy) lightToStart++;
    return {
      heavy,
      size,
      run: async () => {
        events.push(`start ${name}`);
        running++;
        if (heavy) heavyRunning++;
        else lightToStart--;
        if (lightToStart > 0) peaks.heavyWhileLightWaited = Math.max(peaks.heavyWhileLightWaited, heavyRunning);
        peaks.running = Math.max(peaks.running, running);
        peaks.heavy = Math.max(peaks.heavy, heavyRunning);
        await new Promise((resolve) => setTimeout(resolve, heavy ? 5 : 1));
        running--;
        if (heavy) heavyRunning--;
        events.push(`end ${name}`);
        if (fail) throw new Error(`${name} failed`);
      },
    };
  };
  return { events, peaks, task };
}

describe('runMixed', () => {
  it('bounds heavy tasks while light ones wait, largest first, and never exceeds the concurrency', async () => {
    const { events, peaks, task } = recorder();
    const tasks = [
      ...Array.from({ length: 20 }, (_, i) => task(`s${i}`, i, false)),
      task('big', 300, true),
      task('huge', 900, true),
      task('mid', 200, true),
    ];
    await runMixed(tasks, 4, 1);
    expect(peaks.running).toBe(4);
    expect(peaks.heavyWhileLightWaited).toBe(1);
    const starts = events.filter((e) => e.startsWith('start')).map((e) => e.slice(6));
    expect(starts[0]).toBe('huge');
    expect(starts.slice(1, 4)).toEqual(['s19', 's18', 's17']);
    expect(starts.indexOf('big')).toBeLessThan(starts.indexOf('mid'));
    expect(starts).toHaveLength(23);
  });

  it('lets heavy tasks take every slot once no light task is left', async () => {
    const { peaks, task } = recorder();
    await runMixed(
      Array.from({ length: 6 }, (_, i) => task(`h${i}`, i, true)),
      3,
      1,
    );
    expect(peaks.heavy).toBe(3);
  });

  it('starts nothing after a failure, lets running tasks finish, then throws the first error', async () => {
    const { events, task } = recorder();
    const run = runMixed([task('a', 3, false, true), task('b', 2, false), task('c', 1, false), task('d', 0, false)], 2, 1);
    await expect(run).rejects.toThrow('a failed');
    expect(events).toContain('end b');
    expect(events).not.toContain('start d');
  });
});
