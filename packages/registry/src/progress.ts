import { type Clock, formatBytes, type Logger } from '@baepo/action-kit';

/**
 * Logs the progress of a long upload (bytes sent, share, rate) at most once per `interval`.
 * Returns the callback to call with the running byte count.
 */
export function progressLogger(options: {
  label: string;
  total: number;
  logger: Logger;
  clock: Clock;
  interval?: number;
}): (sent: number) => void {
  const { label, total, logger, clock, interval = 5000 } = options;
  const started = clock.now();
  let last = started;
  return (sent) => {
    const now = clock.now();
    if (now - last < interval || sent >= total) return;
    last = now;
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? `${formatBytes(Math.round(sent / seconds))}/s` : '';
    logger.info(`${label}: ${formatBytes(sent)} of ${formatBytes(total)} (${Math.floor((sent / total) * 100)}%, ${rate})`);
  };
}
