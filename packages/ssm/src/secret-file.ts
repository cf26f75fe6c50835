import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Write a file that holds secrets: created with mode 0600 (owner read/write only) in a
 * temporary name beside the target, then renamed over it, so no reader ever sees a
 * partial file or a wider mode. Returns the absolute path.
 */
export async function writeSecretFile(path: string, content: string, cwd = process.cwd()): Promise<string> {
  const target = resolve(cwd, path);
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return target;
}
