import { appendStepSummary, currentRunnerFiles } from './runner-protocol.js';

/** Escape a value for a GitHub-flavoured markdown table cell. */
export function cell(value: unknown): string {
  const textValue = value === undefined || value === null ? '' : String(value);
  return textValue.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A markdown table; every cell escaped. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${headers.map((_, i) => cell(row[i])).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** Inline code in markdown, safe for backticks in the value. */
export function code(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  return `${fence}${value}${fence}`;
}

/** Append markdown to the step summary, when the runner provides one. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!currentRunnerFiles().STEP_SUMMARY) return;
  appendStepSummary(markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
