import { ConfigurationError, memoryLogger } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { fakeSsm, param } from './fake-ssm.js';
import { type RunDeps, type RunOptions, runSsmLoad } from './run.js';
import type { StagedFile } from './secret-file.js';

const base: RunOptions = {
  paths: ['/app'],
  names: [],
  required: [],
  recursive: true,
  decrypt: true,
  nameTransform: 'upper-snake',
  prefix: '',
  expandJson: false,
  stringList: 'csv',
  mask: 'secure',
  region: 'ap-northeast-2',
  exportEnv: true,
  setOutputs: false,
  dotenvFile: undefined,
  jsonFile: undefined,
};

/** Files staged in memory; `failOn` makes staging of that input fail as the filesystem would. */
function setup(parameters: Parameters<typeof fakeSsm>[0], failOn?: 'dotenv-file' | 'json-file') {
  const events: string[] = [];
  const deps: RunDeps = {
    ssm: fakeSsm(parameters),
    logger: memoryLogger(),
    mask: () => {},
    stageSecretFile: async (input, path): Promise<StagedFile> => {
      if (input === failOn) throw new ConfigurationError(`Input '${input}' points at the directory "${path}".`);
      events.push(`stage ${input}`);
      return {
        path: `/ws/${path}`,
        commit: async () => {
          events.push(`commit ${input}`);
        },
        discard: async () => {
          events.push(`discard ${input}`);
        },
      };
    },
  };
  return { deps, events };
}

const failure = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );

describe('runSsmLoad names (issue 15 items 1 and 2)', () => {
  it('refuses every hostile name at once, naming the parameter and JSON key, before any file is staged', async () => {
    const { deps, events } = setup([
      param('/app/github_env', 'web/dist/robots.txt'),
      param('/app/bash', JSON.stringify({ env: '$(id)' })),
      param('/app/ok', 'fine'),
    ]);
    const error = await failure(runSsmLoad({ ...base, expandJson: true, dotenvFile: '.env' }, deps));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/^Refusing to export 2 variables to the job environment or the 'dotenv-file'; nothing was exported\./);
    expect(error.message).toContain('Parameter "/app/github_env" becomes the variable "GITHUB_ENV", which belongs to the runner');
    expect(error.message).toContain('Parameter "/app/bash" (JSON key "env") becomes the variable "BASH_ENV"');
    expect(events).toEqual([]);
  });

  it('checks the dotenv file even without export-env; not json-file or set-outputs alone', async () => {
    const params = [param('/app/path', '/tmp/evil')];
    const dotenv = await failure(runSsmLoad({ ...base, exportEnv: false, dotenvFile: '.env' }, setup(params).deps));
    expect(dotenv.message).toContain("to the 'dotenv-file'");
    const result = await runSsmLoad({ ...base, exportEnv: false, setOutputs: true, jsonFile: 'p.json' }, setup(params).deps);
    expect(result.env).toEqual({});
    expect(result.outputs.PATH).toBe('/tmp/evil');
  });

  it('a prefix makes them exportable', async () => {
    const result = await runSsmLoad({ ...base, prefix: 'APP_' }, setup([param('/app/path', '/opt/bin')]).deps);
    expect(result.env).toEqual({ APP_PATH: '/opt/bin' });
  });
});

describe('runSsmLoad files (issue 15 item 10)', () => {
  it('stages every file before committing any', async () => {
    const { deps, events } = setup([param('/app/a', '1')]);
    await runSsmLoad({ ...base, dotenvFile: '.env', jsonFile: 'p.json' }, deps);
    expect(events).toEqual(['stage dotenv-file', 'stage json-file', 'commit dotenv-file', 'commit json-file']);
  });

  it('when json-file cannot be staged, the staged dotenv file is discarded and nothing is committed', async () => {
    const { deps, events } = setup([param('/app/a', '1')], 'json-file');
    const error = await failure(runSsmLoad({ ...base, dotenvFile: '.env', jsonFile: 'config' }, deps));
    expect(error.message).toContain("Input 'json-file' points at the directory");
    expect(events).toEqual(['stage dotenv-file', 'discard dotenv-file']);
  });

  it('refuses dotenv-file and json-file naming the same file', async () => {
    const { deps, events } = setup([param('/app/a', '1')]);
    const error = await failure(runSsmLoad({ ...base, dotenvFile: 'same', jsonFile: 'same' }, deps));
    expect(error.message).toBe(`Inputs 'dotenv-file' and 'json-file' name the same file "/ws/same"; give each its own path.`);
    expect(events).toEqual(['stage dotenv-file', 'stage json-file', 'discard dotenv-file', 'discard json-file']);
  });
});
