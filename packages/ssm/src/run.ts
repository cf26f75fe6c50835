import { ConfigurationError, checkExportable, quote } from '@baepo/action-kit';
import type { Variable } from './collect.js';
import { formatDotenv } from './dotenv.js';
import { type LoadDeps, type LoadOptions, loadParameters } from './load.js';
import { describeVariable, jsonFileContent, parametersOutput, summaryMarkdown } from './report.js';
import type { StagedFile } from './secret-file.js';

export interface RunOptions extends LoadOptions {
  exportEnv: boolean;
  setOutputs: boolean;
  dotenvFile: string | undefined;
  jsonFile: string | undefined;
}

export interface RunDeps extends LoadDeps {
  /** Stages a file holding secrets (mode 0600) for the input that names it; committed once every file is staged. */
  stageSecretFile: (input: 'dotenv-file' | 'json-file', path: string, content: string) => Promise<StagedFile>;
}

export interface RunResult {
  /** Variables for GITHUB_ENV (empty unless export-env). */
  env: Record<string, string>;
  /** Step outputs: count, names, parameters, and one per variable with set-outputs. */
  outputs: Record<string, string>;
  summary: string;
  variables: Variable[];
}

const OWN_OUTPUTS = ['count', 'names', 'parameters'];

/**
 * ssm-load: load and check everything (names included), then write the files (all staged
 * first, then renamed into place); the caller exports the returned env and outputs. Any
 * failure happens before anything leaves the process.
 */
export async function runSsmLoad(options: RunOptions, deps: RunDeps): Promise<RunResult> {
  const { variables, overrides } = await loadParameters(options, deps);
  if (options.setOutputs) {
    const clash = variables.filter((v) => OWN_OUTPUTS.includes(v.name.toLowerCase()));
    if (clash.length) {
      throw new ConfigurationError(
        `With set-outputs: true, the variable${clash.length === 1 ? '' : 's'} ${clash.map((v) => quote(v.name)).join(', ')} would clash with this action's own output of the same name (outputs are case-insensitive); set a 'prefix' such as 'APP_'.`,
        { input: 'set-outputs' },
      );
    }
  }
  checkNames(variables, options);
  for (const v of variables) deps.logger.info(describeVariable(v));
  await writeFiles(variables, options, deps);
  const values = Object.fromEntries(variables.map((v) => [v.name, v.value]));
  const outputs: Record<string, string> = {
    count: String(variables.length),
    names: JSON.stringify(variables.map((v) => v.name)),
    parameters: JSON.stringify(parametersOutput(variables)),
    ...(options.setOutputs ? values : {}),
  };
  const exported = options.exportEnv ? values : {};
  deps.logger.info(
    `Loaded ${variables.length} variable${variables.length === 1 ? '' : 's'}${options.exportEnv ? ', exported to the job environment' : ''}${options.setOutputs ? ', set as step outputs' : ''}.`,
  );
  return { env: exported, outputs, summary: summaryMarkdown(variables, overrides), variables };
}

/**
 * Refuse, before anything is written, a variable name that would redirect the runner's files
 * or hijack later steps (action-kit's checkExportable), naming the parameter (and JSON key) it
 * came from. The dotenv file is checked too: a shell may source it (`set -a; . ./.env`).
 */
function checkNames(variables: readonly Variable[], options: RunOptions): void {
  const targets = [...(options.exportEnv ? ['the job environment'] : []), ...(options.dotenvFile ? ["the 'dotenv-file'"] : [])];
  if (targets.length === 0) return;
  const byName = new Map(variables.map((v) => [v.name, v]));
  checkExportable(byName.keys(), {
    target: targets.join(' or '),
    describe: (name) => {
      const v = byName.get(name) as Variable;
      return `Parameter ${quote(v.parameter)}${v.jsonKey === undefined ? '' : ` (JSON key ${quote(v.jsonKey)})`} becomes the variable ${quote(name)}, which`;
    },
    hint: "Set a 'prefix' such as 'APP_' (APP_PATH is fine), give it another 'ENV_NAME=' in 'names', or rename the parameter. The README lists the refused names and why.",
  });
}

/** Stage every requested file, then commit them all: a failure writes none. */
async function writeFiles(variables: readonly Variable[], options: RunOptions, deps: RunDeps): Promise<void> {
  const requested = [
    ...(options.dotenvFile ? [{ input: 'dotenv-file' as const, path: options.dotenvFile, content: formatDotenv(variables) }] : []),
    ...(options.jsonFile ? [{ input: 'json-file' as const, path: options.jsonFile, content: jsonFileContent(variables) }] : []),
  ];
  const staged: StagedFile[] = [];
  try {
    for (const file of requested) staged.push(await deps.stageSecretFile(file.input, file.path, file.content));
    if (staged.length === 2 && staged[0]?.path === staged[1]?.path) {
      throw new ConfigurationError(
        `Inputs 'dotenv-file' and 'json-file' name the same file ${quote(staged[0]?.path ?? '')}; give each its own path.`,
      );
    }
  } catch (error) {
    await Promise.all(staged.map((file) => file.discard()));
    throw error;
  }
  for (const file of staged) {
    await file.commit();
    deps.logger.info(`Wrote ${variables.length} variables to ${file.path} (mode 0600).`);
  }
}
