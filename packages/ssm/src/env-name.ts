import { ConfigurationError, quote } from '@baepo/action-kit';

/** How a parameter's relative path becomes an environment variable name. */
export type NameTransform = 'upper-snake' | 'lower-snake' | 'as-is';
export const NAME_TRANSFORMS: readonly NameTransform[] = ['upper-snake', 'lower-snake', 'as-is'];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name a shell, GITHUB_ENV and dotenv parsers all accept. */
export function isValidEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/**
 * Apply a transform to one piece of a name (a relative parameter path or a JSON key):
 * `upper-snake` turns every character that is not a letter, digit or `_` into `_`
 * and upper-cases (`db/password` → `DB_PASSWORD`); `lower-snake` lower-cases instead;
 * `as-is` keeps the text unchanged.
 */
export function transformName(text: string, transform: NameTransform): string {
  if (transform === 'as-is') return text;
  const snake = text.replace(/[^A-Za-z0-9_]/g, '_');
  return transform === 'upper-snake' ? snake.toUpperCase() : snake.toLowerCase();
}

/**
 * The environment variable name of a parameter, from its path relative to the path it
 * was loaded from (`db/password` under `/shop/production`), a transform and a prefix.
 * Throws a ConfigurationError when the result is not a valid variable name.
 */
export function parameterEnvName(relativePath: string, transform: NameTransform, prefix = ''): string {
  const name = `${prefix}${transformName(relativePath, transform)}`;
  if (!isValidEnvName(name)) {
    const hint =
      transform === 'as-is'
        ? "with name-transform 'as-is' the relative name must already be a valid variable name; use 'upper-snake' or 'lower-snake'"
        : "a variable name must start with a letter or '_'; set a 'prefix' such as 'APP_'";
    throw new ConfigurationError(
      `Parameter ${quote(relativePath)} becomes the environment variable name ${quote(name)}, which is not valid (letters, digits and '_', not starting with a digit): ${hint}.`,
      { input: 'name-transform' },
    );
  }
  return name;
}
