import { isUtf8 } from 'node:buffer';
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { isDotenvKey, type KeyFilter } from './globs.js';

/**
 * A file to publish: its key relative to the prefix, where it is, its size and content hashes.
 * A hash is left undefined until something needs it: comparing with an object of the same size
 * (SHA-256 with a trusted record, MD5 with only an ETag), or the upload, which computes the
 * SHA-256 from the bytes it reads anyway.
 */
export interface LocalFile {
  key: string;
  path: string;
  size: number;
  sha256: string | undefined;
  md5: string | undefined;
}

export interface ScanOptions {
  filter: KeyFilter;
  /** The full key prefix, to check the 1,024-byte key limit. */
  prefix: string;
  /** Told each dotenv file the filter withholds (see KeyFilter.withheld), to warn about it. */
  onWithheld?: (key: string) => void;
}

const MAX_KEY_BYTES = 1024;

/**
 * Walk `source` and list every file the filter covers, with its size (content is hashed later,
 * only where needed). Symlinks are followed only while they stay inside `source`; one that
 * leaves it (or dangles) is refused. Synchronous on purpose: thousands of small stat calls are
 * faster without a thread-pool round trip each, and the caller starts its network calls first.
 */
export function scanSource(source: string, options: ScanOptions): LocalFile[] {
  const root = sourceRoot(source);
  const found: LocalFile[] = [];
  // Real paths of the directories being walked: a link back to one of them is a loop and is skipped.
  function walk(dir: string, keyPrefix: string, ancestors: readonly string[]): void {
    // Names as bytes: one that is not UTF-8 has no S3 key (and would be read back as another name).
    const entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }).map((entry) => {
      if (!isUtf8(entry.name)) throw notUtf8(keyPrefix, entry.name);
      return { entry, name: entry.name.toString('utf8') };
    });
    for (const { entry, name } of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const key = keyPrefix + name;
      const path = join(dir, name);
      const target = resolveEntry(entry, path, key, root, source);
      if (target.kind === 'dir') {
        if (ancestors.includes(target.real)) continue;
        walk(path, `${key}/`, [...ancestors, target.real]);
      } else if (target.kind === 'file') {
        const covered = options.filter.covers(key);
        const dotenvLink = covered && linksToDotenv(key, target.real ?? join(ancestors.at(-1) as string, name));
        if (covered && !dotenvLink) found.push({ key, path, size: target.size, sha256: undefined, md5: undefined });
        else if (dotenvLink || options.filter.withheld(key)) options.onWithheld?.(key);
      }
    }
  }
  // A name that is not a dotenv file but reaches one through a link (`public/x.txt -> ../.env`, or a
  // linked directory) is withheld as the file itself is, unless an include glob names either.
  function linksToDotenv(key: string, real: string): boolean {
    const realKey = relativeKey(root, real);
    return realKey !== key && isDotenvKey(realKey) && !options.filter.namesDotenv(realKey) && !options.filter.namesDotenv(key);
  }
  walk(root, '', [root]);
  for (const file of found) checkKeyLength(options.prefix + file.key);
  return found;
}

function sourceRoot(source: string): string {
  const info = statSync(source, { throwIfNoEntry: false });
  if (!info) {
    throw new ConfigurationError(
      `Input 'source' ${quote(source)} does not exist. Build the site first (e.g. 'npm run build') and point 'source' at its output directory.`,
      { input: 'source' },
    );
  }
  if (!info.isDirectory()) {
    throw new ConfigurationError(`Input 'source' ${quote(source)} is a file; it must be the directory to publish.`, { input: 'source' });
  }
  return realpathSync(source);
}

/** A file's `real` path is set when it was reached through a symlink. */
type Entry = { kind: 'dir'; real: string } | { kind: 'file'; size: number; real?: string } | { kind: 'other' };

/** A real path inside `root` as a key ('/'-separated). */
function relativeKey(root: string, real: string): string {
  return relative(root, real).split(sep).join('/');
}

function resolveEntry(entry: Dirent<Buffer>, path: string, key: string, root: string, source: string): Entry {
  if (entry.isDirectory()) return { kind: 'dir', real: realpathSync(path) };
  if (entry.isFile()) return { kind: 'file', size: statSync(path).size };
  if (!entry.isSymbolicLink()) return { kind: 'other' };
  let real: string | undefined;
  try {
    real = realpathSync(path);
  } catch {
    real = undefined;
  }
  if (real === undefined) {
    throw new ConfigurationError(`Symlink ${quote(key)} in 'source' points to nothing. Remove it or fix its target.`, { input: 'source' });
  }
  const inside = relative(root, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ConfigurationError(
      `Symlink ${quote(key)} points outside 'source' (${quote(source)}) to ${quote(real)}; refusing to publish files from outside the site. Copy the file into 'source' or remove the link.`,
      { input: 'source' },
    );
  }
  const info = statSync(real);
  if (info.isDirectory()) return { kind: 'dir', real };
  return info.isFile() ? { kind: 'file', size: info.size, real } : { kind: 'other' };
}

/**
 * A name that is not UTF-8 (a Latin-1 'café.html' from an old archive, say) stops the sync before any
 * write: skipping it would let 'delete' remove the object it was meant to replace.
 */
function notUtf8(dirKey: string, name: Buffer): ConfigurationError {
  const shown = [...name]
    .map((byte) =>
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return new ConfigurationError(
    `The file name "${dirKey}${shown}" in 'source' is not valid UTF-8 (bytes outside printable ASCII shown as \\xHH), and S3 keys are UTF-8. Nothing was changed. Rename it to UTF-8 (e.g. 'convmv -f latin1 -t utf8 --notest'), or remove it from 'source'.`,
    { input: 'source' },
  );
}

function checkKeyLength(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new ConfigurationError(
      `The key ${quote(key, 80)} is ${bytes} bytes long in UTF-8; S3 keys are at most ${MAX_KEY_BYTES} bytes. Shorten the file's path or the 'prefix'.`,
      { input: 'source' },
    );
  }
}
