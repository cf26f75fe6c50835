import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeDotenvValue, formatDotenv } from './dotenv.js';

const dir = mkdtempSync(join(tmpdir(), 'baepo-dotenv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plain = {
  MULTI: 'line one\nline two\n\n  indented four',
  HASH: 'value # not a comment',
  SINGLE: "it's 'quoted'",
  EQUALS: 'a=b=c',
  SPACES: '  padded  ',
  UNICODE: '안녕 🌏 héllo',
  EMPTY: '',
};
const special = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${PATH} inside a secret value
  DOLLAR: 'pa$$word $HOME ${PATH}',
  DOUBLE: 'say "hi"',
  BACKSLASH: 'C:\\temp\\new',
  CR: 'a\r\nb',
  COMMANDS: '$(touch /tmp/baepo-pwned) `touch /tmp/baepo-pwned`',
};

describe('formatDotenv', () => {
  it('double-quotes and escapes \\, ", $, newlines and carriage returns', () => {
    expect(escapeDotenvValue('a\\b"c$d\ne\rf#g\'h`i')).toBe('a\\\\b\\"c\\$d\\ne\\rf#g\'h\\`i');
    expect(
      formatDotenv([
        { name: 'A', value: 'x\ny' },
        { name: 'B', value: '' },
      ]),
    ).toBe('A="x\\ny"\nB=""\n');
  });

  it('is read back exactly by the dotenv npm parser for multi-line values, #, quotes, spaces and unicode', () => {
    const text = formatDotenv(Object.entries(plain).map(([name, value]) => ({ name, value })));
    expect(parse(text)).toEqual(plain);
  });

  it('documents what the dotenv npm parser keeps: the escaping backslash before \\, " and $', () => {
    const parsed = parse(formatDotenv(Object.entries(special).map(([name, value]) => ({ name, value }))));
    expect(parsed.DOUBLE).toBe('say \\"hi\\"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${PATH} inside a secret value
    expect(parsed.DOLLAR).toBe('pa\\$\\$word \\$HOME \\${PATH}');
  });

  it('is read back exactly by python-dotenv for everything but $ and backticks, and by a POSIX shell for single-line values', () => {
    const all = { ...plain, ...special };
    const file = join(dir, 'all.env');
    writeFileSync(file, formatDotenv(Object.entries(all).map(([name, value]) => ({ name, value }))));
    const python = JSON.parse(
      execFileSync(
        'python3',
        ['-c', 'import json,sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1], interpolate=False)))', file],
        {
          encoding: 'utf8',
        },
      ),
    ) as Record<string, string>;
    for (const [name, value] of Object.entries(all)) if (!/[$`]/.test(value)) expect(python[name], name).toBe(value);

    const singleLine = Object.entries(all).filter(([, v]) => !/[\r\n]/.test(v));
    const shellFile = join(dir, 'single.env');
    writeFileSync(shellFile, formatDotenv(singleLine.map(([name, value]) => ({ name, value }))));
    const script = `set -a; . "$1"; set +a; node -e 'process.stdout.write(JSON.stringify(process.env))'`;
    const shell = JSON.parse(execFileSync('sh', ['-c', script, 'sh', shellFile], { encoding: 'utf8' })) as Record<string, string>;
    for (const [name, value] of singleLine) expect(shell[name], name).toBe(value);
  });
});
