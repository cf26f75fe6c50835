import { manualClock, memoryLogger } from '@baepo/action-kit';
import { expect, it } from 'vitest';
import { progressLogger } from './progress.js';

it('logs bytes, share and rate at most once per interval, and not at the end', async () => {
  const logger = memoryLogger();
  const clock = manualClock();
  const report = progressLogger({ label: 'Uploading sha256:abc', total: 100 * 1024 * 1024, logger, clock });
  report(1024 * 1024);
  await clock.sleep(2000);
  report(10 * 1024 * 1024);
  await clock.sleep(3000);
  report(50 * 1024 * 1024);
  await clock.sleep(1000);
  report(60 * 1024 * 1024);
  await clock.sleep(10_000);
  report(100 * 1024 * 1024);
  expect(logger.lines.map((l) => l.message)).toEqual(['Uploading sha256:abc: 50.0 MiB of 100 MiB (50%, 10.0 MiB/s)']);
});
