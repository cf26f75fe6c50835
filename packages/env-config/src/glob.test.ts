import { describe, expect, it } from 'vitest';
import { globMatches, globProblem } from './glob.js';

describe('globMatches', () => {
  // The README's glob table, plus the anchoring bugs other tools have.
  it.each([
    ['main', 'main', true],
    ['main', 'maintenance', false],
    ['dev', 'feature/devops', false],
    ['dev', 'devops', false],
    ['dev', 'my-dev', false],
    ['release/*', 'release/1.4', true],
    ['release/*', 'release/1.4/fix', false],
    ['release/**', 'release/1.4', true],
    ['release/**', 'release/1.4/fix', true],
    ['release/**', 'release', false],
    ['**/hotfix', 'a/b/hotfix', true],
    ['**', 'a/b/c', true],
    ['*', 'feature/x', false],
    ['v*.*.*', 'v1.2.3', true],
    ['v*.*.*', 'v1.2.3-rc.1', true],
    ['v*.*.*', '1.2.3', false],
    ['v?.*', 'v1.0', true],
    ['v?.*', 'v10.0', false],
    ['{main,master}', 'main', true],
    ['{main,master}', 'master', true],
    ['{main,master}', 'mainx', false],
    ['hotfix-[0-9]*', 'hotfix-1', true],
    ['hotfix-[0-9]*', 'hotfix-12b', true],
    ['hotfix-[0-9]*', 'hotfix-x', false],
    ['chore/**', 'chore/.github', true],
    ['*', '.hidden', true],
    ['Main', 'main', false],
    ['#main', '#main', true],
  ])('%s vs %s → %s', (pattern, name, expected) => {
    expect(globProblem(pattern)).toBeUndefined();
    expect(globMatches(pattern, name)).toBe(expected);
  });
});

describe('globProblem', () => {
  it.each([
    ['', 'is empty'],
    ['main branch', 'contains whitespace'],
    ['refs/heads/main', "starts with 'refs/'; match the short name instead ('main')"],
    ['refs/tags/v1', "('v1')"],
    ['!main', 'negation is not supported'],
    ['release/[0-9', "unclosed '[' at character 9"],
    ['[', "unclosed '[' at character 1"],
    ['{a,b', "unclosed '{'"],
    ['a}', "'}' without '{' at character 2"],
    ['feature**', "'**' inside a segment"],
    ['**-prod', "'**' inside a segment"],
  ])('%j: %s', (pattern, problem) => {
    expect(globProblem(pattern)).toContain(problem);
  });

  it('accepts classes that hold a literal ] and escaped brackets', () => {
    expect(globProblem('a[]]b')).toBeUndefined();
    expect(globMatches('a[]]b', 'a]b')).toBe(true);
    expect(globProblem('a\\[b')).toBeUndefined();
  });
});
