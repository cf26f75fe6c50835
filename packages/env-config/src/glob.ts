import { Minimatch, type MinimatchOptions } from 'minimatch';

/**
 * Git ref globs: anchored to the whole name; `*` and `?` never cross `/`, a `**` segment
 * does; `{a,b}` and `[...]` work; no negation, comments or extglobs; dots are ordinary.
 */
const OPTIONS: MinimatchOptions = { dot: true, nocomment: true, nonegate: true, noext: true, platform: 'linux' };

const cache = new Map<string, Minimatch>();

function compiled(pattern: string): Minimatch {
  let matcher = cache.get(pattern);
  if (!matcher) {
    matcher = new Minimatch(pattern, OPTIONS);
    cache.set(pattern, matcher);
  }
  return matcher;
}

export function globMatches(pattern: string, name: string): boolean {
  return compiled(pattern).match(name);
}

/** Why `pattern` is not a usable ref glob, or undefined when it is. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return "is empty; write a branch or tag name or a glob such as 'release/**'";
  if (/\s/.test(pattern)) return 'contains whitespace, which git ref names cannot; remove it';
  if (pattern.startsWith('refs/')) {
    return `starts with 'refs/'; match the short name instead (${quoted(pattern.replace(/^refs\/(heads|tags)\//, ''))})`;
  }
  if (pattern.startsWith('!')) return "starts with '!', but negation is not supported; list the names that should match instead";
  const bracket = unclosedBracket(pattern);
  if (bracket) return bracket;
  const brace = braceProblem(pattern);
  if (brace) return brace;
  if (pattern.split('/').some((segment) => segment.includes('**') && segment !== '**')) {
    return "uses '**' inside a segment; '**' crosses '/' only as a whole segment ('release/**', '**/hotfix'); use '*' within a segment";
  }
  if (compiled(pattern).makeRe() === false) return 'is not a valid glob';
  return undefined;
}

function quoted(value: string): string {
  return `'${value}'`;
}

function unclosedBracket(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === '[') {
      // A ']' right after '[' (or '[!', '[^') is a literal member of the class.
      let j = i + 1;
      if (pattern[j] === '!' || pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      const close = pattern.indexOf(']', j);
      if (close < 0) return `has an unclosed '[' at character ${i + 1}; close the class ('[0-9]') or remove it`;
      i = close;
    }
  }
  return undefined;
}

function braceProblem(pattern: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '{') depth++;
    else if (char === '}' && --depth < 0) return `has a '}' without '{' at character ${i + 1}`;
  }
  return depth > 0 ? "has an unclosed '{'; write alternatives as '{main,master}'" : undefined;
}
