import { memoryLogger } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { type ResolveEnvDeps, type ResolveEnvInputs, run } from './run.js';
import { resolutionSummary } from './summary.js';

const CONFIG = "version: 1\nenvironments:\n  qa:\n    match: { branches: ['release/**'] }\n    ssm-paths: [/a, /b]\n";
const inputs = (overrides: Partial<ResolveEnvInputs> = {}): ResolveEnvInputs => ({
  config: '.github/baepo.yml',
  environment: undefined,
  ref: undefined,
  'on-no-match': 'skip',
  ...overrides,
});
const deps = (files: Record<string, string | NodeJS.ErrnoException>, ref = 'refs/heads/release/1'): ResolveEnvDeps & { read: string[] } => {
  const read: string[] = [];
  return {
    read,
    workspace: '/ws',
    readFile: (path) => {
      read.push(path);
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      if (typeof content !== 'string') throw content;
      return content;
    },
    github: { eventName: 'push', ref, sha: 'a'.repeat(40), runNumber: '1', payload: {} },
    logger: memoryLogger(),
  };
};

describe('run', () => {
  it('reads the config relative to the workspace and logs the decision', async () => {
    const d = deps({ '/ws/.github/baepo.yml': CONFIG });
    const { resolution, configFile } = await run(inputs(), d);
    expect(d.read).toEqual(['/ws/.github/baepo.yml']);
    expect(configFile).toBe('.github/baepo.yml');
    expect(resolution.environment).toBe('qa');
    expect((d.logger as ReturnType<typeof memoryLogger>).text()).toBe(
      "info: Config .github/baepo.yml: environments qa.\ninfo: branch 'release/1' matched environments.qa.match.branches[0] 'release/**'",
    );
  });

  it('accepts an absolute config path and shows it as given when outside the workspace', async () => {
    const d = deps({ '/etc/baepo.yml': CONFIG }, 'refs/heads/main');
    const { configFile, resolution } = await run(inputs({ config: '/etc/baepo.yml' }), d);
    expect(configFile).toBe('/etc/baepo.yml');
    expect(resolution.deploy).toBe(false);
  });

  it('fails on no match only when asked to', async () => {
    const d = deps({ '/ws/.github/baepo.yml': CONFIG }, 'refs/heads/main');
    await expect(run(inputs({ 'on-no-match': 'fail' }), d)).rejects.toThrow(
      "branch 'main' matched no environment; tried environments.qa.match.branches ['release/**']. Add a rule",
    );
  });

  it('names an unreadable file with the error code', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    await expect(run(inputs(), deps({ '/ws/.github/baepo.yml': denied }))).rejects.toThrow(
      "Config file '.github/baepo.yml' could not be read (EACCES). Set the 'config' input to a readable YAML file.",
    );
  });

  it('summarises every output, one code span per line', async () => {
    const { resolution, configFile } = await run(inputs(), deps({ '/ws/.github/baepo.yml': CONFIG }));
    const summary = resolutionSummary(resolution, configFile);
    expect(summary).toContain('### resolve-env: deploy to `qa`\n');
    expect(summary).toContain('| `ssm-paths` | `/a`<br>`/b` |');
    expect(summary).toContain('| `vars` | `{}` |');
    expect(summary.match(/^\| `/gm)).toHaveLength(15);
  });
});
