import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@baepo/action-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { stageSecretFile } from './secret-file.js';

const dir = mkdtempSync(join(tmpdir(), 'baepo-secret-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function write(path: string, content: string): Promise<string> {
  const staged = await stageSecretFile('dotenv-file', path, content, dir);
  await staged.commit();
  return staged.path;
}

async function failure(input: string, path: string): Promise<ConfigurationError> {
  const error = await stageSecretFile(input, path, 'A="1"\n', dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('stageSecretFile', () => {
  it('creates missing directories and writes with mode 0600 on commit, not before', async () => {
    const staged = await stageSecretFile('dotenv-file', 'nested/deeper/.env', 'A="1"\n', dir);
    expect(staged.path).toBe(join(dir, 'nested/deeper/.env'));
    expect(existsSync(staged.path)).toBe(false);
    await staged.commit();
    expect(readFileSync(staged.path, 'utf8')).toBe('A="1"\n');
    expect(statSync(staged.path).mode & 0o777).toBe(0o600);
  });

  it('replaces a world-readable file with a 0600 one and leaves no temporary file behind', async () => {
    const path = join(dir, 'open.env');
    writeFileSync(path, 'old', { mode: 0o644 });
    await write('open.env', 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('discard leaves nothing: no temporary file, no directory it created', async () => {
    const staged = await stageSecretFile('json-file', 'fresh/sub/params.json', '{}', dir);
    await staged.discard();
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });

  it('a directory: names the input and the path', async () => {
    mkdirSync(join(dir, 'adir'));
    const error = await failure('dotenv-file', 'adir');
    expect(error.message).toBe(
      `Input 'dotenv-file' points at the directory "${join(dir, 'adir')}"; give a file path such as 'config/.env.ssm'.`,
    );
  });

  it('a parent that is a file: names the input, the path and the file in the way', async () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const error = await failure('json-file', 'afile/deeper/params.json');
    expect(error.message).toContain(`Input 'json-file' cannot be written to "${join(dir, 'afile/deeper/params.json')}"`);
    expect(error.message).toContain(`"${join(dir, 'afile')}" is a file, not a directory`);
  });

  it.runIf(process.getuid?.() !== 0)('an unwritable directory: permission denied, named', async () => {
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
    const error = await failure('dotenv-file', 'locked/.env');
    expect(error.message).toContain('no permission to write there (EACCES)');
  });

  it('an unwritable path (here: /proc, which nobody may write, root included): one clear error', async () => {
    const error = await stageSecretFile('dotenv-file', '/proc/baepo-test.env', 'A="1"\n', dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Input 'dotenv-file' cannot be written to "\/proc\/baepo-test\.env": /);
  });
});
