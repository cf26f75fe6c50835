import { code, formatBytes, markdownTable } from '@baepo/action-kit';
import type { EcrPushResult } from './run.js';

/** The step summary: where the image went, its digest, and what was sent versus reused. */
export function renderSummary(result: EcrPushResult): string {
  const rows: [string, string][] = [
    ['Image', code(result.image)],
    ['Tags', result.tags.map(code).join(' ')],
    ['Source', result.source],
  ];
  if (result.platforms.length) rows.push(['Platforms', result.platforms.join(', ')]);
  if (result.push) {
    const p = result.push;
    rows.push(['Size', formatBytes(p.totalBytes)]);
    rows.push(['Uploaded', `${p.uploaded} blobs, ${formatBytes(p.pushedBytes)}`]);
    rows.push(['Reused', `${p.present} already present, ${p.mounted} mounted from other repositories`]);
    if (p.unchangedTags.length) rows.push(['Unchanged tags', p.unchangedTags.map(code).join(' ')]);
  }
  if (result.createdRepository) rows.push(['Repository', `created ${code(result.repository)}`]);
  return `### ecr-push: ${code(`${result.repository}@${result.digest.slice(0, 19)}`)}\n\n${markdownTable(['', ''], rows)}\n`;
}
