import { code, formatBytes, formatDuration, markdownTable } from '@baepo/action-kit';
import { changedKeysOutput } from './changed-keys.js';
import type { SyncResult } from './sync.js';

/** The step summary: counts, bytes, time, largest changes and invalidation paths. */
export function syncSummary(result: SyncResult, target: string): string {
  const lines = [
    `### s3-sync ${result.dryRun ? '(dry run: nothing changed) ' : ''}to ${code(target)}`,
    '',
    markdownTable(
      ['uploaded', 'headers updated', 'deleted', 'unchanged', 'bytes uploaded', 'time'],
      [
        [
          result.uploaded,
          result.updated,
          result.deleted,
          result.unchanged,
          formatBytes(result.uploadedBytes),
          formatDuration(result.durationMs),
        ],
      ],
    ),
  ];
  if (result.largest.length) {
    lines.push(
      '',
      '**Largest uploads**',
      '',
      markdownTable(
        ['key', 'size', 'why'],
        result.largest.map((file) => [code(file.key), formatBytes(file.size), file.reason]),
      ),
    );
  }
  const changed = changedKeysOutput(result.changedKeys);
  if (changed.omitted) {
    lines.push(
      '',
      `**Output truncated:** \`changed-keys\` lists ${changed.shown} of ${result.changedKeys.length} keys (${changed.omitted} omitted) to stay within GitHub's output size limit (1 MB per job); its last element is \`{"truncated":true,"omitted":${changed.omitted}}\` and \`changed-keys-omitted\` is ${changed.omitted}.`,
    );
  }
  if (result.invalidationPaths.length) {
    lines.push(
      '',
      `**CloudFront invalidation** ${result.invalidationId ? code(result.invalidationId) : '(not created)'}: ${result.invalidationPaths.map(code).join(' ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
