/**
 * scripts/setup-stack.sh on a machine that lacks the stack's tools: run with a PATH that holds
 * only stand-ins (apt-get, python3, id), so what it finds missing, what it installs and what it
 * tells a user who cannot install are all observable without touching this machine's packages.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/paths.js';

const SCRIPT = join(repoRoot, 'scripts', 'setup-stack.sh');
// Debian package → the command it puts on PATH (what the stand-in apt-get "installs").
const PROVIDES: Record<string, string> = {
  'docker-registry': 'docker-registry',
  'apache2-utils': 'htpasswd',
  skopeo: 'skopeo',
  umoci: 'umoci',
  openssl: 'openssl',
  awscli: 'aws',
  rclone: 'rclone',
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Machine {
  bin: string;
  log: string;
  run(args: string[]): { code: number | null; out: string; err: string };
  installs(): string[];
}

function executable(path: string, body: string): void {
  writeFileSync(path, `#!/bin/bash\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A machine with only the given commands (stand-ins) on PATH. */
function machine(options: { uid?: number; present?: string[]; moto?: boolean; python?: boolean; apt?: boolean }): Machine {
  const root = mkdtempSync(join(tmpdir(), 'baepo-setup-'));
  dirs.push(root);
  const bin = join(root, 'bin');
  const log = join(root, 'installs.log');
  mkdirSync(bin);
  writeFileSync(log, '');
  executable(join(bin, 'id'), `echo ${options.uid ?? 0}`);
  for (const command of options.present ?? []) executable(join(bin, command), 'exit 0');
  const stubs = Object.entries(PROVIDES)
    .map(([pkg, command]) => `[ "$p" = ${pkg} ] && printf '#!/bin/bash\\nexit 0\\n' > ${bin}/${command} && /bin/chmod +x ${bin}/${command}`)
    .join('\n    ');
  if (options.apt !== false) {
    executable(
      join(bin, 'apt-get'),
      `[ "$1" = update ] && exit 0
for p in "$@"; do
  case "$p" in -*|install) continue ;; esac
  echo "apt $p" >> ${log}
    ${stubs}
done
exit 0`,
    );
  }
  if (options.python !== false) {
    const flag = join(root, 'moto-installed');
    if (options.moto) writeFileSync(flag, '');
    executable(
      join(bin, 'python3'),
      `if [ "$1 $2 $3" = "-m pip install" ]; then echo "pip $*" >> ${log}; /usr/bin/touch ${flag}; exit 0; fi
[ -e ${flag} ]`,
    );
  }
  return {
    bin,
    log,
    run: (args) => {
      const result = spawnSync('/bin/bash', [SCRIPT, ...args], { env: { PATH: bin, HOME: root }, encoding: 'utf8' });
      return { code: result.status, out: result.stdout, err: result.stderr };
    },
    installs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

describe('scripts/setup-stack.sh', () => {
  it('as root on a bare machine: names each missing tool and why, installs exactly those, then is a no-op', () => {
    const m = machine({ uid: 0 });
    const first = m.run(['--for', 'tests']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('the tests need 6 thing(s) that are missing');
    for (const line of [
      '- docker-registry (Debian package docker-registry): the OCI registry',
      '- htpasswd (Debian package apache2-utils):',
      '- skopeo (Debian package skopeo):',
      '- umoci (Debian package umoci):',
      '- openssl (Debian package openssl):',
      "- moto (Python package 'moto[server]>=5,<6'): the AWS API emulator",
    ])
      expect(first.out).toContain(line);
    expect(first.out).not.toContain('rclone');
    expect(m.installs()).toEqual([
      'apt docker-registry',
      'apt apache2-utils',
      'apt skopeo',
      'apt umoci',
      'apt openssl',
      'pip -m pip install --quiet moto[server]>=5,<6',
    ]);
    for (const command of ['docker-registry', 'htpasswd', 'skopeo', 'umoci', 'openssl'])
      expect(existsSync(join(m.bin, command))).toBe(true);

    const second = m.run(['--for', 'tests']);
    expect(second.code).toBe(0);
    expect(second.out.trim()).toBe('setup-stack: everything the tests need is installed.');
    expect(m.installs()).toHaveLength(6);
  });

  it('the demo needs only the registry and moto; the benchmarks add the AWS CLI and rclone', () => {
    const m = machine({ uid: 0, present: ['skopeo', 'umoci', 'openssl'], moto: true });
    expect(m.run(['--for', 'demo']).code).toBe(0);
    expect(m.installs()).toEqual(['apt docker-registry', 'apt apache2-utils']);
    const bench = m.run(['--for', 'bench']);
    expect(bench.out).toContain('the benchmarks need 2 thing(s)');
    expect(m.installs()).toEqual(['apt docker-registry', 'apt apache2-utils', 'apt awscli', 'apt rclone']);
  });

  it('not root and no sudo: one message for the demo naming the exact commands; nothing installed', () => {
    const m = machine({ uid: 1000, present: ['skopeo'] });
    const result = m.run(['--for', 'demo']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('setup-stack: the demo needs 3 thing(s) that are missing:');
    expect(result.err).toBe(
      [
        'setup-stack: cannot install them here. Run:',
        "  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends docker-registry apache2-utils'",
        "  python3 -m pip install 'moto[server]>=5,<6'",
        'then run the command again.',
        '',
      ].join('\n'),
    );
    expect(m.installs()).toEqual([]);
  });

  it('--check reports without installing, even as root', () => {
    const m = machine({ uid: 0, present: ['docker-registry', 'htpasswd', 'skopeo', 'openssl'], moto: true });
    const result = m.run(['--check']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('the tests need 1 thing(s) that are missing:\n  - umoci (Debian package umoci)');
    expect(result.err).toContain('cannot install them here (--check)');
    expect(result.err).toContain('apt-get install -y --no-install-recommends umoci');
    expect(m.installs()).toEqual([]);
  });

  it('no apt-get: says so and points at the dev container', () => {
    const m = machine({ uid: 0, apt: false, moto: true });
    const result = m.run(['--for', 'demo']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('(no apt-get: on Debian/Ubuntu)');
    expect(result.err).toContain('.devcontainer/');
  });

  it('no Python: one line saying what to install', () => {
    const m = machine({ uid: 0, python: false });
    const result = m.run(['--for', 'tests']);
    expect(result.code).toBe(1);
    expect(result.err.trim()).toBe(
      'setup-stack: the tests need Python 3 (for moto, the AWS emulator), which this script does not install; install python3 and python3-pip, then run the command again.',
    );
  });

  it('rejects an unknown purpose with the valid ones', () => {
    const result = machine({}).run(['--for', 'prod']);
    expect(result.code).toBe(2);
    expect(result.err.trim()).toBe("setup-stack: --for must be demo, tests or bench, not 'prod'");
  });
});
