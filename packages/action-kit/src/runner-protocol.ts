import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The runner's protocol, written exactly as @actions/core writes it: workflow commands on
 * stdout (`::error file=a::message`) and file commands (GITHUB_OUTPUT, GITHUB_ENV heredocs).
 * action-kit uses this instead of importing @actions/core, whose entry point also loads an
 * HTTP client (undici, for OIDC tokens) and costs ~100 ms of startup in every bundle.
 */

/** Turn any value into command text, as @actions/core's toCommandValue does. */
function toCommandValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || value instanceof String) return value as string;
  return JSON.stringify(value);
}

const escapeData = (value: unknown): string => toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (value: unknown): string => escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::command key=value,key=value::message` on stdout. Empty property values are left out. */
export function issueCommand(command: string, properties: Record<string, unknown>, message: unknown): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** Append `name<<delimiter` / value / `delimiter` to the file named by GITHUB_<command>. */
export function issueKeyValueFileCommand(command: 'OUTPUT' | 'ENV' | 'STATE', name: string, value: unknown): void {
  const path = process.env[`GITHUB_${command}`];
  if (!path) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const text = toCommandValue(value);
  if (name.includes(delimiter) || text.includes(delimiter))
    throw new Error(`Unexpected input: the value contains the delimiter "${delimiter}"`);
  appendFileSync(path, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

/** A plain log line. */
export function logLine(message: string): void {
  process.stdout.write(message + EOL);
}

/** Fail the step: an `::error::` line (with annotation properties such as file, line) and exit code 1, as core.setFailed. */
export function setFailed(message: string, properties: Record<string, unknown> = {}): void {
  process.exitCode = 1;
  issueCommand('error', properties, message);
}

/** Set a step output (GITHUB_OUTPUT, or the legacy `::set-output` when the file is absent). */
export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) {
    issueKeyValueFileCommand('OUTPUT', name, value);
    return;
  }
  process.stdout.write(EOL);
  issueCommand('set-output', { name }, value);
}

/** Export a variable to this process and later steps (GITHUB_ENV, or the legacy `::set-env`). */
export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  if (process.env.GITHUB_ENV) {
    issueKeyValueFileCommand('ENV', name, value);
    return;
  }
  issueCommand('set-env', { name }, value);
}

/** Append markdown to the step summary file (GITHUB_STEP_SUMMARY). */
export function appendStepSummary(markdown: string): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path)
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  appendFileSync(path, markdown, { encoding: 'utf8' });
}
