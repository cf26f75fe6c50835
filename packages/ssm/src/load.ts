import { ConfigurationError, type Logger, quote } from '@baepo/action-kit';
import pLimit from 'p-limit';
import { translateReadError } from './access-error.js';
import { mergeSources, type NamingOptions, type Override, type Variable, variablesFromNames, variablesFromPath } from './collect.js';
import { escapeDotenvValue } from './dotenv.js';
import { isValidEnvName, type NameTransform } from './env-name.js';
import { batches, fetchBatch } from './fetch-by-names.js';
import { fetchByPath } from './fetch-by-path.js';
import { type NameSpec, normalizePath, parseNameSpecs } from './parameter-path.js';
import type { SsmApi, SsmParameter } from './ssm-api.js';

export interface LoadOptions {
  paths: readonly string[];
  /** `names` input lines: `ENV_NAME=/full/name` or `/full/name`. */
  names: readonly string[];
  required: readonly string[];
  recursive: boolean;
  decrypt: boolean;
  nameTransform: NameTransform;
  prefix: string;
  expandJson: boolean;
  stringList: 'csv' | 'json';
  mask: 'secure' | 'all';
  /** For the ARNs in access-denied messages. */
  region: string;
}

export interface LoadDeps {
  ssm: SsmApi;
  logger: Logger;
  /** Registers a secret with the runner; called for every secret value before anything is logged. */
  mask: (value: string) => void;
  /** Parallel API calls (paths and GetParameters batches). */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface LoadResult {
  /** The variables to export, sorted by name. */
  variables: Variable[];
  overrides: Override[];
  /** Paths that matched no parameter. */
  emptyPaths: string[];
}

/** Check every input that needs no AWS call; all problems at once. */
function validate(options: LoadOptions): { paths: string[]; specs: NameSpec[] } {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ConfigurationError) problems.push(error.message);
      else throw error;
      return undefined;
    }
  };
  const paths = options.paths.map((path) => attempt(() => normalizePath(path))).filter((p): p is string => p !== undefined);
  const specs = attempt(() => parseNameSpecs(options.names)) ?? [];
  if (options.paths.length === 0 && options.names.length === 0) {
    problems.push(
      "Nothing to load: give at least one of 'paths' (e.g. '/shop/production') or 'names' (e.g. 'DB_PASSWORD=/shop/production/db/password').",
    );
  }
  const badRequired = options.required.filter((name) => !isValidEnvName(name));
  if (badRequired.length) {
    problems.push(
      `Input 'required' lists invalid variable names ${badRequired.map((n) => quote(n)).join(', ')}; list environment variable names such as 'DB_PASSWORD'.`,
    );
  }
  if (options.prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.prefix)) {
    problems.push(`Input 'prefix' must be letters, digits and '_', not starting with a digit (e.g. 'APP_'); got ${quote(options.prefix)}.`);
  }
  const duplicates = paths.filter((path, i) => paths.indexOf(path) !== i);
  if (duplicates.length) problems.push(`Input 'paths' lists ${duplicates.map((p) => quote(p)).join(', ')} more than once; keep one.`);
  if (problems.length === 1) throw new ConfigurationError(problems[0] as string);
  if (problems.length > 1) throw new ConfigurationError(`${problems.length} problems with the inputs: ${problems.join(' ')}`);
  return { paths, specs };
}

/** Wait for every call; report the failures together (configuration problems first). */
async function settle<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
  if (failures.length === 0) return results.map((r) => (r as PromiseFulfilledResult<T>).value);
  if (failures.length === 1) throw failures[0];
  const message = failures.map((f) => f.message).join(' ');
  if (failures.every((f) => f instanceof ConfigurationError)) throw new ConfigurationError(message, { cause: failures[0] });
  throw new Error(message, { cause: failures[0] });
}

/**
 * Load parameters from paths (every page, concurrently) and names (batches of 10),
 * mask secrets, name, expand, merge (later paths, then names, override) and check
 * required names. Nothing is written here: the caller exports only after success.
 */
export async function loadParameters(options: LoadOptions, deps: LoadDeps): Promise<LoadResult> {
  const { paths, specs } = validate(options);
  const naming: NamingOptions = {
    transform: options.nameTransform,
    prefix: options.prefix,
    expandJson: options.expandJson,
    stringList: options.stringList,
    maskAll: options.mask === 'all',
  };
  const limit = pLimit(deps.concurrency ?? 8);
  const read = { region: options.region, decrypt: options.decrypt };
  const pathResults = paths.map((path) =>
    limit(() =>
      fetchByPath(deps.ssm, path, { recursive: options.recursive, decrypt: options.decrypt, signal: deps.signal }).catch(
        (error: unknown) => {
          throw translateReadError(error, { action: 'ssm:GetParametersByPath', subjects: [path], ...read });
        },
      ),
    ),
  );
  const uniqueNames = [...new Set(specs.map((s) => s.parameter))];
  const batchResults = batches(uniqueNames).map((batch) =>
    limit(() =>
      fetchBatch(deps.ssm, batch, { decrypt: options.decrypt, signal: deps.signal }).catch((error: unknown) => {
        throw translateReadError(error, { action: 'ssm:GetParameters', subjects: batch, ...read });
      }),
    ),
  );
  const [byPath, byName] = await Promise.all([settle(pathResults), settle(batchResults)]).catch((error: unknown) => {
    // A cancelled job: report the cancellation, not the SDK's "Request aborted".
    throw deps.signal?.aborted ? deps.signal.reason : error;
  });

  // Mask before anything is logged or can fail with a message.
  const masked = new Set<string>();
  const mask = (value: string): void => {
    if (masked.has(value)) return;
    masked.add(value);
    deps.mask(value);
  };
  const all: SsmParameter[] = [...byPath.flat(), ...byName.flatMap((r) => [...r.found.values()])];
  for (const parameter of all) if (parameter.type === 'SecureString' || naming.maskAll) mask(parameter.value);

  const missing = byName.flatMap((r) => r.missing);
  if (missing.length) {
    throw new ConfigurationError(
      `${missing.length === 1 ? 'This parameter does' : `These ${missing.length} parameters do`} not exist (or are not visible in region ${options.region}): ${missing.map((n) => quote(n)).join(', ')}. Fix the 'names' input or create the parameter(s).`,
      { input: 'names' },
    );
  }
  const found = new Map(byName.flatMap((r) => [...r.found]));
  const sources = paths.map((path, i) => variablesFromPath(path, byPath[i] ?? [], naming));
  sources.push(variablesFromNames(specs, found, naming));
  // Values derived from a secret (flattened JSON, a StringList as JSON) are new strings: mask them too,
  // and the form `cat .env` prints (dotenv-escaped: `\$`, `\"`, `\n`...) where it differs.
  for (const source of sources) {
    for (const v of source.values()) {
      if (!v.secret) continue;
      mask(v.value);
      mask(escapeDotenvValue(v.value));
    }
  }
  const { variables, overrides } = mergeSources(sources);

  const emptyPaths = paths.filter((_, i) => (byPath[i] ?? []).length === 0);
  for (const path of emptyPaths) {
    deps.logger.warning(
      `No parameters under ${quote(path)}${options.recursive ? '' : " (recursive: false reads only the path's direct children)"}; check the path and region ${options.region}.`,
    );
  }
  const absent = options.required.filter((name) => !variables.has(name));
  if (absent.length) {
    const searched = [...paths.map((p) => quote(p)), ...(specs.length ? ["the 'names' input"] : [])].join(', ');
    throw new ConfigurationError(
      `Required variable${absent.length === 1 ? '' : 's'} ${absent.map((n) => quote(n)).join(', ')} ${absent.length === 1 ? 'was' : 'were'} not loaded (searched ${searched}${options.recursive ? ', recursively' : ''}). Create the parameter(s), fix 'paths'/'names', or remove the name from 'required'.`,
      { input: 'required' },
    );
  }
  for (const o of overrides) {
    deps.logger.info(
      `${o.name}: ${quote(o.winner.parameter)} (${o.winner.source}) overrides ${quote(o.replaced.parameter)} (${o.replaced.source}).`,
    );
  }
  const sorted = [...variables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { variables: sorted, overrides, emptyPaths };
}
