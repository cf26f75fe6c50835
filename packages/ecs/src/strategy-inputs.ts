import { ConfigurationError, formatDuration, quote } from '@baepo/action-kit';
import type { DeployInputs } from './deploy-inputs.js';
import type { DeployRequest } from './request.js';
import { isServiceDeploymentArn } from './service-deployment-arn.js';

const MINUTE = 60_000;
const MAX_BAKE_MINUTES = 1440;

/** The strategy, bake time, step and approval inputs, checked against what ECS accepts. */
export function strategyInputs(inputs: DeployInputs): Pick<DeployRequest, 'strategy' | 'resume'> {
  const strategy = inputs.strategy;
  const settings: [keyof DeployInputs, string[]][] = [
    ['canary-percent', ['canary']],
    ['canary-bake-time', ['canary']],
    ['linear-step-percent', ['linear']],
    ['linear-step-bake-time', ['linear']],
  ];
  for (const [name, strategies] of settings) {
    if (inputs[name] !== undefined && strategy !== undefined && !strategies.includes(strategy)) {
      throw new ConfigurationError(
        `Input '${name}' applies to 'strategy: ${strategies[0]}'; the strategy is ${quote(strategy)}. Remove '${name}' or change 'strategy'.`,
        {
          input: name,
        },
      );
    }
  }
  if (inputs['bake-time'] !== undefined && (strategy === 'rolling' || strategy === 'codedeploy')) {
    throw new ConfigurationError(`Input 'bake-time' applies to blue-green, linear and canary; the strategy is ${quote(strategy)}.`, {
      input: 'bake-time',
    });
  }
  const codeDeployInputs = (['codedeploy-application', 'codedeploy-deployment-group', 'codedeploy-config', 'appspec'] as const).filter(
    (name) => inputs[name] !== undefined,
  );
  if (codeDeployInputs.length && strategy !== undefined && strategy !== 'codedeploy') {
    throw new ConfigurationError(`Input '${codeDeployInputs[0]}' applies to 'strategy: codedeploy'; the strategy is ${quote(strategy)}.`, {
      input: codeDeployInputs[0],
    });
  }
  if (inputs.decision && !inputs.resume) {
    throw new ConfigurationError("Input 'decision' needs 'resume' (the service-deployment-arn output of the run that paused).", {
      input: 'decision',
    });
  }
  let resume: DeployRequest['resume'];
  if (inputs.resume) {
    if (!isServiceDeploymentArn(inputs.resume)) {
      throw new ConfigurationError(
        `Input 'resume' must be a service deployment ARN such as 'arn:aws:ecs:ap-northeast-2:123456789012:service-deployment/shop/api/AbCd12'; got ${quote(inputs.resume)}. Use the 'service-deployment-arn' output of the run that paused.`,
        { input: 'resume' },
      );
    }
    if (!inputs.decision) {
      throw new ConfigurationError("Input 'decision' is required with 'resume': 'continue' or 'rollback'.", { input: 'decision' });
    }
    resume = { serviceDeploymentArn: inputs.resume, decision: inputs.decision };
  }
  const request = {
    ...(strategy ? { strategy } : {}),
    ...minutes(inputs, 'bake-time', 'bakeTimeMinutes'),
    ...minutes(inputs, 'canary-bake-time', 'canaryBakeTimeMinutes'),
    ...minutes(inputs, 'linear-step-bake-time', 'linearStepBakeTimeMinutes'),
    ...percent(inputs, 'canary-percent', 'canaryPercent', 0.1),
    ...percent(inputs, 'linear-step-percent', 'linearStepPercent', 3),
    ...(inputs['pause-at'] ? { pauseAt: inputs['pause-at'] } : {}),
    ...codeDeployNames(inputs),
  };
  return { strategy: request, ...(resume ? { resume } : {}) };
}

function codeDeployNames(inputs: DeployInputs) {
  const names = {
    ...(inputs['codedeploy-application'] ? { application: inputs['codedeploy-application'] } : {}),
    ...(inputs['codedeploy-deployment-group'] ? { deploymentGroup: inputs['codedeploy-deployment-group'] } : {}),
    ...(inputs['codedeploy-config'] ? { config: inputs['codedeploy-config'] } : {}),
    ...(inputs.appspec ? { appspec: inputs.appspec } : {}),
  };
  return Object.keys(names).length ? { codedeploy: names } : {};
}

/** ECS takes bake times in whole minutes, 0 to 1440. */
function minutes<K extends string>(inputs: DeployInputs, name: 'bake-time' | 'canary-bake-time' | 'linear-step-bake-time', key: K) {
  const ms = inputs[name];
  if (ms === undefined) return {};
  if (ms % MINUTE !== 0 || ms > MAX_BAKE_MINUTES * MINUTE) {
    throw new ConfigurationError(
      `Input '${name}' must be whole minutes from 0m to 24h (ECS sets bake times in minutes), such as '0m', '5m' or '1h'; got ${formatDuration(ms)}.`,
      { input: name },
    );
  }
  return { [key]: ms / MINUTE } as Record<K, number>;
}

/** ECS takes traffic percentages as multiples of 0.1 up to 100. */
function percent<K extends string>(inputs: DeployInputs, name: 'canary-percent' | 'linear-step-percent', key: K, min: number) {
  const raw = inputs[name];
  if (raw === undefined) return {};
  const value = Number(raw.trim().replace(/%$/, ''));
  if (!/^\d+(\.\d)?%?$/.test(raw.trim()) || value < min || value > 100) {
    throw new ConfigurationError(
      `Input '${name}' must be a percentage from ${min} to 100 in steps of 0.1 (ECS), such as '10' or '2.5'; got ${quote(raw)}.`,
      {
        input: name,
      },
    );
  }
  return { [key]: value } as Record<K, number>;
}
