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

/**
 * Every parameter under `path` (recursive) as a task definition secret whose
 * valueFrom is the parameter ARN. Only names are read: WithDecryption is false
 * and values never reach the runner.
 */
export async function secretsFromSsmPath(ssm: SsmApi, path: string, resourceArn: string): Promise<{ name: string; valueFrom: string }[]> {
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
  if (found.length === 0) {
    throw new ConfigurationError(
      `Input 'ssm-secrets-path': no parameters under ${quote(path)}. Check the path (it is case-sensitive) and the region, or remove the input.`,
      { input: 'ssm-secrets-path' },
    );
  }
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
