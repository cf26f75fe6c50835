import { code, markdownTable } from '@baepo/action-kit';
import type { Resolution } from './resolve.js';

/** The step summary: the decision in one line, then every output in a table. */
export function resolutionSummary(resolution: Resolution, configFile: string): string {
  const heading = resolution.deploy
    ? `### resolve-env: deploy to \`${resolution.environment}\`${resolution['is-production'] ? ' (production)' : ''}`
    : '### resolve-env: nothing to deploy';
  // Each line of a multi-line value (ssm-paths) is its own code span; the table shows them on separate lines.
  const rows = Object.entries(outputValues(resolution)).map(([name, value]) => [
    code(name),
    value === '' ? '' : value.split('\n').map(code).join('\n'),
  ]);
  return `${heading}\n\n${resolution.matched} (${code(configFile)}).\n\n${markdownTable(['Output', 'Value'], rows)}\n`;
}

/** The outputs as the runner stores them: strings, lists newline-separated, vars as JSON. */
export function outputValues(resolution: Resolution): Record<keyof Resolution, string> {
  return {
    ...resolution,
    deploy: String(resolution.deploy),
    'is-production': String(resolution['is-production']),
    'ssm-paths': resolution['ssm-paths'].join('\n'),
    vars: JSON.stringify(resolution.vars),
  };
}
