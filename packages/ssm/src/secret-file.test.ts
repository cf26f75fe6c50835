import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSecretFile } from './secret-file.js';

const dir = mkdtempSync(join(tmpdir(), 'baepo-secret-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeSecretFile', () => {
  it('creates missing directories and writes with mode 0600', async () => {
    const path = await writeSecretFile('nested/deeper/.env', 'A="1"\n', dir);
    expect(path).toBe(join(dir, 'nested/deeper/.env'));
    expect(readFileSync(path, 'utf8')).toBe('A="1"\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('replaces a world-readable file with a 0600 one and leaves no temporary file behind', async () => {
    const path = join(dir, 'open.env');
    writeFileSync(path, 'old', { mode: 0o644 });
    await writeSecretFile('open.env', 'new', dir);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
