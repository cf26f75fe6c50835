import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { boolean, byteSize, choice, duration, integer, keyValues, list, parseInputs, text } from './inputs.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseInputs', () => {
  const spec = {
    name: text({ required: true }),
    note: text(),
    region: text({ default: 'ap-northeast-2' }),
    wait: boolean({ default: true }),
    mode: choice(['skip', 'fail'], { default: 'skip' }),
    timeout: duration({ default: '30m', max: 6 * 3_600_000 }),
    count: integer({ default: 4, min: 1, max: 64 }),
    size: byteSize({ default: '16MiB' }),
    paths: list(),
    env: keyValues(),
  };

  it('applies defaults and treats empty optional inputs as not given', () => {
    const inputs = parseInputs(spec, reader({ name: 'api', note: '   ' }));
    expect(inputs).toEqual({
      name: 'api',
      note: undefined,
      region: 'ap-northeast-2',
      wait: true,
      mode: 'skip',
      timeout: 30 * 60_000,
      count: 4,
      size: 16 * 1024 * 1024,
      paths: [],
      env: [],
    });
  });

  it('parses every kind of value', () => {
    const inputs = parseInputs(
      spec,
      reader({
        name: 'api',
        wait: 'false',
        mode: 'fail',
        timeout: '1h30m',
        count: '8',
        size: '5MB',
        paths: '/shop/common\n\n# production overrides\n  /shop/production  \n',
        env: 'A=1\nURL=https://x.example/?a=b=c\n# comment\n',
      }),
    );
    expect(inputs.wait).toBe(false);
    expect(inputs.mode).toBe('fail');
    expect(inputs.timeout).toBe(90 * 60_000);
    expect(inputs.count).toBe(8);
    expect(inputs.size).toBe(5_000_000);
    expect(inputs.paths).toEqual(['/shop/common', '/shop/production']);
    expect(inputs.env).toEqual([
      { key: 'A', value: '1', line: 1 },
      { key: 'URL', value: 'https://x.example/?a=b=c', line: 2 },
    ]);
  });

  it('reports a missing required input by name', () => {
    expect(() => parseInputs(spec, reader({}))).toThrow(new ConfigurationError("Input 'name' is required but was not given."));
  });

  it('quotes a bad boolean and lists enum values', () => {
    expect(() => parseInputs({ wait: boolean({ default: true }) }, reader({ wait: 'yes' }))).toThrow(
      "Input 'wait' must be 'true' or 'false', got \"yes\".",
    );
    expect(() => parseInputs({ mode: choice(['skip', 'fail'], { default: 'skip' }) }, reader({ mode: 'ignore' }))).toThrow(
      "Input 'mode' must be one of 'skip', 'fail'; got \"ignore\".",
    );
  });

  it('reports every bad input at once', () => {
    let error: unknown;
    try {
      parseInputs(spec, reader({ name: 'api', wait: 'TRUE', count: '0', timeout: '7h' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^3 inputs are invalid: /);
    expect(message).toContain("Input 'wait' must be 'true' or 'false', got \"TRUE\".");
    expect(message).toContain('Input \'timeout\' must be at most 21600s; got "7h".');
    expect(message).toContain('Input \'count\' must be at least 1; got "0".');
  });

  it('rejects malformed durations, integers and sizes', () => {
    expect(() => parseInputs({ t: duration() }, reader({ t: '10 minutes' }))).toThrow(/'t' must be a duration such as '90s'/);
    expect(() => parseInputs({ n: integer() }, reader({ n: '1.5' }))).toThrow(/'n' must be a whole number; got "1.5"/);
    expect(() => parseInputs({ s: byteSize() }, reader({ s: '16 parsecs' }))).toThrow(/'s' must be a size/);
  });

  it('rejects duplicate keys and lines without a separator in key=value maps', () => {
    expect(() => parseInputs({ env: keyValues() }, reader({ env: 'A=1\nB=2\nA=3' }))).toThrow(
      'Input \'env\' sets "A" twice (lines 1 and 3); keep one.',
    );
    expect(() => parseInputs({ env: keyValues() }, reader({ env: 'A=1\njust-a-word' }))).toThrow(
      "Input 'env' line 2 must look like 'key=value'; got \"just-a-word\".",
    );
    expect(() => parseInputs({ env: keyValues() }, reader({ env: '=value' }))).toThrow(/line 1 must look like 'key=value'/);
  });

  it('declares required and defaults exactly as action.yml must', () => {
    expect(spec.name.required).toBe(true);
    expect(spec.wait.default).toBe('true');
    expect(spec.count.default).toBe('4');
    expect(spec.note.default).toBeUndefined();
  });
});
