import { isAbsolute, join, relative } from 'node:path';
import { ConfigurationError, type Logger } from '@baepo/action-kit';
import { parseConfig } from './load-config.js';
import { type Resolution, resolve } from './resolve.js';
import { type GitHubContext, readTrigger } from './trigger.js';

export interface ResolveEnvInputs {
  config: string;
  environment: string | undefined;
  ref: string | undefined;
  'on-no-match': 'skip' | 'fail';
}

export interface ResolveEnvDeps {
  workspace: string;
  readFile: (path: string) => string;
  github: GitHubContext;
  logger: Logger;
}

export interface ResolveEnvResult {
  resolution: Resolution;
  /** The config file relative to the workspace. */
  configFile: string;
}

/** Read the config, work out the trigger, pick and render the environment. */
export async function run(inputs: ResolveEnvInputs, deps: ResolveEnvDeps): Promise<ResolveEnvResult> {
  const path = isAbsolute(inputs.config) ? inputs.config : join(deps.workspace, inputs.config);
  const shown = relative(deps.workspace, path).startsWith('..') ? path : relative(deps.workspace, path);
  const config = parseConfig(readConfigFile(path, shown, deps), shown);
  deps.logger.info(`Config ${shown}: environments ${config.environments.map((e) => e.name).join(', ')}.`);
  const trigger = readTrigger(deps.github, inputs.ref);
  const resolution = resolve(config, trigger, { sha: deps.github.sha, runNumber: deps.github.runNumber, environment: inputs.environment });
  deps.logger.info(resolution.matched);
  if (!resolution.deploy && inputs['on-no-match'] === 'fail') {
    throw new ConfigurationError(
      `${resolution.matched}. Add a rule to ${shown} that matches it, or set 'on-no-match: skip' to succeed without deploying.`,
      { input: 'on-no-match' },
    );
  }
  return { resolution, configFile: shown };
}

function readConfigFile(path: string, shown: string, deps: ResolveEnvDeps): string {
  try {
    return deps.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigurationError(
        `Config file '${shown}' was not found in the workspace (${deps.workspace}). ` +
          "Check out the repository first (actions/checkout), or set the 'config' input to the file's path relative to the workspace.",
        { input: 'config' },
      );
    }
    throw new ConfigurationError(
      `Config file '${shown}' could not be read (${code ?? (error as Error).message}). Set the 'config' input to a readable YAML file.`,
      { input: 'config' },
    );
  }
}
