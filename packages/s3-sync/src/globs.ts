import { ConfigurationError, quote } from '@baepo/action-kit';
import { Minimatch } from 'minimatch';

/** A compiled glob over keys relative to `source` (dotfiles match; `/` separates directories). */
export interface Glob {
  readonly pattern: string;
  matches(key: string): boolean;
}

/** Compile one glob, rejecting patterns that can never match a relative key. */
export function compileGlob(pattern: string, input: string): Glob {
  const problem = globProblem(pattern);
  if (problem) {
    throw new ConfigurationError(`Input '${input}' has an invalid glob ${quote(pattern)}: ${problem}.`, { input });
  }
  const matcher = new Minimatch(pattern, { dot: true, nonegate: true, nocomment: true });
  if (matcher.makeRe() === false) {
    throw new ConfigurationError(`Input '${input}' has an invalid glob ${quote(pattern)}: it cannot be parsed.`, { input });
  }
  return { pattern, matches: (key) => matcher.match(key) };
}

function globProblem(pattern: string): string | undefined {
  if (pattern.startsWith('/')) return "globs are relative to 'source'; remove the leading '/'";
  if (pattern.startsWith('!')) return "negation is not supported; list the pattern under 'exclude' instead";
  if (pattern.split('/').some((segment) => segment === '..' || segment === '.')) return "'.' and '..' segments never match a file";
  if (pattern.includes('\\')) return "use '/' to separate directories, not '\\'";
  if (/[[{]/.test(pattern) && !balanced(pattern)) return "brackets '[ ]' or braces '{ }' are not balanced";
  return undefined;
}

function balanced(pattern: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ']': '[', '}': '{' };
  for (const char of pattern) {
    if (char === '[' || char === '{') open.push(char);
    else if (char === ']' || char === '}') {
      if (open.pop() !== pairs[char]) return false;
    }
  }
  return open.length === 0;
}

/** Which keys a sync covers: matched by an `include` glob and by no `exclude` glob; dotenv files only when named. */
export interface KeyFilter {
  covers(key: string): boolean;
  /**
   * A dotenv file (`.env`, `.env.production.local`, `config/.env`, a file under `.envs/`: any path segment
   * starting with `.env`, in any case) that `include`/`exclude` would publish but no `include` glob names.
   * It is neither published nor deleted: the build writes secrets there (the site job's `.env.production.local`).
   */
  withheld(key: string): boolean;
  /** Whether an `include` glob that spells out `.env` matches the key: the one way to publish a dotenv file. */
  namesDotenv(key: string): boolean;
}

/**
 * A path segment starting with `.env`, in any case (case-insensitive filesystems, macOS and Windows,
 * serve `.ENV` as `.env`), or an editor's copy of one (`..env.swp`, `#.env#`; `.env~` starts with `.env`).
 */
const DOTENV_SEGMENT = /(^|\/)[.#]?\.env/i;

export function isDotenvKey(key: string): boolean {
  return DOTENV_SEGMENT.test(key);
}

export function keyFilter(include: readonly string[], exclude: readonly string[]): KeyFilter {
  const included = (include.length ? include : ['**']).map((g) => compileGlob(g, 'include'));
  const excluded = exclude.map((g) => compileGlob(g, 'exclude'));
  // Only a glob that spells out `.env` publishes a dotenv file: `**` or `*` never does.
  const namingDotenv = included.filter((g) => /\.env/i.test(g.pattern));
  const selected = (key: string) => included.some((g) => g.matches(key)) && !excluded.some((g) => g.matches(key));
  const namesDotenv = (key: string) => namingDotenv.some((g) => g.matches(key));
  const withheld = (key: string) => isDotenvKey(key) && selected(key) && !namesDotenv(key);
  return {
    covers: (key) => selected(key) && !withheld(key),
    withheld,
    namesDotenv,
  };
}
