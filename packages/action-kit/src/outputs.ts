import { exportVariable, setOutput } from './runner-protocol.js';

export type OutputValue = string | number | boolean;

/** Set step outputs; multi-line values are written in the runner's heredoc format. */
export function setOutputs(outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs)) setOutput(name, String(value));
}

/** Export variables to later steps of the job. */
export function exportVariables(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) exportVariable(name, value);
}
