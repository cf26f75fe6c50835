import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from './errors.js';
import { exportVariables } from './outputs.js';
import { reportFailure } from './run-action.js';
import {
  appendStepSummary,
  captureRunnerFilesForTesting,
  exportVariable,
  issueCommand,
  logLine,
  setFailed,
  setOutput,
} from './runner-protocol.js';

// action-kit writes the runner protocol itself; it must be byte-for-byte what @actions/core writes.
let dir: string;
let stdout: string[];
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-protocol-'));
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const capture = (fn: () => void): string => {
  stdout = [];
  fn();
  return stdout.join('');
};

describe('runner protocol matches @actions/core', () => {
  const tricky = 'line 1\nline 2\r\n100% done: a,b';

  it.each([
    ['error', () => core.error(tricky), () => issueCommand('error', {}, tricky)],
    ['warning', () => core.warning(tricky), () => issueCommand('warning', {}, tricky)],
    ['notice', () => core.notice(tricky), () => issueCommand('notice', {}, tricky)],
    ['debug', () => core.debug(tricky), () => issueCommand('debug', {}, tricky)],
    ['add-mask', () => core.setSecret(tricky), () => issueCommand('add-mask', {}, tricky)],
    ['info', () => core.info(tricky), () => logLine(tricky)],
    [
      'properties',
      () => core.error('m', { file: 'a:b,c.yml', startLine: 3, title: '' }),
      () => issueCommand('error', { file: 'a:b,c.yml', line: 3, title: '' }, 'm'),
    ],
  ])('%s', (_, theirs, ours) => {
    expect(capture(ours)).toBe(capture(theirs));
  });

  it('setFailed: the same line and exit code 1', () => {
    const theirs = capture(() => core.setFailed(tricky));
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    expect(capture(() => setFailed(tricky))).toBe(theirs);
    expect(process.exitCode).toBe(1);
  });

  it('setOutput and exportVariable write the same heredocs (delimiters aside)', () => {
    const files = { GITHUB_OUTPUT: join(dir, 'out-core'), GITHUB_ENV: join(dir, 'env-core') };
    const ours = { GITHUB_OUTPUT: join(dir, 'out-ours'), GITHUB_ENV: join(dir, 'env-ours') };
    for (const file of [...Object.values(files), ...Object.values(ours)]) writeFileSync(file, '');
    const normalise = (file: string) => readFileSync(file, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIM');
    Object.assign(process.env, files);
    core.setOutput('paths', '/a\n/b');
    core.exportVariable('X', tricky);
    Object.assign(process.env, ours);
    captureRunnerFilesForTesting();
    setOutput('paths', '/a\n/b');
    exportVariable('X', tricky);
    expect(normalise(ours.GITHUB_OUTPUT)).toBe(normalise(files.GITHUB_OUTPUT));
    expect(normalise(ours.GITHUB_ENV)).toBe(normalise(files.GITHUB_ENV));
    expect(normalise(ours.GITHUB_OUTPUT)).toBe('paths<<DELIM\n/a\n/b\nDELIM\n');
    expect(process.env.X).toBe(tricky);
  });

  it('setOutput without GITHUB_OUTPUT falls back to ::set-output like core', () => {
    delete process.env.GITHUB_OUTPUT;
    captureRunnerFilesForTesting();
    expect(capture(() => setOutput('a', 'x\ny'))).toBe(capture(() => core.setOutput('a', 'x\ny')));
  });

  it('the step summary is appended', async () => {
    const core1 = join(dir, 'sum-core');
    const ours = join(dir, 'sum-ours');
    writeFileSync(core1, 'before\n');
    writeFileSync(ours, 'before\n');
    process.env.GITHUB_STEP_SUMMARY = core1;
    await core.summary.addRaw('| a |\n').write();
    process.env.GITHUB_STEP_SUMMARY = ours;
    captureRunnerFilesForTesting();
    appendStepSummary('| a |\n');
    expect(readFileSync(ours, 'utf8')).toBe(readFileSync(core1, 'utf8'));
  });
});

describe('the runner files are read once (issue 15 item 1)', () => {
  const runnerFiles = () => {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_STATE: join(dir, 'state'),
    };
    for (const file of Object.values(files)) writeFileSync(file, '');
    Object.assign(process.env, files);
    captureRunnerFilesForTesting();
    return files;
  };

  it('a later change of process.env.GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STEP_SUMMARY redirects nothing', () => {
    const files = runnerFiles();
    const elsewhere = join(dir, 'robots.txt');
    writeFileSync(elsewhere, 'User-agent: *\n');
    for (const name of ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) process.env[name] = elsewhere;
    exportVariables({ STRIPE_KEY: 'sk_live_x' });
    setOutput('count', '1');
    appendStepSummary('| a |\n');
    expect(readFileSync(elsewhere, 'utf8')).toBe('User-agent: *\n');
    expect(readFileSync(files.GITHUB_ENV, 'utf8')).toContain('sk_live_x');
    expect(readFileSync(files.GITHUB_OUTPUT, 'utf8')).toContain('count<<');
    expect(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')).toBe('| a |\n');
  });

  it.each([
    'GITHUB_ENV',
    'github_output',
    'Github_Step_Summary',
    'RUNNER_TEMP',
    'ACTIONS_RUNTIME_TOKEN',
    'PATH',
    'Path',
    'NODE_OPTIONS',
    'BASH_ENV',
  ])('exportVariables refuses %s before anything is written, and exports nothing', (name) => {
    const files = runnerFiles();
    let error: unknown;
    try {
      exportVariables({ A_FIRST: 'one', [name]: 'web/dist/robots.txt', Z_LAST: 'two' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(`"${name}"`);
    expect((error as Error).message).toContain('nothing was exported');
    expect(readFileSync(files.GITHUB_ENV, 'utf8')).toBe('');
    expect(process.env.A_FIRST).toBeUndefined();
    expect(process.env.GITHUB_ENV).toBe(files.GITHUB_ENV);
  });

  it('exportVariables writes every variable in one append', () => {
    const files = runnerFiles();
    exportVariables({ A: '1', B: 'two\nlines' });
    expect(readFileSync(files.GITHUB_ENV, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'D')).toBe('A<<D\n1\nD\nB<<D\ntwo\nlines\nD\n');
    expect(process.env.B).toBe('two\nlines');
  });
});

describe('reportFailure', () => {
  it('annotates a configuration error on its file and line', () => {
    const error = new ConfigurationError('bad: x', { annotation: { file: '.github/baepo.yml', line: 3 } });
    expect(capture(() => reportFailure(error))).toBe('::error file=.github/baepo.yml,line=3::bad: x\n');
    expect(process.exitCode).toBe(1);
  });

  it('prints a plain error line without an annotation', () => {
    expect(capture(() => reportFailure(new ConfigurationError('Input x is bad.')))).toBe('::error::Input x is bad.\n');
  });
});
