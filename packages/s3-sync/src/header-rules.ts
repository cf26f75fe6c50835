import { ConfigurationError, type KeyValue, quote } from '@baepo/action-kit';
import { detectContentType } from './content-type.js';
import { compileGlob, type Glob } from './globs.js';

/** The headers baepo manages on every object. */
export interface ObjectHeaders {
  contentType: string;
  /** Undefined: the object has no Cache-Control header. */
  cacheControl: string | undefined;
}

interface Rule {
  glob: Glob;
  value: string;
}

/** `cache-control` and `content-type` rules: `glob=value`, first match wins. */
export interface HeaderRules {
  headersFor(key: string): ObjectHeaders;
  /** Globs of rules that matched none of the given keys (probably a typo). */
  unusedRules(keys: readonly string[]): string[];
}

const MEDIA_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9!#$%&'*+.^_`|~-]+=("[^"\r\n]*"|[a-z0-9!#$%&'*+.^_`|~-]+))*$/i;
// Printable ASCII only: S3 rejects or mangles anything else in a header value.
const HEADER_VALUE = /^[\x20-\x7e]+$/;

function compileRules(entries: readonly KeyValue[], input: 'cache-control' | 'content-type'): Rule[] {
  return entries.map(({ key, value, line }) => {
    const glob = compileGlob(key, input);
    if (!HEADER_VALUE.test(value)) {
      throw new ConfigurationError(
        `Input '${input}' line ${line} (${quote(key)}) has an invalid header value ${quote(value)}: use printable ASCII without line breaks.`,
        { input },
      );
    }
    if (input === 'content-type' && !MEDIA_TYPE.test(value)) {
      throw new ConfigurationError(
        `Input '${input}' line ${line} (${quote(key)}) has an invalid media type ${quote(value)}: write it as 'type/subtype', optionally with parameters, e.g. 'text/html; charset=utf-8'.`,
        { input },
      );
    }
    return { glob, value };
  });
}

export function headerRules(cacheControl: readonly KeyValue[], contentType: readonly KeyValue[]): HeaderRules {
  const cacheRules = compileRules(cacheControl, 'cache-control');
  const typeRules = compileRules(contentType, 'content-type');
  const first = (rules: Rule[], key: string) => rules.find((rule) => rule.glob.matches(key))?.value;
  return {
    headersFor: (key) => ({
      contentType: first(typeRules, key) ?? detectContentType(key),
      cacheControl: first(cacheRules, key),
    }),
    unusedRules: (keys) =>
      [...cacheRules, ...typeRules].filter((rule) => !keys.some((key) => rule.glob.matches(key))).map((rule) => rule.glob.pattern),
  };
}

export function sameHeaders(a: ObjectHeaders, b: ObjectHeaders): boolean {
  return a.contentType === b.contentType && (a.cacheControl ?? '') === (b.cacheControl ?? '');
}
