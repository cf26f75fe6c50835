import { ConfigurationError, memoryLogger } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { type FailRule, fakeSsm, param } from './fake-ssm.js';
import { type LoadOptions, loadParameters } from './load.js';

const base: LoadOptions = {
  paths: [],
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
};

function setup(parameters: Parameters<typeof fakeSsm>[0], fail?: FailRule) {
  const ssm = fakeSsm(parameters, fail ? { fail } : {});
  const logger = memoryLogger();
  const events: string[] = [];
  const masked: string[] = [];
  const wrapped = {
    ...logger,
    info: (m: string) => {
      events.push('log');
      logger.info(m);
    },
    warning: (m: string) => {
      events.push('log');
      logger.warning(m);
    },
  };
  const mask = (value: string) => {
    events.push('mask');
    masked.push(value);
  };
  return { ssm, logger, events, masked, deps: { ssm, logger: wrapped, mask } };
}

const env = (variables: { name: string; value: string }[]) => Object.fromEntries(variables.map((v) => [v.name, v.value]));

describe('loadParameters', () => {
  it('pages through every path with MaxResults 10 and batches names by 10: the minimum number of calls', async () => {
    const many = Array.from({ length: 23 }, (_, i) => param(`/app/common/k${i}`, `v${i}`));
    const named = Array.from({ length: 11 }, (_, i) => param(`/other/n${i}`, `n${i}`));
    const { ssm, deps } = setup([...many, ...named]);
    const result = await loadParameters({ ...base, paths: ['/app/common'], names: named.map((p) => p.name) }, deps);
    expect(result.variables).toHaveLength(34);
    expect(ssm.calls.filter((c) => c.operation === 'GetParametersByPath')).toHaveLength(3);
    expect(ssm.calls.filter((c) => c.operation === 'GetParametersByPath').every((c) => c.input.MaxResults === 10)).toBe(true);
    expect(ssm.calls.filter((c) => c.operation === 'GetParameters').map((c) => (c.input.Names as string[]).length)).toEqual([10, 1]);
  });

  it('lets later paths override earlier ones and names override paths, logging each override by name', async () => {
    const { deps, logger } = setup([
      param('/shop/common/db/host', 'common-host'),
      param('/shop/common/db/port', '5432'),
      param('/shop/production/db/host', 'prod-host'),
      param('/x/host', 'named-host'),
    ]);
    const result = await loadParameters({ ...base, paths: ['/shop/common', '/shop/production/'], names: ['DB_PORT=/x/host'] }, deps);
    expect(env(result.variables)).toEqual({ DB_HOST: 'prod-host', DB_PORT: 'named-host' });
    expect(logger.text()).toContain(
      'DB_HOST: "/shop/production/db/host" (/shop/production) overrides "/shop/common/db/host" (/shop/common).',
    );
    expect(logger.text()).toContain('DB_PORT: "/x/host" (names) overrides "/shop/common/db/port" (/shop/common).');
    expect(logger.text()).not.toMatch(/prod-host|named-host/);
  });

  it('refuses two parameters of one path that map to the same name, naming both', async () => {
    const { deps } = setup([param('/app/db-host', 'a'), param('/app/db/host', 'b')]);
    await expect(loadParameters({ ...base, paths: ['/app'] }, deps)).rejects.toThrow(
      /"\/app\/db-host" and "\/app\/db\/host" from path "\/app" both become the variable "DB_HOST"/,
    );
  });

  it('masks every SecureString value (and its lines) before anything is logged; everything with mask: all', async () => {
    const secret = 'line-one-secret\nline-two-secret';
    const { deps, events, masked } = setup([param('/a/plain', 'visible'), param('/a/key', secret, 'SecureString'), param('/b/plain', 'x')]);
    await loadParameters({ ...base, paths: ['/a', '/b'] }, deps);
    // and the dotenv-escaped form `cat .env` would print (issue 15 item 4)
    expect(masked).toEqual([secret, 'line-one-secret\\nline-two-secret']);
    expect(events[0]).toBe('mask');
    expect(events.indexOf('log')).toBeGreaterThan(0);
    expect(events.lastIndexOf('mask')).toBeLessThan(events.indexOf('log'));
    const all = setup([param('/a/plain', 'visible'), param('/a/key', secret, 'SecureString')]);
    await loadParameters({ ...base, paths: ['/a'], mask: 'all' }, all.deps);
    expect(all.masked.sort()).toEqual(['visible', secret, 'line-one-secret\\nline-two-secret'].sort());
  });

  it('expands JSON objects into NAME_KEY variables and masks the flattened values of a secret', async () => {
    const json = JSON.stringify({
      host: 'db.internal',
      port: 5432,
      auth: { user: 'app', 'pass-word': 'hunter2-secret' },
      tags: ['a', 'b'],
    });
    const { deps, masked } = setup([
      param('/app/db', json, 'SecureString'),
      param('/app/plain', '{not json'),
      param('/app/list', 'a,b', 'StringList'),
    ]);
    const result = await loadParameters({ ...base, paths: ['/app'], expandJson: true, stringList: 'json' }, deps);
    expect(env(result.variables)).toEqual({
      DB_HOST: 'db.internal',
      DB_PORT: '5432',
      DB_AUTH_USER: 'app',
      DB_AUTH_PASS_WORD: 'hunter2-secret',
      DB_TAGS: '["a","b"]',
      PLAIN: '{not json',
      LIST: '["a","b"]',
    });
    expect(masked).toEqual(expect.arrayContaining([json, 'db.internal', '5432', 'app', 'hunter2-secret', '["a","b"]']));
    expect(result.variables.find((v) => v.name === 'DB_AUTH_PASS_WORD')?.jsonKey).toBe('auth.pass-word');
  });

  it('names a bare name from its last segment (transformed, prefixed); an explicit name as given', async () => {
    const { deps } = setup([param('/s/sentry-dsn', 'dsn'), param('/s/token', 't')]);
    const result = await loadParameters({ ...base, names: ['/s/sentry-dsn', 'MY_TOKEN=/s/token'], prefix: 'APP_' }, deps);
    expect(env(result.variables)).toEqual({ APP_SENTRY_DSN: 'dsn', MY_TOKEN: 't' });
  });

  it('lists every missing name at once, and every missing required variable with the paths searched', async () => {
    const { deps } = setup([param('/s/a', 'a')]);
    await expect(loadParameters({ ...base, names: ['/s/a', '/s/b', 'C=/s/c'] }, deps)).rejects.toThrow(
      /These 2 parameters do not exist .*"\/s\/b", "\/s\/c"/,
    );
    const second = setup([param('/s/a', 'a')]);
    const error = await loadParameters({ ...base, paths: ['/s', '/empty'], required: ['A', 'B', 'C'] }, second.deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('Required variables "B", "C" were not loaded (searched "/s", "/empty", recursively)');
    expect(second.logger.text()).toContain('warning: No parameters under "/empty"');
  });

  it('translates AccessDenied into the action and ARN to grant', async () => {
    const denied = Object.assign(new Error('User: arn:aws:sts::111122223333:assumed-role/r/s is not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const { deps } = setup([param('/s/a', 'a')], ({ operation }) => (operation === 'GetParameters' ? denied : undefined));
    await expect(loadParameters({ ...base, names: ['/s/a'] }, deps)).rejects.toThrow(
      /Access denied reading the parameter\(s\) '\/s\/a': 'arn:aws:sts::111122223333:assumed-role\/r\/s' need ssm:GetParameters on arn:aws:ssm:ap-northeast-2:111122223333:parameter\/s\/a\. If it holds SecureString parameters, also grant kms:Decrypt/,
    );
  });

  it('validates every input before any call', async () => {
    const { deps, ssm } = setup([]);
    await expect(loadParameters({ ...base, paths: ['nope', '/ok', '/ok'], required: ['1X'], prefix: '9' }, deps)).rejects.toThrow(
      /4 problems/,
    );
    await expect(loadParameters({ ...base }, deps)).rejects.toThrow(/Nothing to load/);
    expect(ssm.calls).toHaveLength(0);
  });

  it('reads only direct children with recursive: false', async () => {
    const { deps, ssm } = setup([param('/a/x', '1'), param('/a/deep/y', '2')]);
    const result = await loadParameters({ ...base, paths: ['/a'], recursive: false }, deps);
    expect(env(result.variables)).toEqual({ X: '1' });
    expect(ssm.calls[0]?.input.Recursive).toBe(false);
  });
});

describe('loadParameters concurrency', () => {
  it('reads the paths at the same time, not one after another', async () => {
    const started: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ssm = fakeSsm([param('/a/x', '1'), param('/b/y', '2')]);
    const slow = {
      ...ssm,
      getParametersByPath: async (input: Parameters<typeof ssm.getParametersByPath>[0]) => {
        started.push(input.Path ?? '');
        if (started.length === 2) release();
        await gate;
        return ssm.getParametersByPath(input);
      },
    };
    const result = await loadParameters({ ...base, paths: ['/a', '/b'] }, { ssm: slow, logger: memoryLogger(), mask: () => {} });
    expect(started).toEqual(['/a', '/b']);
    expect(result.variables.map((v) => v.name)).toEqual(['X', 'Y']);
  });
});
