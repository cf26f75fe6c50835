import { exportVariableEntries, setOutputEntries } from './runner-protocol.js';

export type OutputValue = string | number | boolean;

/** Set step outputs in one write; multi-line values are written in the runner's heredoc format. */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  setOutputEntries(Object.entries(outputs).map(([name, value]) => [name, String(value)] as const));
}

/**
 * Export variables to later steps of the job: every name is checked first (see exportable.ts),
 * then all are written in one append to GITHUB_ENV. A refused name exports nothing.
 */
export function exportVariables(variables: Record<string, string>): void {
  exportVariableEntries(Object.entries(variables));
}
