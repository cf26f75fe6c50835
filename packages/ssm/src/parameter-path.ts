import { ConfigurationError, quote } from '@baepo/action-kit';
import { isValidEnvName } from './env-name.js';

const PATH = /^\/(?:[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*)?\/?$/;
const NAME = /^\/?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*(?::[A-Za-z0-9_.-]+)?$/;

/** Check a `paths` entry; returns it without a trailing slash (except the root `/`). */
export function normalizePath(path: string): string {
  if (!PATH.test(path)) {
    throw new ConfigurationError(
      `Input 'paths' has the invalid path ${quote(path)}: a path starts with '/' and holds only letters, digits and '_', '.', '-' between single slashes (e.g. '/shop/production').`,
      { input: 'paths' },
    );
  }
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** A parameter's name relative to the path it was loaded from: `/shop/prod/db/password` under `/shop/prod` → `db/password`. */
export function relativeName(parameterName: string, path: string): string {
  const base = path === '/' ? '/' : `${path}/`;
  if (parameterName.startsWith(base)) return parameterName.slice(base.length);
  return parameterName.replace(/^\//, '');
}

/** One `names` entry: an explicit variable name, or one derived from the parameter's last segment. */
export interface NameSpec {
  /** The name as given, possibly with a `:version` or `:label` selector. */
  parameter: string;
  /** The explicit variable name (`ENV=/name`); undefined for a bare `/name`. */
  envName: string | undefined;
  /** The part the variable name is derived from for a bare name: the last path segment. */
  baseName: string;
}

/** Parse the `names` input: `ENV_NAME=/full/name` or `/full/name`, one per line. All problems are reported together. */
export function parseNameSpecs(lines: readonly string[]): NameSpec[] {
  const problems: string[] = [];
  const specs: NameSpec[] = [];
  for (const line of lines) {
    const at = line.indexOf('=');
    const envName = at < 0 ? undefined : line.slice(0, at).trim();
    const parameter = at < 0 ? line.trim() : line.slice(at + 1).trim();
    if (envName !== undefined && !isValidEnvName(envName)) {
      problems.push(
        `${quote(envName)} in ${quote(line)} is not a valid variable name (letters, digits and '_', not starting with a digit).`,
      );
      continue;
    }
    if (!NAME.test(parameter)) {
      problems.push(
        `${quote(parameter)} is not a parameter name (e.g. '/shop/production/db/password', optionally with ':3' or ':label'); write 'ENV_NAME=/full/name' or '/full/name'.`,
      );
      continue;
    }
    const withoutSelector = parameter.replace(/:[^/]*$/, '');
    specs.push({ parameter, envName, baseName: withoutSelector.slice(withoutSelector.lastIndexOf('/') + 1) });
  }
  if (problems.length) throw new ConfigurationError(`Input 'names' is invalid: ${problems.join(' ')}`, { input: 'names' });
  return specs;
}
