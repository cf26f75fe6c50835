import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFilter } from './globs.js';
import { scanSource } from './scanner.js';

let root: string;
let source: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'baepo-scan-'));
  source = join(root, 'site');
  mkdirSync(join(source, 'a/b'), { recursive: true });
  writeFileSync(join(source, 'index.html'), 'hello');
  writeFileSync(join(source, 'a/b/c.txt'), 'x'.repeat(300 * 1024));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const scan = (options: { prefix?: string; exclude?: string[] } = {}) =>
  Promise.resolve().then(() => scanSource(source, { filter: keyFilter([], options.exclude ?? []), prefix: options.prefix ?? '' }));

describe('scanSource', () => {
  it('lists files with POSIX keys and sizes, leaving hashing to the caller', async () => {
    const files = await scan();
    expect(files.map((f) => [f.key, f.size, f.md5])).toEqual([
      ['a/b/c.txt', 300 * 1024, undefined],
      ['index.html', 5, undefined],
    ]);
  });

  it('follows symlinks that stay inside source', async () => {
    symlinkSync(join(source, 'index.html'), join(source, 'home.html'));
    symlinkSync(join(source, 'a'), join(source, 'a-link'));
    symlinkSync('..', join(source, 'a/b/up'));
    const keys = (await scan()).map((f) => f.key);
    expect(keys).toEqual(['a/b/c.txt', 'a-link/b/c.txt', 'home.html', 'index.html']);
  });

  it('refuses a symlink that leaves source, and a dangling one', async () => {
    writeFileSync(join(root, 'secret.env'), 'TOKEN=1');
    symlinkSync(join(root, 'secret.env'), join(source, 'a/leak.txt'));
    await expect(scan()).rejects.toThrow(
      /Symlink "a\/leak.txt" points outside 'source' .* refusing to publish files from outside the site/,
    );
    rmSync(join(source, 'a/leak.txt'));
    symlinkSync(join(root, 'missing'), join(source, 'dangling'));
    await expect(scan()).rejects.toThrow(/Symlink "dangling" in 'source' points to nothing/);
  });

  it('does not follow excluded paths into errors it need not raise, and skips excluded files', async () => {
    expect((await scan({ exclude: ['a/**'] })).map((f) => f.key)).toEqual(['index.html']);
  });

  it('withholds dotenv files at any depth and in any case, and links to them, unless an include glob names them', async () => {
    for (const name of ['.env', '.ENV.local', 'a/.env.production', '.envs/x.py', 'a/..env.swp', 'a/#.env#', '.env~']) {
      mkdirSync(join(source, name, '..'), { recursive: true });
      writeFileSync(join(source, name), 'SECRET=1');
    }
    symlinkSync(join(source, '.env'), join(source, 'a/config.txt'));
    symlinkSync(join(source, '.envs'), join(source, 'vendor'));
    const withheld: string[] = [];
    const keys = scanSource(source, { filter: keyFilter([], []), prefix: '', onWithheld: (key) => withheld.push(key) }).map((f) => f.key);
    expect(keys).toEqual(['a/b/c.txt', 'index.html']);
    expect(withheld.sort()).toEqual(
      ['.ENV.local', '.env', '.env~', '.envs/x.py', 'a/#.env#', 'a/..env.swp', 'a/.env.production', 'a/config.txt', 'vendor/x.py'].sort(),
    );
    const named = scanSource(source, { filter: keyFilter(['**', '.env', 'a/config.txt'], []), prefix: '' }).map((f) => f.key);
    expect(named).toEqual(['.env', 'a/b/c.txt', 'a/config.txt', 'index.html']);
  });

  it('refuses a file name that is not UTF-8, naming it hex-escaped', async () => {
    writeFileSync(Buffer.concat([Buffer.from(join(source, 'a/')), Buffer.from([0x78, 0xff, 0x5c, 0x0a])]), 'x');
    await expect(scan()).rejects.toThrow(/^The file name "a\/x\\xFF\\x5C\\x0A" in 'source' is not valid UTF-8/);
  });

  it('rejects keys over 1,024 bytes (prefix included) and a missing source', async () => {
    writeFileSync(join(source, `${'é'.repeat(120)}.txt`), 'x');
    await expect(scan({ prefix: `${'p'.repeat(800)}/` })).rejects.toThrow(/is 1045 bytes long in UTF-8; S3 keys are at most 1024 bytes/);
    expect(() => scanSource(join(root, 'nope'), { filter: keyFilter([], []), prefix: '' })).toThrow(
      /Input 'source' ".*nope" does not exist\. Build the site first/,
    );
  });
});
