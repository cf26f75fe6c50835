import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The check every e2e run goes through (issue 15): no secret the run loaded appears in the
 * visible log, in a runner file where it is not expected, or in any file written outside the
 * runner's files and the outputs the test declared; and nothing is written anywhere else.
 */

/** path → identity of every file below the roots (size, mtime, inode): enough to see a write. */
export type FileSnapshot = Map<string, string>;

export function snapshotFiles(roots: readonly string[]): FileSnapshot {
  const snapshot: FileSnapshot = new Map();
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const stats = lstatSync(path, { throwIfNoEntry: false });
      if (!stats) continue;
      if (stats.isDirectory()) walk(path);
      else snapshot.set(path, `${stats.size}:${stats.mtimeMs}:${stats.ino}`);
    }
  };
  for (const root of new Set(roots)) walk(root);
  return snapshot;
}

/** Files created or changed between two snapshots. */
export function writtenFiles(before: FileSnapshot, after: FileSnapshot): string[] {
  return [...after].filter(([path, id]) => before.get(path) !== id).map(([path]) => path);
}

/** Secrets worth looking for: every declared one, and masks learned from `::add-mask::` of 6+ characters
 * (shorter pieces, such as a lone `}` line of a JSON secret, would match everywhere). */
export function secretsToScan(declared: readonly string[], masks: readonly string[]): string[] {
  return [...new Set([...declared.filter((s) => s !== ''), ...masks.filter((m) => m.trim().length >= 6)])];
}

export type RunnerFileName = 'output' | 'env' | 'path' | 'state' | 'summary';

export interface ScanInput {
  secrets: readonly string[];
  visibleLog: string;
  /** The runner files' contents after the run. */
  runnerFiles: Readonly<Record<RunnerFileName, string>>;
  /** Runner files where a secret is expected (ssm-load exports them to env). */
  secretsMayAppearIn: readonly RunnerFileName[];
  /** Files the run wrote (absolute paths), runner files excluded. */
  written: readonly string[];
  /** Writes the test asked for (absolute paths); they may hold secrets. */
  declaredWrites: readonly string[];
  /** Reads a written file (injected for tests). */
  read?: (path: string) => string;
}

const shorten = (secret: string): string => JSON.stringify(secret.length > 12 ? `${secret.slice(0, 6)}…` : `${secret.slice(0, 3)}…`);

/** Every problem found, as a sentence each (the same sentence once); empty when the run is clean. */
export function scanRun(input: ScanInput): string[] {
  const found = new Set<string>();
  const problems = { push: (problem: string) => found.add(problem) };
  const read = input.read ?? ((path: string) => readFileSync(path, 'latin1'));
  for (const secret of input.secrets) {
    if (input.visibleLog.includes(secret)) problems.push(`secret ${shorten(secret)} is visible in the log`);
    for (const [name, content] of Object.entries(input.runnerFiles) as [RunnerFileName, string][]) {
      if (!input.secretsMayAppearIn.includes(name) && content.includes(secret)) {
        problems.push(`secret ${shorten(secret)} was written to GITHUB_${name === 'summary' ? 'STEP_SUMMARY' : name.toUpperCase()}`);
      }
    }
  }
  const declared = new Set(input.declaredWrites.map((p) => resolve(p)));
  for (const path of input.written) {
    if (declared.has(resolve(path))) continue;
    problems.push(`the run wrote ${path}, which is neither a runner file nor a declared write`);
    const content = read(path);
    const asLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    for (const secret of input.secrets) {
      if (content.includes(asLatin1(secret))) problems.push(`secret ${shorten(secret)} was written to ${path}`);
    }
  }
  return [...found];
}
