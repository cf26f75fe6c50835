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

/** Which keys a sync covers: matched by an `include` glob and by no `exclude` glob. */
export interface KeyFilter {
  covers(key: string): boolean;
}

export function keyFilter(include: readonly string[], exclude: readonly string[]): KeyFilter {
  const included = (include.length ? include : ['**']).map((g) => compileGlob(g, 'include'));
  const excluded = exclude.map((g) => compileGlob(g, 'exclude'));
  return {
    covers: (key) => included.some((g) => g.matches(key)) && !excluded.some((g) => g.matches(key)),
  };
}
