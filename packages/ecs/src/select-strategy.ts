import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@baepo/action-kit';
import type { CodeDeployApi } from './clients.js';
import { type CodeDeployOptions, codeDeployStrategy } from './codedeploy.js';
import { nativeStrategy } from './native.js';
import { type NativeKind, type NativeOptions, STRATEGY_NAMES } from './native-config.js';
import { checkNativeReadiness } from './native-preflight.js';
import { rollingStrategy } from './rolling.js';
import type { DeployStrategy } from './strategy.js';

export type StrategyName = 'rolling' | NativeKind | 'codedeploy';

export interface StrategyRequest extends Omit<NativeOptions, 'kind'> {
  /** undefined: what each service is configured for. */
  strategy?: StrategyName;
  codedeploy?: Omit<CodeDeployOptions, 'appspec'> & { appspec?: string };
}

/**
 * Pick how the services are deployed, before anything is written: the input,
 * else what the services are configured for (a CODE_DEPLOY controller always
 * means CodeDeploy). Native strategies are checked for their load balancer
 * setup here, so a missing piece stops the deploy before registration.
 */
export function selectStrategy(
  request: StrategyRequest,
  services: Service[],
  io: { codedeploy?: CodeDeployApi; readFile?: (path: string) => string | undefined } = {},
): DeployStrategy {
  const configured = services.map((s) => ({ name: s.serviceName ?? '', strategy: configuredStrategy(s) }));
  const codeDeploy = configured.find((c) => c.strategy === 'codedeploy');
  if (codeDeploy || request.strategy === 'codedeploy') return codeDeploy_(request, configured, io);
  let name: Exclude<StrategyName, 'codedeploy'> | undefined = request.strategy;
  if (name === undefined) {
    const kinds = [...new Set(configured.map((c) => c.strategy))];
    if (kinds.length > 1) {
      throw new ConfigurationError(
        `Input 'strategy' is needed: the services are configured differently (${configured.map((c) => `${c.name}: ${c.strategy}`).join(', ')}); set 'strategy' or deploy them in separate steps.`,
        { input: 'strategy' },
      );
    }
    name = kinds[0] === 'codedeploy' || kinds[0] === undefined ? 'rolling' : kinds[0];
  }
  if (name === 'rolling') {
    if (request.pauseAt) {
      throw new ConfigurationError(
        `Input 'pause-at' needs an ECS-native strategy (blue-green, linear or canary); the strategy is 'rolling'${request.strategy ? '' : ' (what the service is configured for)'}. Set 'strategy: blue-green' or remove 'pause-at'.`,
        { input: 'pause-at' },
      );
    }
    return rollingStrategy;
  }
  const kind: NativeKind = name;
  for (const service of services) checkNativeReadiness(service, kind);
  return nativeStrategy({ ...request, kind });
}

/** The strategy a service is configured for, in the action's words. */
export function configuredStrategy(service: Service): StrategyName {
  if (service.deploymentController?.type === 'CODE_DEPLOY') return 'codedeploy';
  const configured = service.deploymentConfiguration?.strategy;
  const native = (Object.keys(STRATEGY_NAMES) as NativeKind[]).find((k) => STRATEGY_NAMES[k] === configured);
  return native ?? 'rolling';
}

/** A CODE_DEPLOY controller always means CodeDeploy; every service must use it. */
function codeDeploy_(
  request: StrategyRequest,
  configured: { name: string; strategy: StrategyName }[],
  io: { codedeploy?: CodeDeployApi; readFile?: (path: string) => string | undefined },
): DeployStrategy {
  const other = configured.find((c) => c.strategy !== 'codedeploy');
  if (other) {
    throw new ConfigurationError(
      `Service '${other.name}' uses the ECS deployment controller, so it cannot be deployed through CodeDeploy${request.strategy === 'codedeploy' ? " ('strategy: codedeploy')" : ' together with CODE_DEPLOY services'}; use 'strategy: blue-green' for ECS-native blue/green, or deploy the services in separate steps.`,
      { input: 'strategy' },
    );
  }
  if (request.strategy && request.strategy !== 'codedeploy') {
    throw new ConfigurationError(
      `Input 'strategy' is ${JSON.stringify(request.strategy)}, but the service uses the CODE_DEPLOY deployment controller: it can only be deployed through CodeDeploy. Remove 'strategy' or set it to 'codedeploy'.`,
      { input: 'strategy' },
    );
  }
  if (request.pauseAt) {
    throw new ConfigurationError(
      "Input 'pause-at' is for ECS-native deployments; CodeDeploy waits are configured in its deployment group.",
      {
        input: 'pause-at',
      },
    );
  }
  if (!io.codedeploy) throw new Error('no CodeDeploy client');
  const path = request.codedeploy?.appspec;
  let appspec: CodeDeployOptions['appspec'];
  if (path) {
    const text = io.readFile?.(path);
    if (text === undefined)
      throw new ConfigurationError(`Input 'appspec': file ${JSON.stringify(path)} not found in the workspace.`, { input: 'appspec' });
    appspec = { path, text };
  }
  const { appspec: _path, ...names } = request.codedeploy ?? {};
  return codeDeployStrategy(io.codedeploy, { ...names, ...(appspec ? { appspec } : {}) });
}
