import { type NameTransform, parameterEnvName, transformName } from './env-name.js';

/** The value as a non-empty JSON object, or undefined when it is anything else. */
export function jsonObject(value: string): Record<string, unknown> | undefined {
  if (!value.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length > 0) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // not JSON: kept as one value
  }
  return undefined;
}

export interface FlatEntry {
  name: string;
  value: string;
  /** The JSON keys that lead to the value, joined with '.'. */
  key: string;
}

/**
 * Flatten a JSON object into `NAME_KEY` entries; nested keys are joined with `_` and
 * transformed like parameter names. Strings stay as they are, other scalars and arrays
 * become their JSON text, `null` becomes ''.
 */
export function flattenJson(name: string, object: Record<string, unknown>, transform: NameTransform): FlatEntry[] {
  const entries: FlatEntry[] = [];
  const walk = (prefix: string, keys: string[], value: unknown): void => {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(`${prefix}_${transformName(key, transform)}`, [...keys, key], child);
      return;
    }
    const text = typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value);
    entries.push({ name: parameterEnvName(prefix, 'as-is'), value: text, key: keys.join('.') });
  };
  walk(name, [], object);
  return entries;
}
