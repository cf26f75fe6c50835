import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.js';
import { resolve } from './resolve.js';
import { type GitHubContext, readTrigger } from './trigger.js';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const config = parseConfig(
  [
    'version: 1',
    'defaults:',
    '  aws-region: eu-west-1',
    '  ssm-paths: [/app/common]',
    '  vars: { a: "1", b: "2" }',
    'environments:',
    '  preview:',
    '    match: { pull-requests: [main] }',
    "    ssm-paths: ['/app/pr-{pr-number}']",
    "    vars: { b: '{ref-slug}', c: '{environment}/{sha-short}/{run-number}/{sha}/{version}/{ref-name}' }",
    '  prod:',
    "    match: { branches: [main], tags: ['v*'] }",
    '    aws-region: us-east-1',
    "    url: 'https://{version}.example'",
  ].join('\n'),
  'baepo.yml',
);
const github = (overrides: Partial<GitHubContext>): GitHubContext => ({
  eventName: 'push',
  ref: 'refs/heads/main',
  sha: SHA,
  runNumber: '12',
  payload: {},
  ...overrides,
});
const resolveFor = (g: GitHubContext, environment?: string) =>
  resolve(config, readTrigger(g), { sha: g.sha, runNumber: g.runNumber, environment });

describe('resolve', () => {
  it('merges vars key by key, replaces lists, and renders every placeholder', () => {
    const pr = github({
      eventName: 'pull_request',
      ref: 'refs/pull/5/merge',
      payload: { pull_request: { number: 5, head: { ref: 'Feat/X' }, base: { ref: 'main' } } },
    });
    const result = resolveFor(pr);
    expect(result.environment).toBe('preview');
    expect(result['aws-region']).toBe('eu-west-1');
    expect(result['ssm-paths']).toEqual(['/app/pr-5']);
    expect(result.vars).toEqual({ a: '1', b: 'feat-x', c: `preview/abcdef0/12/${SHA}//Feat/X` });
  });

  it('uses the environment value over the default and renders {version} for tags', () => {
    const result = resolveFor(github({ ref: 'refs/tags/v2.0.0' }));
    expect(result).toMatchObject({
      environment: 'prod',
      'aws-region': 'us-east-1',
      url: 'https://2.0.0.example',
      'ssm-paths': ['/app/common'],
    });
    expect(result.vars).toEqual({ a: '1', b: '2' });
  });

  it('renders placeholders that have no value as empty', () => {
    expect(resolveFor(github({})).url).toBe('https://.example');
  });

  it('does not deploy and outputs no settings when nothing matches', () => {
    const result = resolveFor(github({ ref: 'refs/heads/dev' }));
    expect(result).toMatchObject({
      environment: '',
      deploy: false,
      'aws-region': '',
      vars: {},
      'ssm-paths': [],
      'image-tag': 'dev-abcdef0',
    });
  });

  it('an override wins over a matching rule', () => {
    const result = resolveFor(github({}), 'preview');
    expect(result.environment).toBe('preview');
    expect(result.matched).toBe("environment 'preview' was chosen by the 'environment' input (branch 'main', rules not consulted)");
  });
});

describe('readTrigger', () => {
  it('reads merge_group as the queue branch matched on its base', () => {
    const trigger = readTrigger(
      github({
        eventName: 'merge_group',
        ref: 'refs/heads/gh-readonly-queue/main/pr-1-abc',
        payload: { merge_group: { base_ref: 'refs/heads/main' } },
      }),
    );
    expect(trigger).toMatchObject({
      refType: 'branch',
      refName: 'gh-readonly-queue/main/pr-1-abc',
      ruleKind: 'branches',
      matchName: 'main',
    });
  });

  it('prefers the release payload tag', () => {
    expect(readTrigger(github({ eventName: 'release', ref: '', payload: { release: { tag_name: 'v9.0.0' } } }))).toMatchObject({
      refType: 'tag',
      refName: 'v9.0.0',
      ruleKind: 'tags',
    });
  });

  it('lets the ref override replace a pull request', () => {
    const pr = github({ eventName: 'pull_request', payload: { pull_request: { number: 1, head: { ref: 'x' }, base: { ref: 'main' } } } });
    expect(readTrigger(pr, 'refs/tags/v1')).toMatchObject({ refType: 'tag', refName: 'v1', prNumber: '' });
  });
});
