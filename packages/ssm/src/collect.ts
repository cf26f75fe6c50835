import { ConfigurationError, quote } from '@baepo/action-kit';
import { type NameTransform, parameterEnvName } from './env-name.js';
import { flattenJson, jsonObject } from './expand-json.js';
import type { NameSpec } from './parameter-path.js';
import { relativeName } from './parameter-path.js';
import type { ParameterType, SsmParameter } from './ssm-api.js';

/** One environment variable to export, with where it came from (never logged with its value). */
export interface Variable {
  name: string;
  value: string;
  /** The full parameter name. */
  parameter: string;
  type: ParameterType;
  version: number;
  /** The `paths` entry it was loaded from, or 'names'. */
  source: string;
  /** Masked in the log: SecureString always, everything with `mask: all`. */
  secret: boolean;
  /** For values expanded from a JSON object: the key path (`db.host`). */
  jsonKey?: string;
}

export interface NamingOptions {
  transform: NameTransform;
  prefix: string;
  expandJson: boolean;
  stringList: 'csv' | 'json';
  maskAll: boolean;
}

function baseVariable(parameter: SsmParameter, name: string, source: string, options: NamingOptions): Variable {
  const value =
    parameter.type === 'StringList' && options.stringList === 'json' ? JSON.stringify(parameter.value.split(',')) : parameter.value;
  return {
    name,
    value,
    parameter: parameter.name,
    type: parameter.type,
    version: parameter.version,
    source,
    secret: parameter.type === 'SecureString' || options.maskAll,
  };
}

/** Expand a JSON-object value into NAME_KEY variables when asked to. */
function expand(variable: Variable, options: NamingOptions): Variable[] {
  if (!options.expandJson || variable.type === 'StringList') return [variable];
  const object = jsonObject(variable.value);
  if (!object) return [variable];
  return flattenJson(variable.name, object, options.transform).map((entry) => ({
    ...variable,
    name: entry.name,
    value: entry.value,
    jsonKey: entry.key,
  }));
}

/** Refuse two variables of the same name from one source, naming both parameters. */
function addUnique(into: Map<string, Variable>, variables: Variable[], source: string): void {
  for (const variable of variables) {
    const other = into.get(variable.name);
    if (other) {
      const describe = (v: Variable) => `${quote(v.parameter)}${v.jsonKey ? ` (JSON key ${quote(v.jsonKey)})` : ''}`;
      throw new ConfigurationError(
        `${describe(other)} and ${describe(variable)} from ${source === 'names' ? "the 'names' input" : `path ${quote(source)}`} both become the variable ${quote(variable.name)}; rename one of the parameters, ${source === 'names' ? "give one an explicit 'ENV_NAME=' in 'names'" : "or load one of them with 'names' and an explicit 'ENV_NAME='"}.`,
      );
    }
    into.set(variable.name, variable);
  }
}

/** The variables of one `paths` entry: names from the path-relative name, collisions refused. */
export function variablesFromPath(path: string, parameters: readonly SsmParameter[], options: NamingOptions): Map<string, Variable> {
  const result = new Map<string, Variable>();
  const sorted = [...parameters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const parameter of sorted) {
    const name = parameterEnvName(relativeName(parameter.name, path), options.transform, options.prefix);
    addUnique(result, expand(baseVariable(parameter, name, path, options), options), path);
  }
  return result;
}

/** The variables of the `names` input: an explicit name as given, else the last segment transformed and prefixed. */
export function variablesFromNames(
  specs: readonly NameSpec[],
  found: ReadonlyMap<string, SsmParameter>,
  options: NamingOptions,
): Map<string, Variable> {
  const result = new Map<string, Variable>();
  for (const spec of specs) {
    const parameter = found.get(spec.parameter);
    if (!parameter) continue;
    const name = spec.envName ?? parameterEnvName(spec.baseName, options.transform, options.prefix);
    addUnique(result, expand(baseVariable(parameter, name, 'names', options), options), 'names');
  }
  return result;
}

export interface Override {
  name: string;
  /** The variable that now wins. */
  winner: Variable;
  /** The one it replaced. */
  replaced: Variable;
}

/** Merge sources in order: a later source overrides an earlier one; every override is reported. */
export function mergeSources(sources: readonly Map<string, Variable>[]): { variables: Map<string, Variable>; overrides: Override[] } {
  const variables = new Map<string, Variable>();
  const overrides: Override[] = [];
  for (const source of sources) {
    for (const [name, variable] of source) {
      const replaced = variables.get(name);
      if (replaced) overrides.push({ name, winner: variable, replaced });
      variables.set(name, variable);
    }
  }
  return { variables, overrides };
}
