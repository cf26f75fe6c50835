import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { checkExportable } from './exportable.js';

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

/** The runner's file-command files, by command: GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY, GITHUB_STATE. */
export type RunnerFileCommand = 'OUTPUT' | 'ENV' | 'PATH' | 'STEP_SUMMARY' | 'STATE';
export type RunnerFiles = Readonly<Partial<Record<RunnerFileCommand, string>>>;

/**
 * Read the runner's file paths from an environment, frozen. Taken once when this module loads,
 * before any action code runs, and never again from process.env: an exported variable named
 * GITHUB_ENV (or a hostile value in process.env) must not redirect where later writes go.
 */
export function readRunnerFiles(env: NodeJS.ProcessEnv): RunnerFiles {
  const files: Partial<Record<RunnerFileCommand, string>> = {};
  for (const command of ['OUTPUT', 'ENV', 'PATH', 'STEP_SUMMARY', 'STATE'] as const) {
    const path = env[`GITHUB_${command}`];
    if (path) files[command] = path;
  }
  return Object.freeze(files);
}

let runnerFiles: RunnerFiles = readRunnerFiles(process.env);

/** The snapshot of the runner's file paths every write uses. */
export function currentRunnerFiles(): RunnerFiles {
  return runnerFiles;
}

/** Replace the snapshot (unit tests set the variables after this module loaded); actions never call it. */
export function captureRunnerFilesForTesting(env: NodeJS.ProcessEnv = process.env): void {
  runnerFiles = readRunnerFiles(env);
}

/** `name<<delimiter` / value / `delimiter`, as @actions/core's prepareKeyValueMessage. */
function keyValueMessage(name: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const text = toCommandValue(value);
  if (name.includes(delimiter) || text.includes(delimiter))
    throw new Error(`Unexpected input: the value contains the delimiter "${delimiter}"`);
  return `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`;
}

/** Append every entry to the file named by GITHUB_<command> (from the snapshot) in one write. */
export function issueKeyValueFileCommands(command: 'OUTPUT' | 'ENV' | 'STATE', entries: Iterable<readonly [string, unknown]>): void {
  const path = runnerFiles[command];
  if (!path) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  let text = '';
  for (const [name, value] of entries) text += keyValueMessage(name, value);
  if (text) appendFileSync(path, text, { encoding: 'utf8' });
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

/** Set step outputs (GITHUB_OUTPUT in one append, or the legacy `::set-output` when the runner gave no file). */
export function setOutput(name: string, value: string): void {
  setOutputEntries([[name, value]]);
}

export function setOutputEntries(entries: readonly (readonly [string, string])[]): void {
  if (runnerFiles.OUTPUT) {
    issueKeyValueFileCommands('OUTPUT', entries);
    return;
  }
  for (const [name, value] of entries) {
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, value);
  }
}

/**
 * Export variables to this process and later steps: every name checked first (checkExportable:
 * nothing under GITHUB_/RUNNER_/ACTIONS_, nothing that hijacks later steps), then GITHUB_ENV
 * (from the snapshot) in one append, then process.env. Nothing is exported when a check fails.
 */
export function exportVariable(name: string, value: string): void {
  exportVariableEntries([[name, value]]);
}

export function exportVariableEntries(entries: readonly (readonly [string, string])[]): void {
  checkExportable(entries.map(([name]) => name));
  if (runnerFiles.ENV) issueKeyValueFileCommands('ENV', entries);
  else for (const [name, value] of entries) issueCommand('set-env', { name }, value);
  for (const [name, value] of entries) process.env[name] = value;
}

/** Append markdown to the step summary file (GITHUB_STEP_SUMMARY, from the snapshot). */
export function appendStepSummary(markdown: string): void {
  const path = runnerFiles.STEP_SUMMARY;
  if (!path)
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  appendFileSync(path, markdown, { encoding: 'utf8' });
}
