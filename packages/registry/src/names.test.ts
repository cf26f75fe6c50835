import { describe, expect, it } from 'vitest';
import { validateRepositoryName, validateTags } from './names.js';

describe('validateTags', () => {
  it("accepts ECR's tag alphabet up to 300 characters and drops duplicates", () => {
    expect(validateTags(['v1.2.3', '_x', 'abc-DEF_1', 'v1.2.3', 'a'.repeat(300)])).toEqual(['v1.2.3', '_x', 'abc-DEF_1', 'a'.repeat(300)]);
  });

  it('names every bad tag in one error', () => {
    expect(() => validateTags(['ok', 'feature/x', '-lead', '.dot', 'a'.repeat(301), 'sp ace'])).toThrow(
      /5 invalid tags: "feature\/x", "-lead", ".dot", "a{60}…", "sp ace"/,
    );
  });

  it('needs at least one tag', () => {
    expect(() => validateTags([])).toThrow(/at least one tag/);
  });
});

describe('validateRepositoryName', () => {
  it.each(['shop/api', 'a1', 'team.x/svc_a-b/c'])('accepts %s', (name) => {
    expect(validateRepositoryName(name)).toBe(name);
  });

  it.each(['Shop/api', 'a', 'shop//api', '/shop', 'shop/', 'shop/api:v1', 'a--b', `${'a'.repeat(257)}`])('rejects %s', (name) => {
    expect(() => validateRepositoryName(name)).toThrow(/not a valid ECR repository name/);
  });
});

it('tells a full image URI apart from a repository name', () => {
  expect(() => validateRepositoryName('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop')).toThrow(/not a full image URI/);
});
