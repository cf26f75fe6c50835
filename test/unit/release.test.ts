import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/paths.js';

// release.yml's shell steps, run against temporary git repositories (a bare one stands in for GitHub).

interface Step {
  id?: string;
  run?: string;
}
const steps = (
  parse(readFileSync(join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8')) as { jobs: { release: { steps: Step[] } } }
).jobs.release.steps;
const script = (id: string) => {
  const step = steps.find((s) => s.id === id);
  if (!step?.run) throw new Error(`release.yml has no run step '${id}'`);
  return step.run;
};

const root = mkdtempSync(join(tmpdir(), 'baepo-release-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const remote = join(root, 'remote.git');
const work = join(root, 'work');
const gitEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: root,
  GIT_AUTHOR_NAME: 'r',
  GIT_AUTHOR_EMAIL: 'r@example.com',
  GIT_COMMITTER_NAME: 'r',
  GIT_COMMITTER_EMAIL: 'r@example.com',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

function release(tag: string, extraEnv: Record<string, string> = {}) {
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script('move-major')], {
    cwd: work,
    env: { ...gitEnv, TAG: tag, GH_TOKEN: 'token', REMOTE_URL: remote, ...extraEnv },
    encoding: 'utf8',
  });
}

/** A commit and an annotated release tag on it, pushed as a tag push would be. */
function tagged(tag: string): string {
  writeFileSync(join(work, 'VERSION'), tag);
  git(work, 'add', 'VERSION');
  git(work, 'commit', '-qm', tag);
  git(work, 'tag', '-a', tag, '-m', `release ${tag}`);
  git(work, 'push', '-q', remote, `refs/tags/${tag}`);
  return git(work, 'rev-parse', 'HEAD');
}

const remoteTag = (name: string) => git(root, '--git-dir', remote, 'rev-parse', `refs/tags/${name}`);

describe('release.yml: move the major tag', () => {
  mkdirSync(work);
  git(root, 'init', '-q', '--bare', remote);
  git(work, 'init', '-q');

  it('points v1 at the tagged commit ("$TAG^{commit}"), not at the annotated tag object; moves it on the next release', () => {
    const first = tagged('v1.2.0');
    const moved = release('v1.2.0');
    expect(moved.status, moved.stderr + moved.stdout).toBe(0);
    expect(remoteTag('v1')).toBe(first);
    expect(git(root, '--git-dir', remote, 'cat-file', '-t', 'refs/tags/v1')).toBe('commit');

    const second = tagged('v1.3.0');
    expect(release('v1.3.0').status).toBe(0);
    expect(remoteTag('v1')).toBe(second);
  });

  it('a re-run is a no-op that succeeds', () => {
    const again = release('v1.3.0');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/v1 already points to [0-9a-f]{40} \(v1\.3\.0\)/);
  });

  it('a refused push is one ::error:: line saying what to do; no release step runs after it', () => {
    tagged('v1.4.0');
    // GitHub refuses a GITHUB_TOKEN push of a ref whose commit changes workflow files.
    const refusing = join(root, 'refusing.git');
    git(root, 'clone', '-q', '--bare', remote, refusing);
    writeFileSync(
      join(refusing, 'hooks', 'pre-receive'),
      "#!/bin/sh\necho 'refusing to allow a GitHub App to create or update workflow without workflows permission'\nexit 1\n",
    );
    chmodSync(join(refusing, 'hooks', 'pre-receive'), 0o755);
    const refused = release('v1.4.0', { REMOTE_URL: refusing });
    expect(refused.status).toBe(1);
    expect(refused.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      expect.stringMatching(/^::error::Could not move v1 to v1\.4\.0 .*workflows permission.*re-run this job: no release was created\.$/),
    ]);
  });

  it('creates the release after the tags are in place, once', () => {
    const ids = steps.map((s) => s.id);
    expect(ids.indexOf('move-major')).toBeGreaterThan(-1);
    expect(ids.indexOf('create-release')).toBeGreaterThan(ids.indexOf('move-major'));
    // A stand-in gh: `release view` says whether the release exists; every call is recorded.
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    const calls = join(root, 'gh-calls');
    writeFileSync(
      join(bin, 'gh'),
      `#!/bin/bash\necho "$*" >> "${calls}"\n[ "$1 $2" = "release view" ] && exit "\${GH_VIEW_EXIT:-1}"\nexit 0\n`,
    );
    chmodSync(join(bin, 'gh'), 0o755);
    writeFileSync(join(work, 'CHANGELOG.md'), '# Changelog\n\n## 1.4.0\n- a change\n\n## 1.3.0\n- older\n');
    const create = (viewExit: string) => {
      writeFileSync(calls, '');
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script('create-release')], {
        cwd: work,
        env: { ...gitEnv, PATH: `${bin}:${gitEnv.PATH}`, TAG: 'v1.4.0', GH_TOKEN: 'token', GH_VIEW_EXIT: viewExit },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      return readFileSync(calls, 'utf8').trim().split('\n');
    };
    expect(create('1')).toEqual(['release view v1.4.0', 'release create v1.4.0 --title v1.4.0 --notes - a change --verify-tag']);
    expect(create('0')).toEqual(['release view v1.4.0']);
  });
});
