/** The placeholders `vars`, `ssm-paths` and `url` may use. */
export const PLACEHOLDERS = ['environment', 'ref-name', 'ref-slug', 'sha', 'sha-short', 'pr-number', 'version', 'run-number'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

/** `{name}` where name looks like an identifier; other braces (JSON, globs) are left alone. */
const TOKEN = /\{([A-Za-z0-9_-]+)\}/g;

/** Placeholder names used in `text` that baepo does not know, in order of appearance. */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...text.matchAll(TOKEN)].map((m) => m[1] as string).filter((name) => !known.has(name));
}

/** Replace every known placeholder; call only on text that passed `unknownPlaceholders`. */
export function renderPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(TOKEN, (token, name: string) => (name in values ? values[name as Placeholder] : token));
}
