import { describe, expect, it } from 'vitest';
import { parseRunTaskFlag, parseScenarioFlag } from './scenario-flags.js';

describe('CLI scenario flags', () => {
  it('parses rollout scenarios', () => {
    expect(parseScenarioFlag('api=healthy')).toEqual({ service: 'api', scenario: { kind: 'healthy' } });
    expect(parseScenarioFlag('api=healthy:8')).toEqual({ service: 'api', scenario: { kind: 'healthy', ticks: 8 } });
    expect(parseScenarioFlag('web=exit-code:137')).toEqual({ service: 'web', scenario: { kind: 'exit-code', exitCode: 137 } });
    expect(parseScenarioFlag('web=image-pull-failure').scenario).toEqual({ kind: 'image-pull-failure' });
    expect(parseScenarioFlag('web=stuck').scenario).toEqual({ kind: 'stuck' });
  });

  it('parses RunTask scenarios', () => {
    expect(parseRunTaskFlag('migrate=exit:2')).toEqual({ family: 'migrate', scenario: { kind: 'exit', exitCode: 2 } });
    expect(parseRunTaskFlag('migrate=start-failure')).toEqual({ family: 'migrate', scenario: { kind: 'start-failure' } });
  });

  it('rejects bad values, saying what is valid', () => {
    expect(() => parseScenarioFlag('api')).toThrow('--scenario "api": expected <name>=<scenario>');
    expect(() => parseScenarioFlag('api=broken')).toThrow(/unknown kind "broken"; use healthy\[:ticks\]/);
    expect(() => parseScenarioFlag('api=healthy:x')).toThrow('"x" is not a whole number');
    expect(() => parseRunTaskFlag('migrate=exit:-1')).toThrow('is not a whole number');
    expect(() => parseRunTaskFlag('migrate=crash')).toThrow(/use exit:<code> or start-failure/);
  });
});
