import * as core from '@actions/core';

export type OutputValue = string | number | boolean;

/** Set step outputs; multi-line values are written in the runner's heredoc format by @actions/core. */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, String(value));
}

/** Export variables to later steps of the job. */
export function exportVariables(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) core.exportVariable(name, value);
}
