import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import type { DeployInputs } from './deploy-inputs.js';
import { nativeDeploymentConfiguration, unrequestedPauseStages } from './native-config.js';
import { configuredStrategy, selectStrategy } from './select-strategy.js';
import { strategyInputs } from './strategy-inputs.js';

const SD = 'arn:aws:ecs:ap-northeast-2:123456789012:service-deployment/shop/api/AbCd12';
const parse = (inputs: Partial<DeployInputs>) => strategyInputs(inputs as DeployInputs);
const message = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('strategy inputs', () => {
  it('turns durations into whole minutes and percentages into numbers', () => {
    expect(parse({ strategy: 'canary', 'bake-time': 300_000, 'canary-percent': '2.5', 'canary-bake-time': 0 }).strategy).toEqual({
      strategy: 'canary',
      bakeTimeMinutes: 5,
      canaryPercent: 2.5,
      canaryBakeTimeMinutes: 0,
    });
  });

  it('refuses what ECS refuses, quoting the value', () => {
    expect(message(() => parse({ strategy: 'linear', 'linear-step-bake-time': 90_000 }))).toBe(
      "Input 'linear-step-bake-time' must be whole minutes from 0m to 24h (ECS sets bake times in minutes), such as '0m', '5m' or '1h'; got 1m 30s.",
    );
    expect(message(() => parse({ strategy: 'linear', 'linear-step-percent': '2' }))).toContain(
      `from 3 to 100 in steps of 0.1 (ECS), such as '10' or '2.5'; got "2".`,
    );
    expect(message(() => parse({ strategy: 'canary', 'canary-percent': '0.05' }))).toContain('got "0.05"');
    expect(message(() => parse({ strategy: 'blue-green', 'canary-percent': '10' }))).toContain(
      "Input 'canary-percent' applies to 'strategy: canary'",
    );
    expect(message(() => parse({ strategy: 'rolling', 'bake-time': 60_000 }))).toContain("Input 'bake-time' applies to blue-green");
  });

  it('needs a service deployment ARN and a decision to resume', () => {
    expect(parse({ resume: SD, decision: 'rollback' }).resume).toEqual({ serviceDeploymentArn: SD, decision: 'rollback' });
    expect(message(() => parse({ resume: 'ecs-svc/123', decision: 'continue' }))).toContain(
      "Input 'resume' must be a service deployment ARN",
    );
    expect(message(() => parse({ resume: SD }))).toContain("Input 'decision' is required with 'resume'");
    expect(message(() => parse({ decision: 'continue' }))).toContain("Input 'decision' needs 'resume'");
  });
});

const ready: Service = {
  serviceName: 'api',
  loadBalancers: [
    { targetGroupArn: 'tg', advancedConfiguration: { alternateTargetGroupArn: 'tg2', productionListenerRule: 'rule', roleArn: 'role' } },
  ],
};

describe('strategy selection', () => {
  it('follows the input, else what the service is configured for', () => {
    expect(selectStrategy({}, [{ serviceName: 'api' }]).name).toBe('rolling');
    expect(selectStrategy({}, [{ ...ready, deploymentConfiguration: { strategy: 'LINEAR' } }]).name).toBe('linear');
    expect(selectStrategy({ strategy: 'canary' }, [ready]).name).toBe('canary');
    expect(configuredStrategy({ deploymentController: { type: 'CODE_DEPLOY' }, deploymentConfiguration: { strategy: 'ROLLING' } })).toBe(
      'codedeploy',
    );
  });

  it('explains what it cannot do', () => {
    expect(
      message(() => selectStrategy({ strategy: 'rolling' }, [{ serviceName: 'api', deploymentController: { type: 'CODE_DEPLOY' } }])),
    ).toContain('Input \'strategy\' is "rolling", but the service uses the CODE_DEPLOY deployment controller');
    expect(message(() => selectStrategy({ strategy: 'codedeploy' }, [{ serviceName: 'api' }]))).toContain(
      "Service 'api' uses the ECS deployment controller, so it cannot be deployed through CodeDeploy",
    );
    expect(message(() => selectStrategy({ pauseAt: 'POST_TEST_TRAFFIC_SHIFT' }, [{ serviceName: 'api' }]))).toContain(
      "Input 'pause-at' needs an ECS-native strategy",
    );
    expect(
      message(() =>
        selectStrategy({}, [{ serviceName: 'a' }, { ...ready, serviceName: 'b', deploymentConfiguration: { strategy: 'CANARY' } }]),
      ),
    ).toContain('the services are configured differently (a: rolling, b: canary)');
    expect(message(() => selectStrategy({ strategy: 'blue-green' }, [{ serviceName: 'api' }]))).toContain(
      'the service has no load balancer',
    );
  });

  it('keeps the service configuration and adds a PAUSE hook only once', () => {
    const current = {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      lifecycleHooks: [{ targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] }],
    };
    const next = nativeDeploymentConfiguration(current, { kind: 'blue-green', pauseAt: 'POST_TEST_TRAFFIC_SHIFT', bakeTimeMinutes: 0 });
    expect(next).toEqual({ ...current, strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  });
});

describe('PAUSE hooks left on the service', () => {
  const pause = (stage: 'POST_TEST_TRAFFIC_SHIFT' | 'POST_SCALE_UP') => ({ targetType: 'PAUSE' as const, lifecycleStages: [stage] });
  const lambda = { hookTargetArn: 'arn:aws:lambda:ap-northeast-2:1:function:smoke', lifecycleStages: ['POST_SCALE_UP' as const] };

  it('names the stages where an existing PAUSE hook will stop a deployment that did not ask to pause', () => {
    const config = { strategy: 'BLUE_GREEN' as const, lifecycleHooks: [pause('POST_TEST_TRAFFIC_SHIFT'), pause('POST_SCALE_UP'), lambda] };
    expect(unrequestedPauseStages(config, undefined)).toEqual(['POST_TEST_TRAFFIC_SHIFT', 'POST_SCALE_UP']);
    expect(unrequestedPauseStages(config, 'POST_TEST_TRAFFIC_SHIFT')).toEqual(['POST_SCALE_UP']);
  });

  it('says nothing for rolling services or services without PAUSE hooks', () => {
    expect(unrequestedPauseStages({ strategy: 'ROLLING', lifecycleHooks: [pause('POST_SCALE_UP')] }, undefined)).toEqual([]);
    expect(unrequestedPauseStages({ strategy: 'CANARY', lifecycleHooks: [lambda] }, undefined)).toEqual([]);
    expect(unrequestedPauseStages(undefined, undefined)).toEqual([]);
  });
});
