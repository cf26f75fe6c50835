import { ConfigurationError, quote } from '@baepo/action-kit';
import type { Variable } from './collect.js';
import { formatDotenv } from './dotenv.js';
import { type LoadDeps, type LoadOptions, loadParameters } from './load.js';
import { describeVariable, jsonFileContent, parametersOutput, summaryMarkdown } from './report.js';

export interface RunOptions extends LoadOptions {
  exportEnv: boolean;
  setOutputs: boolean;
  dotenvFile: string | undefined;
  jsonFile: string | undefined;
}

export interface RunDeps extends LoadDeps {
  /** Writes a file holding secrets (mode 0600); resolves to the absolute path written. */
  writeSecretFile: (path: string, content: string) => Promise<string>;
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
 * ssm-load: load and check everything, then write the files; the caller exports the
 * returned env and outputs. Any failure happens before anything leaves the process.
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
  for (const v of variables) deps.logger.info(describeVariable(v));
  if (options.dotenvFile) {
    const written = await deps.writeSecretFile(options.dotenvFile, formatDotenv(variables));
    deps.logger.info(`Wrote ${variables.length} variables to ${written} (mode 0600).`);
  }
  if (options.jsonFile) {
    const written = await deps.writeSecretFile(options.jsonFile, jsonFileContent(variables));
    deps.logger.info(`Wrote ${variables.length} variables to ${written} (mode 0600).`);
  }
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
