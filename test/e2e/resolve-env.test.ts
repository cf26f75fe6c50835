/**
 * resolve-env end to end: dist/resolve-env/index.js run under Node 24 exactly as the runner
 * does, over refs × events × configs and every bad-input case. Each case asserts the exact
 * outputs (all of them) or the exact error, and that nothing is output on failure.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explain, type GitHubContext, runAction } from '../harness/run-action.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'resolve-env', name), 'utf8');
const SHOP = fixture('shop.yml');
const ORDER = fixture('order.yml');

type Outputs = Record<string, string>;

// What each shop environment outputs (ref-independent part); placeholders rendered by hand.
const NOTHING: Outputs = {
  environment: '',
  deploy: 'false',
  'is-production': 'false',
  'aws-region': '',
  'aws-role-arn': '',
  'ssm-paths': '',
  vars: '{}',
  url: '',
};
const production = (version = ''): Outputs => ({
  environment: 'production',
  deploy: 'true',
  'is-production': 'true',
  'aws-region': 'ap-northeast-2',
  'aws-role-arn': 'arn:aws:iam::222222222222:role/deploy-prod',
  'ssm-paths': '/shop/common\n/shop/production',
  vars: `{"service":"api","log-level":"warn","cluster":"shop-prod","replicas":"3","release":"${version}"}`,
  url: 'https://www.shop.example',
});
const BETA: Outputs = {
  environment: 'beta',
  deploy: 'true',
  'is-production': 'false',
  'aws-region': 'ap-northeast-2',
  'aws-role-arn': 'arn:aws:iam::111111111111:role/deploy',
  'ssm-paths': '/shop/common',
  vars: '{"service":"api","log-level":"info","cluster":"shop-beta"}',
  url: '',
};
const QA: Outputs = {
  ...BETA,
  environment: 'qa',
  vars: '{"service":"api","log-level":"info","cluster":"shop-qa","build":"qa-7"}',
  url: 'https://qa.shop.example',
};
const preview = (pr: string): Outputs => ({
  ...BETA,
  environment: 'preview',
  'ssm-paths': `/shop/preview/pr-${pr}`,
  vars: `{"service":"api","log-level":"info","cluster":"shop-dev","prefix":"pr-${pr}","commit":"${SHA}"}`,
  url: `https://pr-${pr}.preview.shop.example`,
});
const SANDBOX: Outputs = {
  ...BETA,
  environment: 'sandbox',
  'aws-region': 'us-east-1',
  vars: '{"service":"api","log-level":"info","cluster":"shop-sandbox"}',
};
const dev = (slug: string): Outputs => ({
  ...BETA,
  environment: 'dev',
  'aws-region': 'eu-west-1',
  vars: '{"service":"api","log-level":"info","cluster":"shop-dev","env":"dev","image":"api:0123456"}',
  url: `https://${slug}.dev.shop.example`,
});
const minimal = (environment: string): Outputs => ({ ...NOTHING, environment, deploy: 'true' });

// The ref-dependent outputs.
const branch = (name: string, slug: string, matched: string): Outputs => ({
  'ref-name': name,
  'ref-slug': slug,
  'ref-type': 'branch',
  'sha-short': '0123456',
  version: '',
  'image-tag': `${slug}-0123456`,
  matched,
});
const tag = (name: string, slug: string, version: string, imageTag: string, matched: string): Outputs => ({
  'ref-name': name,
  'ref-slug': slug,
  'ref-type': 'tag',
  'sha-short': '0123456',
  version,
  'image-tag': imageTag,
  matched,
});
const pullRequest = (head: string, slug: string, matched: string): Outputs => ({
  ...branch(head, slug, matched),
  'ref-type': 'pull-request',
});

const push = (ref: string): GitHubContext => ({ eventName: 'push', ref });
const pr = (eventName: string, number: number, head: string, base: string): GitHubContext => ({
  eventName,
  ref: `refs/pull/${number}/merge`,
  headRef: head,
  baseRef: base,
  payload: { number, pull_request: { number, head: { ref: head, sha: 'f'.repeat(40) }, base: { ref: base } } },
});

interface Case {
  name: string;
  /** Config text written to the workspace (`.github/baepo.yml` unless `configPath`); none when null. */
  config?: string | null;
  configPath?: string;
  inputs?: Record<string, string>;
  github?: GitHubContext;
  env?: Record<string, string | undefined>;
  /** Exactly the outputs of a successful run. */
  outputs?: Outputs;
  /** Exactly the one error of a failed run. */
  error?: string;
  notice?: string;
}

const LONG_VERSION = `2.0.0-${'rc.'.repeat(45)}1`;

const NO_MATCH_TRIED =
  "tried environments.production.match.branches ['main'], environments.qa.match.branches ['release/**', 'hotfix/*'], " +
  "environments.dev.match.branches ['dev', '{fix,chore}/**']";

const matching: Case[] = [
  {
    name: 'push to main deploys production',
    github: push('refs/heads/main'),
    outputs: { ...production(), ...branch('main', 'main', "branch 'main' matched environments.production.match.branches[0] 'main'") },
  },
  {
    name: 'a v-prefixed semver tag deploys production with its version as the image tag',
    github: push('refs/tags/v1.2.3'),
    outputs: {
      ...production('1.2.3'),
      ...tag('v1.2.3', 'v1-2-3', '1.2.3', '1.2.3', "tag 'v1.2.3' matched environments.production.match.tags[0] 'v*.*.*'"),
    },
  },
  {
    name: 'a release candidate tag goes to beta: first in file order wins over production (listed after it)',
    github: push('refs/tags/v2.0.0-rc.1'),
    outputs: {
      ...BETA,
      ...tag(
        'v2.0.0-rc.1',
        'v2-0-0-rc-1',
        '2.0.0-rc.1',
        '2.0.0-rc.1',
        "tag 'v2.0.0-rc.1' matched environments.beta.match.tags[0] 'v*.*.*-*'",
      ),
    },
  },
  {
    name: "build metadata: version keeps '+', the image tag turns it into '_'",
    github: push('refs/tags/v1.2.3-rc.1+build.5'),
    outputs: {
      ...BETA,
      ...tag(
        'v1.2.3-rc.1+build.5',
        'v1-2-3-rc-1-build-5',
        '1.2.3-rc.1+build.5',
        '1.2.3-rc.1_build.5',
        "tag 'v1.2.3-rc.1+build.5' matched environments.beta.match.tags[0] 'v*.*.*-*'",
      ),
    },
  },
  {
    // OCI distribution spec: a tag is [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}; Docker refuses longer ones.
    name: 'a semver tag longer than 128 characters gets an image tag of 128: its first 115 characters and a hash',
    github: push(`refs/tags/v${LONG_VERSION}`),
    outputs: {
      ...BETA,
      ...tag(
        `v${LONG_VERSION}`,
        'v2-0-0-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc-rc',
        LONG_VERSION,
        `${LONG_VERSION.slice(0, 115)}-6bcd7065dfbf`,
        `tag 'v${LONG_VERSION}' matched environments.beta.match.tags[0] 'v*.*.*-*'`,
      ),
    },
  },
  {
    name: "a semver tag without 'v' has a version but matches no 'v*' rule",
    github: push('refs/tags/1.2.3'),
    outputs: {
      ...NOTHING,
      ...tag(
        '1.2.3',
        '1-2-3',
        '1.2.3',
        '1.2.3',
        "tag '1.2.3' matched no environment; tried environments.beta.match.tags ['v*.*.*-*'], environments.production.match.tags ['v*.*.*']",
      ),
    },
    notice:
      "Nothing to deploy: tag '1.2.3' matched no environment; tried environments.beta.match.tags ['v*.*.*-*'], environments.production.match.tags ['v*.*.*'].",
  },
  {
    name: 'a non-semver tag has no version and a slug-sha image tag',
    github: push('refs/tags/nightly'),
    outputs: {
      ...NOTHING,
      ...tag(
        'nightly',
        'nightly',
        '',
        'nightly-0123456',
        "tag 'nightly' matched no environment; tried environments.beta.match.tags ['v*.*.*-*'], environments.production.match.tags ['v*.*.*']",
      ),
    },
  },
  {
    name: "'v1.2' is not semver",
    github: push('refs/tags/v1.2'),
    outputs: {
      ...NOTHING,
      ...tag(
        'v1.2',
        'v1-2',
        '',
        'v1-2-0123456',
        "tag 'v1.2' matched no environment; tried environments.beta.match.tags ['v*.*.*-*'], environments.production.match.tags ['v*.*.*']",
      ),
    },
  },
  {
    name: "release branch matches 'release/**'",
    github: push('refs/heads/release/1.4'),
    outputs: {
      ...QA,
      ...branch('release/1.4', 'release-1-4', "branch 'release/1.4' matched environments.qa.match.branches[0] 'release/**'"),
    },
  },
  {
    name: "'**' crosses '/'",
    github: push('refs/heads/release/1.4/fix-a'),
    outputs: {
      ...QA,
      ...branch(
        'release/1.4/fix-a',
        'release-1-4-fix-a',
        "branch 'release/1.4/fix-a' matched environments.qa.match.branches[0] 'release/**'",
      ),
    },
  },
  {
    name: "'*' matches within one segment",
    github: push('refs/heads/hotfix/pay'),
    outputs: { ...QA, ...branch('hotfix/pay', 'hotfix-pay', "branch 'hotfix/pay' matched environments.qa.match.branches[1] 'hotfix/*'") },
  },
  {
    name: "'*' never crosses '/'",
    github: push('refs/heads/hotfix/pay/now'),
    outputs: {
      ...NOTHING,
      ...branch('hotfix/pay/now', 'hotfix-pay-now', `branch 'hotfix/pay/now' matched no environment; ${NO_MATCH_TRIED}`),
    },
  },
  {
    name: "anchored: 'dev' does not match 'feature/devops'",
    github: push('refs/heads/feature/devops'),
    outputs: {
      ...NOTHING,
      ...branch('feature/devops', 'feature-devops', `branch 'feature/devops' matched no environment; ${NO_MATCH_TRIED}`),
    },
    notice: `Nothing to deploy: branch 'feature/devops' matched no environment; ${NO_MATCH_TRIED}.`,
  },
  {
    name: "anchored: 'dev' does not match 'devops' (no prefix match)",
    github: push('refs/heads/devops'),
    outputs: { ...NOTHING, ...branch('devops', 'devops', `branch 'devops' matched no environment; ${NO_MATCH_TRIED}`) },
  },
  {
    name: "anchored: 'main' does not match 'maintenance'",
    github: push('refs/heads/maintenance'),
    outputs: { ...NOTHING, ...branch('maintenance', 'maintenance', `branch 'maintenance' matched no environment; ${NO_MATCH_TRIED}`) },
  },
  {
    name: 'exact branch dev; {ref-slug} and {environment} rendered',
    github: push('refs/heads/dev'),
    outputs: { ...dev('dev'), ...branch('dev', 'dev', "branch 'dev' matched environments.dev.match.branches[0] 'dev'") },
  },
  {
    name: "braces: '{fix,chore}/**' matches fix/...; the slug lowercases and collapses punctuation",
    github: push('refs/heads/fix/JIRA-123_Add__Login!!'),
    outputs: {
      ...dev('fix-jira-123-add-login'),
      ...branch(
        'fix/JIRA-123_Add__Login!!',
        'fix-jira-123-add-login',
        "branch 'fix/JIRA-123_Add__Login!!' matched environments.dev.match.branches[1] '{fix,chore}/**'",
      ),
    },
  },
  {
    name: 'dots are ordinary characters in branch names',
    github: push('refs/heads/chore/.github-sync'),
    outputs: {
      ...dev('chore-github-sync'),
      ...branch(
        'chore/.github-sync',
        'chore-github-sync',
        "branch 'chore/.github-sync' matched environments.dev.match.branches[1] '{fix,chore}/**'",
      ),
    },
  },
  {
    name: 'the slug is cut to 63 characters and never ends with a dash',
    github: push(`refs/heads/fix/${'a'.repeat(58)}-tail`),
    outputs: {
      ...dev(`fix-${'a'.repeat(58)}`),
      ...branch(
        `fix/${'a'.repeat(58)}-tail`,
        `fix-${'a'.repeat(58)}`,
        `branch 'fix/${'a'.repeat(58)}-tail' matched environments.dev.match.branches[1] '{fix,chore}/**'`,
      ),
    },
  },
  {
    name: 'pull request into main deploys a preview named by its number',
    github: pr('pull_request', 42, 'feature/Login', 'main'),
    outputs: {
      ...preview('42'),
      ...pullRequest(
        'feature/Login',
        'feature-login',
        "pull request #42 into 'main' (from 'feature/Login') matched environments.preview.match.pull-requests[0] 'main'",
      ),
    },
  },
  {
    name: 'pull_request_target matches the base branch too',
    github: pr('pull_request_target', 7, 'dependabot/npm/yaml-2.9.1', 'release/2.0'),
    outputs: {
      ...preview('7'),
      ...pullRequest(
        'dependabot/npm/yaml-2.9.1',
        'dependabot-npm-yaml-2-9-1',
        "pull request #7 into 'release/2.0' (from 'dependabot/npm/yaml-2.9.1') matched environments.preview.match.pull-requests[1] 'release/*'",
      ),
    },
  },
  {
    name: "a pull request's head branch is not matched against branch rules",
    github: pr('pull_request', 9, 'main', 'dev'),
    outputs: {
      ...NOTHING,
      ...pullRequest(
        'main',
        'main',
        "pull request #9 into 'dev' (from 'main') matched no environment; tried environments.preview.match.pull-requests ['main', 'release/*']",
      ),
    },
  },
  {
    name: 'workflow_dispatch on a branch resolves like a push',
    github: { eventName: 'workflow_dispatch', ref: 'refs/heads/release/3.0' },
    outputs: {
      ...QA,
      ...branch('release/3.0', 'release-3-0', "branch 'release/3.0' matched environments.qa.match.branches[0] 'release/**'"),
    },
  },
  {
    name: "workflow_dispatch with the 'environment' input picks an environment without rules",
    github: { eventName: 'workflow_dispatch', ref: 'refs/heads/main' },
    inputs: { environment: 'sandbox' },
    outputs: {
      ...SANDBOX,
      ...branch('main', 'main', "environment 'sandbox' was chosen by the 'environment' input (branch 'main', rules not consulted)"),
    },
  },
  {
    name: "the 'environment' input overrides a branch that matches nothing",
    github: { eventName: 'workflow_dispatch', ref: 'refs/heads/feature/devops' },
    inputs: { environment: 'qa' },
    outputs: {
      ...QA,
      ...branch(
        'feature/devops',
        'feature-devops',
        "environment 'qa' was chosen by the 'environment' input (branch 'feature/devops', rules not consulted)",
      ),
    },
  },
  {
    name: 'release event: the tag comes from the payload',
    github: { eventName: 'release', ref: 'refs/tags/v3.1.0', payload: { action: 'published', release: { tag_name: 'v3.1.0' } } },
    outputs: {
      ...production('3.1.0'),
      ...tag('v3.1.0', 'v3-1-0', '3.1.0', '3.1.0', "tag 'v3.1.0' matched environments.production.match.tags[0] 'v*.*.*'"),
    },
  },
  {
    name: 'schedule uses its ref (the default branch)',
    github: { eventName: 'schedule', ref: 'refs/heads/main', payload: { schedule: '0 3 * * *' } },
    outputs: { ...production(), ...branch('main', 'main', "branch 'main' matched environments.production.match.branches[0] 'main'") },
  },
  {
    name: "merge_group matches the queue's base branch, names the queue branch",
    github: {
      eventName: 'merge_group',
      ref: 'refs/heads/gh-readonly-queue/main/pr-42-89abcdef',
      payload: { merge_group: { head_ref: 'refs/heads/gh-readonly-queue/main/pr-42-89abcdef', base_ref: 'refs/heads/main' } },
    },
    outputs: {
      ...production(),
      ...branch(
        'gh-readonly-queue/main/pr-42-89abcdef',
        'gh-readonly-queue-main-pr-42-89abcdef',
        "merge queue for branch 'main' matched environments.production.match.branches[0] 'main'",
      ),
    },
  },
  {
    name: 'another event (repository_dispatch) uses GITHUB_REF',
    github: { eventName: 'repository_dispatch', ref: 'refs/heads/main' },
    outputs: { ...production(), ...branch('main', 'main', "branch 'main' matched environments.production.match.branches[0] 'main'") },
  },
  {
    name: "the 'ref' input overrides the event's ref (full tag ref)",
    github: push('refs/heads/main'),
    inputs: { ref: 'refs/tags/v1.0.0' },
    outputs: {
      ...production('1.0.0'),
      ...tag('v1.0.0', 'v1-0-0', '1.0.0', '1.0.0', "tag 'v1.0.0' matched environments.production.match.tags[0] 'v*.*.*'"),
    },
  },
  {
    name: "the 'ref' input overrides a pull request; a bare name is a branch",
    github: pr('pull_request', 42, 'feature/x', 'main'),
    inputs: { ref: 'release/9' },
    outputs: { ...QA, ...branch('release/9', 'release-9', "branch 'release/9' matched environments.qa.match.branches[0] 'release/**'") },
  },
  {
    name: 'file order, not name order: the middle name wins when all three match',
    config: ORDER,
    github: push('refs/heads/release/1.4'),
    outputs: {
      ...minimal('mid'),
      ...branch('release/1.4', 'release-1-4', "branch 'release/1.4' matched environments.mid.match.branches[0] 'release/**'"),
    },
  },
  {
    name: "a lone '**' catches every branch",
    config: ORDER,
    github: push('refs/heads/feature/a/b'),
    outputs: {
      ...minimal('alpha'),
      ...branch('feature/a/b', 'feature-a-b', "branch 'feature/a/b' matched environments.alpha.match.branches[0] '**'"),
    },
  },
  {
    name: "the 'config' input points elsewhere",
    config: ORDER,
    configPath: 'deploy/environments.yaml',
    inputs: { config: 'deploy/environments.yaml' },
    github: push('refs/heads/main'),
    outputs: { ...minimal('alpha'), ...branch('main', 'main', "branch 'main' matched environments.alpha.match.branches[0] '**'") },
  },
  {
    name: 'a tag with no tag rules anywhere says so',
    config: ORDER,
    github: push('refs/tags/v1.0.0'),
    outputs: {
      ...NOTHING,
      ...tag('v1.0.0', 'v1-0-0', '1.0.0', '1.0.0', "tag 'v1.0.0' matched no environment; no environment has match.tags rules"),
    },
  },
];

const CONFIG = '.github/baepo.yml';
const VALID_PLACEHOLDERS = '{environment}, {ref-name}, {ref-slug}, {sha}, {sha-short}, {pr-number}, {version}, {run-number}';
const env = (body: string) => `version: 1\nenvironments:\n${body}`;

const failing: Case[] = [
  {
    name: "on-no-match 'fail' fails with the reason",
    github: push('refs/heads/feature/devops'),
    inputs: { 'on-no-match': 'fail' },
    error:
      `branch 'feature/devops' matched no environment; ${NO_MATCH_TRIED}. ` +
      "Add a rule to .github/baepo.yml that matches it, or set 'on-no-match: skip' to succeed without deploying.",
  },
  {
    name: "'on-no-match' only takes skip or fail",
    inputs: { 'on-no-match': 'ignore' },
    error: `Input 'on-no-match' must be one of 'skip', 'fail'; got "ignore".`,
  },
  {
    name: "the 'environment' input must name a configured environment",
    inputs: { environment: 'sandbx' },
    error: `Input 'environment' is "sandbx", which .github/baepo.yml does not define (did you mean 'sandbox'?); configured environments: beta, production, qa, preview, sandbox, dev.`,
  },
  {
    name: "the 'ref' input cannot be a pull request ref",
    inputs: { ref: 'refs/pull/42/merge' },
    error: `Input 'ref' must be 'refs/heads/<branch>', 'refs/tags/<tag>' or a branch name; got "refs/pull/42/merge".`,
  },
  {
    name: 'a pull request event without its payload',
    github: { eventName: 'pull_request', ref: 'refs/pull/42/merge', payload: {} },
    error:
      "The 'pull_request' event payload (GITHUB_EVENT_PATH) has no pull_request.head.ref, pull_request.base.ref and pull_request.number. " +
      "Run this action in a pull_request workflow, or set the 'ref' input.",
  },
  {
    name: 'an event whose ref is neither a branch nor a tag',
    github: { eventName: 'workflow_run', ref: '' },
    error: `Cannot tell which branch or tag the 'workflow_run' event is for: GITHUB_REF is "". Set the 'ref' input (e.g. 'refs/heads/main' or 'refs/tags/v1.2.3').`,
  },
  {
    name: 'missing config file',
    config: null,
    error:
      "Config file '.github/baepo.yml' was not found in the workspace (WORKSPACE). Check out the repository first (actions/checkout), " +
      "or set the 'config' input to the file's path relative to the workspace.",
  },
  {
    name: 'a custom config path that does not exist is named as given',
    inputs: { config: 'ci/baepo.yaml' },
    error:
      "Config file 'ci/baepo.yaml' was not found in the workspace (WORKSPACE). Check out the repository first (actions/checkout), " +
      "or set the 'config' input to the file's path relative to the workspace.",
  },
  {
    name: 'an unreadable config (a directory)',
    inputs: { config: '.github' },
    error: "Config file '.github' could not be read (EISDIR). Set the 'config' input to a readable YAML file.",
  },
  {
    name: 'invalid YAML',
    config: 'version: 1\nenvironments:\n  qa:\n    match: { branches: [main }\n',
    error: `${CONFIG}:4: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the syntax.`,
  },
  {
    name: 'an empty file',
    config: '# nothing yet\n',
    error: `${CONFIG}:1: is empty; start it with 'version: 1' and an 'environments' map.`,
  },
  {
    name: 'duplicate environment',
    config: env('  qa:\n    match: { branches: [main] }\n  qa:\n    match: { branches: [dev] }\n'),
    error: `${CONFIG}:5: environments.qa: duplicate key 'qa' (first defined on line 3); keep one of them.`,
  },
  {
    name: 'duplicate var',
    config: env('  qa:\n    vars:\n      cluster: a\n      cluster: b\n'),
    error: `${CONFIG}:6: environments.qa.vars.cluster: duplicate key 'cluster' (first defined on line 5); keep one of them.`,
  },
  {
    name: "unknown key 'brnaches' with a suggestion",
    config: env("  qa:\n    match:\n      branches: [main]\n      brnaches: ['release/**']\n"),
    error: `${CONFIG}:6: environments.qa.match.brnaches: unknown key 'brnaches' (did you mean 'branches'?); valid keys here: branches, tags, pull-requests.`,
  },
  {
    name: 'unknown environment key',
    config: env('  qa:\n    region: eu-west-1\n'),
    error: `${CONFIG}:4: environments.qa.region: unknown key 'region'; valid keys here: match, production, aws-region, aws-role-arn, ssm-paths, url, vars.`,
  },
  {
    name: 'misspelt top-level key: every problem in one error',
    config: 'version: 1\nenviroments:\n  qa: {}\n',
    error:
      `${CONFIG} has 2 problems:\n` +
      `1. ${CONFIG}:1: environments: is missing; add an 'environments' map (e.g. production: { match: { branches: [main] } }).\n` +
      `2. ${CONFIG}:2: enviroments: unknown key 'enviroments' (did you mean 'environments'?); valid keys here: version, defaults, environments.`,
  },
  {
    name: "unknown key in defaults ('url' is per environment)",
    config: 'version: 1\ndefaults:\n  url: https://x.example\nenvironments:\n  qa: {}\n',
    error: `${CONFIG}:3: defaults.url: unknown key 'url'; valid keys here: aws-region, aws-role-arn, ssm-paths, vars.`,
  },
  {
    name: "wrong type: 'production: yes' is a string in YAML 1.2",
    config: env('  prod:\n    production: yes\n'),
    error: `${CONFIG}:4: environments.prod.production: must be true or false; got the string "yes".`,
  },
  {
    name: 'wrong type: branches as a string',
    config: env('  qa:\n    match:\n      branches: main\n'),
    error: `${CONFIG}:5: environments.qa.match.branches: must be a list of strings (e.g. [main, 'release/**']); got the string "main".`,
  },
  {
    name: 'wrong type: a number in a glob list',
    config: env('  qa:\n    match:\n      branches:\n        - main\n        - 2024\n'),
    error: `${CONFIG}:7: environments.qa.match.branches[1]: must be a string; got the number 2024.`,
  },
  {
    name: 'wrong type: a list as a var value',
    config: env('  qa:\n    vars:\n      hosts: [a, b]\n'),
    error: `${CONFIG}:5: environments.qa.vars.hosts: must be a string, number or boolean; got a list.`,
  },
  {
    name: 'wrong type: an environment without a map',
    config: env('  qa:\n'),
    error: `${CONFIG}:3: environments.qa: must be a map (write 'qa: {}' for an environment without settings); got nothing (null).`,
  },
  {
    name: 'empty environments',
    config: 'version: 1\nenvironments: {}\n',
    error: `${CONFIG}:2: environments: is empty; define at least one environment (e.g. production: { match: { branches: [main] } }).`,
  },
  {
    name: 'missing version',
    config: 'environments:\n  qa: {}\n',
    error: `${CONFIG}:1: version: is missing; add 'version: 1' at the top.`,
  },
  {
    name: 'version as a string',
    config: "version: '1'\nenvironments:\n  qa: {}\n",
    error: `${CONFIG}:1: version: must be 1 (the only schema version); got the string "1".`,
  },
  {
    name: 'unsupported version',
    config: 'version: 2\nenvironments:\n  qa: {}\n',
    error: `${CONFIG}:1: version: must be 1 (the only schema version); got the number 2.`,
  },
  {
    name: "invalid glob: unclosed '['",
    config: env("  qa:\n    match:\n      branches: [main, 'release/[0-9']\n"),
    error: `${CONFIG}:5: environments.qa.match.branches[1]: glob 'release/[0-9' has an unclosed '[' at character 9; close the class ('[0-9]') or remove it.`,
  },
  {
    name: "invalid glob: unclosed '{'",
    config: env("  qa:\n    match:\n      tags: ['{v*']\n"),
    error: `${CONFIG}:5: environments.qa.match.tags[0]: glob '{v*' has an unclosed '{'; write alternatives as '{main,master}'.`,
  },
  {
    name: "invalid glob: 'refs/heads/' prefix",
    config: env('  qa:\n    match:\n      branches:\n        - refs/heads/main\n'),
    error: `${CONFIG}:6: environments.qa.match.branches[0]: glob 'refs/heads/main' starts with 'refs/'; match the short name instead ('main').`,
  },
  {
    name: "invalid glob: '**' inside a segment",
    config: env("  qa:\n    match:\n      branches: ['feature**']\n"),
    error: `${CONFIG}:5: environments.qa.match.branches[0]: glob 'feature**' uses '**' inside a segment; '**' crosses '/' only as a whole segment ('release/**', '**/hotfix'); use '*' within a segment.`,
  },
  {
    name: 'invalid glob: negation',
    config: env("  qa:\n    match:\n      branches: ['!main']\n"),
    error: `${CONFIG}:5: environments.qa.match.branches[0]: glob '!main' starts with '!', but negation is not supported; list the names that should match instead.`,
  },
  {
    name: 'unknown placeholder in url lists the valid ones',
    config: env('  qa:\n    url: https://{branch}.qa.example\n'),
    error: `${CONFIG}:4: environments.qa.url: unknown placeholder '{branch}'; valid placeholders: ${VALID_PLACEHOLDERS}.`,
  },
  {
    name: 'unknown placeholder in ssm-paths',
    config: env("  qa:\n    ssm-paths:\n      - /shop/common\n      - '/shop/{env}'\n"),
    error: `${CONFIG}:6: environments.qa.ssm-paths[1]: unknown placeholder '{env}'; valid placeholders: ${VALID_PLACEHOLDERS}.`,
  },
  {
    name: 'unknown placeholder in defaults vars',
    config: "version: 1\ndefaults:\n  vars:\n    tag: '{image-tag}'\nenvironments:\n  qa: {}\n",
    error: `${CONFIG}:4: defaults.vars.tag: unknown placeholder '{image-tag}'; valid placeholders: ${VALID_PLACEHOLDERS}.`,
  },
  {
    name: "an SSM path must start with '/'",
    config: env('  qa:\n    ssm-paths: [shop/qa]\n'),
    error: `${CONFIG}:4: environments.qa.ssm-paths[0]: SSM path 'shop/qa' must start with '/' (e.g. '/shop/production').`,
  },
  {
    name: 'not an AWS region',
    config: 'version: 1\ndefaults:\n  aws-region: Seoul\nenvironments:\n  qa: {}\n',
    error: `${CONFIG}:3: defaults.aws-region: 'Seoul' is not an AWS region; write one such as 'eu-west-1' or 'ap-northeast-2'.`,
  },
  {
    name: 'not a role ARN',
    config: env('  qa:\n    aws-role-arn: deploy-role\n'),
    error: `${CONFIG}:4: environments.qa.aws-role-arn: 'deploy-role' is not an IAM role ARN; write one such as 'arn:aws:iam::111111111111:role/deploy'.`,
  },
  {
    name: 'an environment name that is unsafe in resource names',
    config: env('  "qa env":\n    match: { branches: [main] }\n'),
    error: `${CONFIG}:3: environments["qa env"]: environment name 'qa env' is not valid; use letters, digits, '-', '_' and '.' (it starts with a letter or digit).`,
  },
  {
    name: 'several problems are reported together with their lines',
    config: env("  qa:\n    production: 1\n    match:\n      tags: ['[']\n    vars: { url: '{pr}' }\n"),
    error:
      `${CONFIG} has 3 problems:\n` +
      `1. ${CONFIG}:4: environments.qa.production: must be true or false; got the number 1.\n` +
      `2. ${CONFIG}:6: environments.qa.match.tags[0]: glob '[' has an unclosed '[' at character 1; close the class ('[0-9]') or remove it.\n` +
      `3. ${CONFIG}:7: environments.qa.vars.url: unknown placeholder '{pr}'; valid placeholders: ${VALID_PLACEHOLDERS}.`,
  },
  {
    name: 'a missing GITHUB_SHA',
    env: { GITHUB_SHA: undefined },
    error: 'GITHUB_SHA is not set; run this action in a GitHub Actions job.',
  },
];

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

async function runCase(c: Case) {
  const workspace = mkdtempSync(join(tmpdir(), 'baepo-resolve-env-'));
  workspaces.push(workspace);
  const config = c.config === undefined ? SHOP : c.config;
  if (config !== null) {
    const file = join(workspace, c.configPath ?? CONFIG);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, config);
  }
  const result = await runAction({
    action: 'resolve-env',
    inputs: c.inputs,
    github: { sha: SHA, ...(c.github ?? push('refs/heads/main')) },
    env: c.env,
    workspace,
  });
  return { result, workspace };
}

describe.concurrent('resolve-env: refs × events × configs', () => {
  it.each(matching.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const { result } = await runCase(c);
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.outputs).toEqual(c.outputs);
    expect(result.env).toEqual({});
    // The step summary shows the same: the decision and every output.
    expect(result.summary).toContain(c.outputs?.matched);
    expect(result.summary).toContain(`| \`environment\` | ${c.outputs?.environment ? `\`${c.outputs.environment}\`` : ''} |`);
    const notices = result.commands.filter((command) => command.command === 'notice').map((command) => command.message);
    if (c.outputs?.deploy === 'false') expect(notices).toEqual([c.notice ?? `Nothing to deploy: ${c.outputs.matched}.`]);
    else expect(notices).toEqual([]);
  });
});

describe.concurrent('resolve-env: bad input is one clear error and nothing is output', () => {
  it.each(failing.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const { result, workspace } = await runCase(c);
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.errors).toEqual([c.error?.replace('WORKSPACE', workspace)]);
    // Config mistakes are annotated on the file and line the message starts with.
    const at = /^([^\s:]+):(\d+): /.exec(c.error ?? '') ?? /^(\S+) has \d+ problems:\n1\. \S+:(\d+): /.exec(c.error ?? '');
    const error = result.commands.find((command) => command.command === 'error');
    expect(error?.properties).toEqual(at ? { file: at[1], line: at[2] } : {});
    expect(result.outputs).toEqual({});
    expect(result.env).toEqual({});
    expect(result.summary).toBe('');
    expect(result.stderr).toBe('');
  });
});

it('covers at least 40 cases', () => {
  expect(matching.length + failing.length).toBeGreaterThanOrEqual(40);
});
