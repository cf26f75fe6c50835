import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.js';

const errorOf = (text: string): string => {
  try {
    parseConfig(text, 'baepo.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('parseConfig', () => {
  it('reads environments in file order with their rules, paths and lines', () => {
    const config = parseConfig(
      [
        'version: 1',
        'environments:',
        '  zeta:',
        "    match: { branches: [main, 'release/**'], pull-requests: [main] }",
        '    production: true',
        '  alpha: {}',
      ].join('\n'),
      'baepo.yml',
    );
    expect(config.environments.map((e) => e.name)).toEqual(['zeta', 'alpha']);
    const [zeta, alpha] = config.environments;
    expect(zeta?.production).toBe(true);
    expect(zeta?.match.branches).toEqual([
      { kind: 'branches', pattern: 'main', path: 'environments.zeta.match.branches[0]', line: 4 },
      { kind: 'branches', pattern: 'release/**', path: 'environments.zeta.match.branches[1]', line: 4 },
    ]);
    expect(zeta?.match['pull-requests'].map((r) => r.pattern)).toEqual(['main']);
    expect(alpha).toEqual({
      name: 'alpha',
      production: false,
      match: { branches: [], tags: [], 'pull-requests': [] },
      settings: {},
      line: 6,
    });
  });

  it('keeps numbers and booleans in vars as written', () => {
    const config = parseConfig('version: 1\nenvironments:\n  qa:\n    vars: { port: 8080, ver: 1.10, on: true, hex: 0x1F }\n', 'f');
    expect(config.environments[0]?.settings.vars).toEqual({ port: '8080', ver: '1.10', on: 'true', hex: '0x1F' });
  });

  it('follows YAML anchors and aliases', () => {
    const config = parseConfig(
      "version: 1\nenvironments:\n  a:\n    match: { branches: &b ['release/**'] }\n  b:\n    match: { tags: *b }\n",
      'f',
    );
    expect(config.environments[1]?.match.tags.map((r) => r.pattern)).toEqual(['release/**']);
  });

  it('names file, line and YAML path for a deep mistake', () => {
    expect(errorOf('version: 1\nenvironments:\n  qa:\n    match:\n      branches:\n        - main\n        - 7\n')).toBe(
      'baepo.yml:7: environments.qa.match.branches[1]: must be a string; got the number 7.',
    );
  });

  it('maps duplicate keys to our message, with both lines', () => {
    expect(errorOf('version: 1\nversion: 1\nenvironments:\n  qa: {}\n')).toBe(
      "baepo.yml:2: version: duplicate key 'version' (first defined on line 1); keep one of them.",
    );
  });

  it('reports YAML syntax errors on their line', () => {
    expect(errorOf('version: 1\nenvironments:\n  qa: "open\n')).toMatch(
      /^baepo\.yml:3: invalid YAML: Missing closing "quote; fix the syntax\.$/,
    );
  });

  it('suggests near misses and lists every valid key', () => {
    expect(errorOf('version: 1\nenvironments:\n  qa:\n    prodction: true\n')).toBe(
      "baepo.yml:4: environments.qa.prodction: unknown key 'prodction' (did you mean 'production'?); valid keys here: match, production, aws-region, aws-role-arn, ssm-paths, url, vars.",
    );
    expect(errorOf('version: 1\nenvironments:\n  qa:\n    zzz: 1\n')).not.toContain('did you mean');
  });

  it('rejects a non-map document', () => {
    expect(errorOf('- a\n- b\n')).toBe('baepo.yml:1: (top level): must be a map (version: 1, defaults, environments); got a list.');
  });
});

describe('examples/baepo.yml', () => {
  it('is a valid config', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'baepo.yml'), 'utf8');
    const config = parseConfig(text, 'examples/baepo.yml');
    expect(config.environments.map((e) => e.name)).toEqual(['staging', 'production', 'qa', 'preview', 'dev', 'sandbox']);
    expect(config.defaults.awsRegion).toBe('ap-northeast-2');
  });
});
