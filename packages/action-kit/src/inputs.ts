import { parseByteSize } from './bytes.js';
import { parseDuration } from './duration.js';
import { ConfigurationError, quote } from './errors.js';

/**
 * One input of an action: how it is declared in action.yml (required, default)
 * and how its raw text becomes a typed value. `raw` is undefined when the input
 * was not given or is empty (an empty optional input means "not given").
 */
export interface Field<T> {
  readonly kind: string;
  readonly required: boolean;
  /** The default exactly as action.yml declares it. */
  readonly default: string | undefined;
  parse(raw: string | undefined, name: string): T;
}

export type InputSpec = Record<string, Field<unknown>>;
export type Inputs<S extends InputSpec> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };
/** Reads one raw input by its action.yml name; returns '' when absent. */
export type InputReader = (name: string) => string;

/** Parse every input of a spec; all problems are reported together. */
export function parseInputs<S extends InputSpec>(spec: S, read: InputReader): Inputs<S> {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, field] of Object.entries(spec)) {
    const text = read(name).trim();
    const raw = text === '' ? field.default : text;
    try {
      if (raw === undefined && field.required) {
        throw new ConfigurationError(`Input '${name}' is required but was not given.`, { input: name });
      }
      result[name] = field.parse(raw, name);
    } catch (error) {
      if (error instanceof ConfigurationError) problems.push(error.message);
      else throw error;
    }
  }
  if (problems.length === 1) throw new ConfigurationError(problems[0] as string);
  if (problems.length > 1) throw new ConfigurationError(`${problems.length} inputs are invalid: ${problems.join(' ')}`);
  return result as Inputs<S>;
}

/** Reader over the runner's `INPUT_<NAME>` environment variables. */
export function envInputReader(env: NodeJS.ProcessEnv = process.env): InputReader {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
}

interface Options<D> {
  required?: boolean;
  default?: D;
}

function field<T>(
  kind: string,
  options: { required?: boolean; default?: string },
  parse: (raw: string, name: string) => T,
  empty: T,
): Field<T> {
  return {
    kind,
    required: options.required ?? false,
    default: options.default,
    parse: (raw, name) => (raw === undefined ? empty : parse(raw, name)),
  };
}

/** Free text. */
export function text(options: { required: true } | { default: string }): Field<string>;
export function text(options?: Options<string>): Field<string | undefined>;
export function text(options: Options<string> = {}): Field<string | undefined> {
  return field('text', options, (raw) => raw, undefined);
}

/** Exactly `true` or `false`; anything else is an error quoting the value. */
export function boolean(options: { default: boolean }): Field<boolean> {
  return field('boolean', { default: String(options.default) }, (raw, name) => parseBoolean(raw, name), options.default);
}

export function parseBoolean(raw: string, name: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigurationError(`Input '${name}' must be 'true' or 'false', got ${quote(raw)}.`, { input: name });
}

/** One of a fixed set of values; the error lists them. */
export function choice<const V extends string>(values: readonly V[], options: { default: V }): Field<V>;
export function choice<const V extends string>(values: readonly V[], options?: { required?: boolean }): Field<V | undefined>;
export function choice<const V extends string>(values: readonly V[], options: Options<V> = {}): Field<V | undefined> {
  return field('choice', options, (raw, name) => parseChoice(raw, name, values), undefined);
}

export function parseChoice<V extends string>(raw: string, name: string, values: readonly V[]): V {
  if ((values as readonly string[]).includes(raw)) return raw as V;
  throw new ConfigurationError(`Input '${name}' must be one of ${values.map((v) => `'${v}'`).join(', ')}; got ${quote(raw)}.`, {
    input: name,
  });
}

/** A duration such as `90s`, `15m`, `2h`, `1h30m`; parsed to milliseconds. */
export function duration(options: { default: string; min?: number; max?: number }): Field<number>;
export function duration(options?: { required?: boolean; min?: number; max?: number }): Field<number | undefined>;
export function duration(options: Options<string> & { min?: number; max?: number } = {}): Field<number | undefined> {
  return field(
    'duration',
    options,
    (raw, name) => {
      const ms = parseDuration(raw);
      if (ms === undefined) {
        throw new ConfigurationError(`Input '${name}' must be a duration such as '90s', '15m' or '2h'; got ${quote(raw)}.`, {
          input: name,
        });
      }
      checkRange(name, raw, ms, options.min, options.max, (v) => `${v / 1000}s`);
      return ms;
    },
    undefined,
  );
}

/** A whole number, optionally bounded. */
export function integer(options: { default: number; min?: number; max?: number }): Field<number>;
export function integer(options?: { required?: boolean; min?: number; max?: number }): Field<number | undefined>;
export function integer(options: Options<number> & { min?: number; max?: number } = {}): Field<number | undefined> {
  const declared = options.default === undefined ? {} : { default: String(options.default) };
  return field(
    'integer',
    { ...declared, ...(options.required ? { required: true } : {}) },
    (raw, name) => {
      if (!/^-?\d+$/.test(raw)) throw new ConfigurationError(`Input '${name}' must be a whole number; got ${quote(raw)}.`, { input: name });
      const value = Number(raw);
      checkRange(name, raw, value, options.min, options.max, String);
      return value;
    },
    undefined,
  );
}

/** A byte size such as `16MiB`, `5MB` or `1048576`. */
export function byteSize(options: { default: string; min?: number; max?: number }): Field<number>;
export function byteSize(options?: { min?: number; max?: number }): Field<number | undefined>;
export function byteSize(options: Options<string> & { min?: number; max?: number } = {}): Field<number | undefined> {
  return field(
    'byte-size',
    options,
    (raw, name) => {
      const bytes = parseByteSize(raw);
      if (bytes === undefined) {
        throw new ConfigurationError(`Input '${name}' must be a size such as '16MiB', '5MB' or '1048576'; got ${quote(raw)}.`, {
          input: name,
        });
      }
      checkRange(name, raw, bytes, options.min, options.max, (v) => `${v} bytes`);
      return bytes;
    },
    undefined,
  );
}

function checkRange(
  name: string,
  raw: string,
  value: number,
  min: number | undefined,
  max: number | undefined,
  show: (v: number) => string,
): void {
  if (min !== undefined && value < min) {
    throw new ConfigurationError(`Input '${name}' must be at least ${show(min)}; got ${quote(raw)}.`, { input: name });
  }
  if (max !== undefined && value > max) {
    throw new ConfigurationError(`Input '${name}' must be at most ${show(max)}; got ${quote(raw)}.`, { input: name });
  }
}

/** Multi-line list: one item per line; blank lines and `#` comment lines ignored. `default` is the raw multi-line text. */
export function list(options: { required?: boolean; default?: string } = {}): Field<string[]> {
  return field('list', options, (raw) => parseList(raw), []);
}

export function parseList(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export interface KeyValue {
  key: string;
  value: string;
  /** 1-based line number within the input, for error messages. */
  line: number;
}

/**
 * Multi-line `key=value` map, in order. Blank lines and `#` comment lines are
 * ignored; the value is everything after the first `=`; duplicate keys are an error.
 */
export function keyValues(options: { required?: boolean; separator?: string } = {}): Field<KeyValue[]> {
  return field('key-values', options, (raw, name) => parseKeyValues(raw, name, options.separator ?? '='), []);
}

export function parseKeyValues(raw: string, name: string, separator = '='): KeyValue[] {
  const entries: KeyValue[] = [];
  const seen = new Map<string, number>();
  raw.split(/\r?\n/).forEach((original, index) => {
    const line = original.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = line.indexOf(separator);
    const key = at < 0 ? '' : line.slice(0, at).trim();
    if (at < 0 || key === '') {
      throw new ConfigurationError(`Input '${name}' line ${index + 1} must look like 'key${separator}value'; got ${quote(line)}.`, {
        input: name,
      });
    }
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new ConfigurationError(`Input '${name}' sets ${quote(key)} twice (lines ${previous} and ${index + 1}); keep one.`, {
        input: name,
      });
    }
    seen.set(key, index + 1);
    entries.push({ key, value: line.slice(at + separator.length).trim(), line: index + 1 });
  });
  return entries;
}
