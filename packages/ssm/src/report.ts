import { code, markdownTable } from '@baepo/action-kit';
import type { Override, Variable } from './collect.js';

/** The `parameters` output: variable → where it came from; never the value. */
export function parametersOutput(variables: readonly Variable[]): Record<string, { parameter: string; type: string; version: number }> {
  const result: Record<string, { parameter: string; type: string; version: number }> = {};
  for (const v of variables) result[v.name] = { parameter: v.parameter, type: v.type, version: v.version };
  return result;
}

/** The variables as a JSON object (for `json-file`). */
export function jsonFileContent(variables: readonly Variable[]): string {
  return `${JSON.stringify(Object.fromEntries(variables.map((v) => [v.name, v.value])), null, 2)}\n`;
}

/** One log line per variable: name, parameter, type, version, source; never the value. */
export function describeVariable(v: Variable): string {
  const key = v.jsonKey === undefined ? '' : ` key ${v.jsonKey}`;
  return `${v.name} ← ${v.parameter}${key} (${v.type} v${v.version}${v.secret ? ', masked' : ''}) from ${v.source}`;
}

/** Step summary: the same table as the outputs, plus overrides. */
export function summaryMarkdown(variables: readonly Variable[], overrides: readonly Override[]): string {
  const lines = [`### ssm-load: ${variables.length} variable${variables.length === 1 ? '' : 's'}`, ''];
  lines.push(
    markdownTable(
      ['Variable', 'Parameter', 'Type', 'Version', 'Source', 'Masked'],
      variables.map((v) => [
        code(v.name),
        code(v.jsonKey === undefined ? v.parameter : `${v.parameter} → ${v.jsonKey}`),
        v.type,
        v.version,
        v.source,
        v.secret ? 'yes' : 'no',
      ]),
    ),
  );
  if (overrides.length) {
    lines.push('', '**Overrides**', '');
    for (const o of overrides)
      lines.push(
        `- ${code(o.name)}: ${code(o.winner.parameter)} (${o.winner.source}) overrides ${code(o.replaced.parameter)} (${o.replaced.source})`,
      );
  }
  return `${lines.join('\n')}\n`;
}
