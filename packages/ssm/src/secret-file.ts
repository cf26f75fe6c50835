import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigurationError, quote } from '@baepo/action-kit';

/** A secret file written under a temporary name beside its target, not yet in place. */
export interface StagedFile {
  /** The absolute target path. */
  path: string;
  /** Rename the temporary file into place. */
  commit(): Promise<void>;
  /** Remove the temporary file (and any directory staging created). */
  discard(): Promise<void>;
}

/**
 * Stage a file that holds secrets: written with mode 0600 (owner read/write only) under a
 * temporary name beside the target; `commit` renames it over the target, so no reader ever
 * sees a partial file or a wider mode, and several files can be staged first and committed
 * only when all of them could be written. Every failure is a ConfigurationError naming the
 * input and the path: a directory, a parent that is a file, no permission.
 */
export async function stageSecretFile(input: string, path: string, content: string, cwd = process.cwd()): Promise<StagedFile> {
  const target = resolve(cwd, path);
  const fail = (error: unknown): Promise<never> => Promise.reject(secretFileError(input, target, error));
  if ((await stat(target).catch(() => undefined))?.isDirectory()) {
    return fail(
      new ConfigurationError(`Input '${input}' points at the directory ${quote(target)}; give a file path such as 'config/.env.ssm'.`),
    );
  }
  const created = await mkdir(dirname(target), { recursive: true }).catch(async (error: unknown) => fail(await parentError(error, target)));
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const discard = async (): Promise<void> => {
    await rm(temporary, { force: true });
    if (created) await rm(created, { recursive: true, force: true });
  };
  try {
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600);
  } catch (error) {
    await discard();
    return fail(error);
  }
  return {
    path: target,
    commit: () =>
      rename(temporary, target).catch(async (error: unknown) => {
        await discard();
        return fail(error);
      }),
    discard,
  };
}

/** mkdir failed: name the ancestor that is a file, when that is why. */
async function parentError(error: unknown, target: string): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOTDIR' && code !== 'EEXIST') return error;
  for (let dir = dirname(target); dir !== dirname(dir); dir = dirname(dir)) {
    const stats = await stat(dir).catch(() => undefined);
    if (stats && !stats.isDirectory()) return new Error(`${quote(dir)} is a file, not a directory`);
  }
  return error;
}

function secretFileError(input: string, target: string, error: unknown): ConfigurationError {
  if (error instanceof ConfigurationError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? `no permission to write there (${code})`
      : code === 'EISDIR'
        ? 'it is a directory'
        : code
          ? `the system refused it (${code})`
          : error instanceof Error
            ? error.message
            : String(error);
  return new ConfigurationError(
    `Input '${input}' cannot be written to ${quote(target)}: ${reason}. Nothing was written or exported; give a writable file path in the workspace (or under $RUNNER_TEMP).`,
    { input, cause: error },
  );
}
