import { ConfigurationError, quote } from '@baepo/action-kit';
import { isValidEnvName, relativeName, transformName } from '@baepo/ssm';
import { awsCall } from './aws-errors.js';
import type { SsmApi } from './clients.js';

/**
 * The environment variable name for a parameter under a path, as ssm-load names
 * them (upper-snake): `/shop/prod/db/password` under `/shop/prod` -> `DB_PASSWORD`.
 */
export function parameterEnvName(parameterName: string, path: string): string {
  const name = transformName(relativeName(parameterName, normalisedPath(path)), 'upper-snake');
  if (!isValidEnvName(name)) {
    throw new ConfigurationError(
      `Input 'ssm-secrets-path': parameter ${quote(parameterName)} becomes the variable name ${quote(name)}, which is not valid (letters, digits and '_', not starting with a digit). Rename the parameter or set it through 'secrets' instead.`,
      { input: 'ssm-secrets-path' },
    );
  }
  return name;
}

function normalisedPath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export interface PathSecret {
  name: string;
  valueFrom: string;
}

/**
 * Every parameter under `path` (recursive) as a task definition secret whose
 * valueFrom is the parameter ARN. Only names are read: WithDecryption is false
 * and values never reach the runner. An empty path yields [].
 */
export async function secretsFromSsmPath(ssm: SsmApi, path: string, resourceArn: string): Promise<PathSecret[]> {
  if (!path.startsWith('/')) {
    throw new ConfigurationError(`Input 'ssm-secrets-path' must start with '/', e.g. '/shop/production'; got ${quote(path)}.`, {
      input: 'ssm-secrets-path',
    });
  }
  const found: { name: string; valueFrom: string; parameter: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await awsCall('ssm:GetParametersByPath', resourceArn, () =>
      ssm.getParametersByPath({ Path: path, Recursive: true, WithDecryption: false, MaxResults: 10, NextToken }),
    );
    for (const parameter of page.Parameters ?? []) {
      if (!parameter.Name || !parameter.ARN) continue;
      found.push({ name: parameterEnvName(parameter.Name, path), valueFrom: parameter.ARN, parameter: parameter.Name });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  const byName = new Map<string, string>();
  for (const entry of found) {
    const other = byName.get(entry.name);
    if (other) {
      throw new ConfigurationError(
        `Input 'ssm-secrets-path': parameters ${quote(other)} and ${quote(entry.parameter)} both become secret ${entry.name}; rename one.`,
        { input: 'ssm-secrets-path' },
      );
    }
    byName.set(entry.name, entry.parameter);
  }
  return found.map(({ name, valueFrom }) => ({ name, valueFrom })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Secrets from several paths, layered like ssm-load's `paths`: a later path's
 * parameter replaces an earlier one of the same name (`/shop/common` then
 * `/shop/production`). A path with nothing under it is reported to `onEmpty`;
 * nothing under any of them is an error.
 */
export async function secretsFromSsmPaths(
  ssm: SsmApi,
  paths: readonly string[],
  resourceArn: (path: string) => string,
  report: { onEmpty: (path: string) => void; onOverride: (name: string, from: string, to: string) => void },
): Promise<PathSecret[]> {
  const perPath = await Promise.all(paths.map((path) => secretsFromSsmPath(ssm, path, resourceArn(path))));
  const merged = new Map<string, { secret: PathSecret; path: string }>();
  perPath.forEach((secrets, index) => {
    const path = paths[index] as string;
    if (secrets.length === 0) report.onEmpty(path);
    for (const secret of secrets) {
      const previous = merged.get(secret.name);
      if (previous) report.onOverride(secret.name, previous.path, path);
      merged.set(secret.name, { secret, path });
    }
  });
  if (merged.size === 0) {
    const where = paths.length === 1 ? `under ${quote(paths[0] as string)}` : `under any of ${paths.map((p) => quote(p)).join(', ')}`;
    throw new ConfigurationError(
      `Input 'ssm-secrets-path': no parameters ${where}. Check the path (it is case-sensitive) and the region, or remove the input.`,
      { input: 'ssm-secrets-path' },
    );
  }
  return [...merged.values()].map((entry) => entry.secret).sort((a, b) => a.name.localeCompare(b.name));
}
