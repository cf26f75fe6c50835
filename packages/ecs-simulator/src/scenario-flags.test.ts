import { describe, expect, it } from 'vitest';
import { parseCodeDeployFlag, parseHookFlag, parseRunTaskFlag, parseScenarioFlag } from './scenario-flags.js';

describe('CLI scenario flags', () => {
  it('parses rollout scenarios', () => {
    expect(parseScenarioFlag('api=healthy')).toEqual({ service: 'api', scenario: { kind: 'healthy' } });
    expect(parseScenarioFlag('api=healthy:8')).toEqual({ service: 'api', scenario: { kind: 'healthy', ticks: 8 } });
    expect(parseScenarioFlag('web=exit-code:137')).toEqual({ service: 'web', scenario: { kind: 'exit-code', exitCode: 137 } });
    expect(parseScenarioFlag('web=image-pull-failure').scenario).toEqual({ kind: 'image-pull-failure' });
    expect(parseScenarioFlag('web=stuck').scenario).toEqual({ kind: 'stuck' });
    expect(parseScenarioFlag('web=unhealthy-after-shift').scenario).toEqual({ kind: 'unhealthy-after-shift' });
  });

  it('parses hook results and CodeDeploy scenarios', () => {
    const arn = 'arn:aws:lambda:ap-northeast-2:123456789012:function:smoke';
    expect(parseHookFlag(`${arn}=FAILED`)).toEqual({ arn, result: 'FAILED' });
    expect(() => parseHookFlag(`${arn}=MAYBE`)).toThrow('expected <hookTargetArn>=SUCCEEDED|FAILED|IN_PROGRESS');
    expect(parseCodeDeployFlag('g=failing:AfterAllowTraffic')).toEqual({
      group: 'g',
      scenario: { kind: 'failing', lifecycleEvent: 'AfterAllowTraffic' },
    });
    expect(parseCodeDeployFlag('g=stuck').scenario).toEqual({ kind: 'stuck' });
    expect(() => parseCodeDeployFlag('g=odd')).toThrow('use healthy, failing[:<LifecycleEvent>] or stuck');
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
