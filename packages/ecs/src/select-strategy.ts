import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@baepo/action-kit';
import { nativeStrategy } from './native.js';
import { type NativeKind, type NativeOptions, STRATEGY_NAMES } from './native-config.js';
import { checkNativeReadiness } from './native-preflight.js';
import { rollingStrategy } from './rolling.js';
import type { DeployStrategy } from './strategy.js';

export type StrategyName = 'rolling' | NativeKind | 'codedeploy';

export interface StrategyRequest extends Omit<NativeOptions, 'kind'> {
  /** undefined: what each service is configured for. */
  strategy?: StrategyName;
}

/**
 * Pick how the services are deployed, before anything is written: the input,
 * else what the services are configured for (a CODE_DEPLOY controller always
 * means CodeDeploy). Native strategies are checked for their load balancer
 * setup here, so a missing piece stops the deploy before registration.
 */
export function selectStrategy(request: StrategyRequest, services: Service[]): DeployStrategy {
  const configured = services.map((s) => ({ name: s.serviceName ?? '', strategy: configuredStrategy(s) }));
  const codeDeploy = configured.find((c) => c.strategy === 'codedeploy');
  if (codeDeploy || request.strategy === 'codedeploy') {
    const who = codeDeploy ? `service '${codeDeploy.name}' uses the CODE_DEPLOY deployment controller` : "'strategy' is 'codedeploy'";
    throw new ConfigurationError(
      `${who}, and CodeDeploy deployments are not supported by this version of ecs-deploy yet. Deploy with aws-actions/amazon-ecs-deploy-task-definition (codedeploy-appspec), or move the service to the ECS controller and use 'strategy: blue-green'.`,
      { input: 'strategy' },
    );
  }
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
