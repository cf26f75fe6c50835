import { ConfigurationError, quote } from '@baepo/action-kit';

/** `max-delete`: an absolute count (`100`) or a share of the existing objects (`50%`). */
export type MaxDelete = { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

export function parseMaxDelete(raw: string): MaxDelete {
  const text = raw.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    if (value <= 100) return { kind: 'percent', percent: value };
  } else if (/^\d+$/.test(text)) {
    return { kind: 'count', count: Number(text) };
  }
  throw new ConfigurationError(
    `Input 'max-delete' must be a number of objects (e.g. '100') or a percentage of the existing objects from '0%' to '100%' (e.g. '50%'); got ${quote(raw)}.`,
    { input: 'max-delete' },
  );
}

/** How many deletions the limit allows when `existing` objects are under the prefix. */
export function allowedDeletes(limit: MaxDelete, existing: number): number {
  return limit.kind === 'count' ? limit.count : Math.floor((existing * limit.percent) / 100);
}

export function describeMaxDelete(limit: MaxDelete): string {
  return limit.kind === 'count' ? String(limit.count) : `${limit.percent}%`;
}
