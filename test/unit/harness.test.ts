import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFileCommands, parseWorkflowCommands } from '../harness/file-commands.js';
import { type ScanInput, scanRun, secretsToScan, snapshotFiles, writtenFiles } from '../harness/run-scan.js';

describe('parseFileCommands', () => {
  it('reads heredoc and legacy lines; later writes win', () => {
    const content = 'a<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nb=plain=value\na<<EOF\nagain\nEOF\nempty<<X\nX\n';
    expect(parseFileCommands(content)).toEqual({ a: 'again', b: 'plain=value', empty: '' });
  });

  it('fails on an unterminated heredoc', () => {
    expect(() => parseFileCommands('a<<EOF\nvalue\n')).toThrow(/Unterminated heredoc for 'a'/);
  });
});

describe('parseWorkflowCommands', () => {
  it('unescapes messages and properties', () => {
    const stdout = 'plain line\n::error file=a%2Cb.yml,line=3::bad%0Avalue 100%25\n::add-mask::secret\n::notice::done';
    expect(parseWorkflowCommands(stdout)).toEqual([
      { command: 'error', properties: { file: 'a,b.yml', line: '3' }, message: 'bad\nvalue 100%' },
      { command: 'add-mask', properties: {}, message: 'secret' },
      { command: 'notice', properties: {}, message: 'done' },
    ]);
  });
});

describe('the secret and write scan of every e2e run (issue 15)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baepo-scan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const clean: ScanInput = {
    secrets: ['sk_live_secret'],
    visibleLog: 'Loaded 1 variable.',
    runnerFiles: { output: '', env: 'STRIPE_KEY<<D\nsk_live_secret\nD\n', path: '', state: '', summary: '| STRIPE_KEY |' },
    secretsMayAppearIn: ['env'],
    written: [],
    declaredWrites: [],
  };

  it('passes a clean run', () => {
    expect(scanRun(clean)).toEqual([]);
  });

  it('finds a secret in the visible log and in a runner file where it is not expected', () => {
    expect(scanRun({ ...clean, visibleLog: 'value: sk_live_secret', secretsMayAppearIn: [] })).toEqual([
      'secret "sk_liv…" is visible in the log',
      'secret "sk_liv…" was written to GITHUB_ENV',
    ]);
  });

  it('finds an undeclared write, and the secret in it; a declared write may hold secrets', () => {
    const robots = join(dir, 'robots.txt');
    const dotenv = join(dir, '.env');
    writeFileSync(robots, 'User-agent: *\nSTRIPE_KEY<<D\nsk_live_secret\nD\n');
    writeFileSync(dotenv, 'STRIPE_KEY="sk_live_secret"\n');
    expect(scanRun({ ...clean, written: [robots, dotenv], declaredWrites: [dotenv] })).toEqual([
      `the run wrote ${robots}, which is neither a runner file nor a declared write`,
      `secret "sk_liv…" was written to ${robots}`,
    ]);
  });

  it('snapshots see created and changed files, not untouched ones', async () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'a'), { recursive: true });
    writeFileSync(join(root, 'a/same'), 'x');
    writeFileSync(join(root, 'a/changed'), 'x');
    const before = snapshotFiles([root]);
    await new Promise((r) => setTimeout(r, 5));
    writeFileSync(join(root, 'a/changed'), 'xy');
    writeFileSync(join(root, 'new'), 'x');
    expect(writtenFiles(before, snapshotFiles([root])).sort()).toEqual([join(root, 'a/changed'), join(root, 'new')]);
  });

  it('learns masks of 6+ characters; declared secrets always count', () => {
    expect(secretsToScan(['abc'], ['}', 'AAAA', 'long-enough', ' x '])).toEqual(['abc', 'long-enough']);
  });
});
