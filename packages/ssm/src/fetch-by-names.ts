import { type SsmApi, type SsmParameter, toSsmParameter } from './ssm-api.js';

/** The API maximum for GetParameters. */
export const BATCH_SIZE = 10;

export interface NamesResult {
  /** Found parameters by the name as requested (with its selector, if any). */
  found: Map<string, SsmParameter>;
  /** Requested names Parameter Store does not have. */
  missing: string[];
}

/** Split into batches of at most `size`. */
export function batches<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** One GetParameters batch (at most 10 names). */
export async function fetchBatch(
  ssm: SsmApi,
  names: readonly string[],
  options: { decrypt: boolean; signal?: AbortSignal },
): Promise<NamesResult> {
  const response = await ssm.getParameters({ Names: [...names], WithDecryption: options.decrypt }, options.signal);
  const found = new Map<string, SsmParameter>();
  for (const raw of response.Parameters ?? []) {
    const parameter = toSsmParameter(raw);
    found.set(`${parameter.name}${parameter.selector ?? ''}`, parameter);
  }
  return { found, missing: names.filter((name) => !found.has(name)) };
}
