import type { DeploymentConfiguration, LoadBalancer } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../errors.js';
import type { Wire } from '../wire.js';

const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
/** PAUSE hooks are not allowed at the stages where traffic moves. */
const NO_PAUSE_STAGES = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];

function range(name: string, value: number | undefined, min: number, max: number, step?: number): void {
  if (value === undefined) return;
  const offStep = step !== undefined && Math.abs(Math.round(value / step) * step - value) > 1e-9;
  if (value < min || value > max || offStep) {
    const multiple = step !== undefined ? `a multiple of ${step} ` : '';
    throw invalidParameter(`${name} must be ${multiple}between ${min} and ${max}; got ${value}.`);
  }
}

/**
 * What ECS checks for deploymentConfiguration.strategy BLUE_GREEN / LINEAR / CANARY:
 * the ECS deployment controller, each load balancer's advancedConfiguration, the
 * percentages and minutes in range, and lifecycle hooks that can run.
 */
export function validateDeploymentStrategy(
  configuration: Wire<DeploymentConfiguration> | undefined,
  loadBalancers: LoadBalancer[] | undefined,
  controller: string | undefined,
): void {
  const strategy = configuration?.strategy ?? 'ROLLING';
  if (!STRATEGIES.includes(strategy)) {
    throw invalidParameter(`Invalid deployment strategy ${strategy}. Valid values: ${STRATEGIES.join(', ')}.`);
  }
  range('bakeTimeInMinutes', configuration?.bakeTimeInMinutes, 0, 1440);
  range('linearConfiguration.stepPercent', configuration?.linearConfiguration?.stepPercent, 3, 100, 0.1);
  range('linearConfiguration.stepBakeTimeInMinutes', configuration?.linearConfiguration?.stepBakeTimeInMinutes, 0, 1440);
  range('canaryConfiguration.canaryPercent', configuration?.canaryConfiguration?.canaryPercent, 0.1, 100, 0.1);
  range('canaryConfiguration.canaryBakeTimeInMinutes', configuration?.canaryConfiguration?.canaryBakeTimeInMinutes, 0, 1440);
  for (const hook of configuration?.lifecycleHooks ?? []) {
    if (!hook.lifecycleStages?.length) throw invalidParameter('lifecycleStages must be specified for each lifecycle hook.');
    if (hook.targetType === 'PAUSE') {
      const bad = hook.lifecycleStages.filter((s) => NO_PAUSE_STAGES.includes(s));
      if (bad.length) throw invalidParameter(`PAUSE hooks cannot be configured at the ${bad.join(', ')} lifecycle stage.`);
    } else if (!hook.hookTargetArn || !hook.roleArn) {
      throw invalidParameter('hookTargetArn and roleArn must be specified for an AWS_LAMBDA lifecycle hook.');
    }
  }
  if (strategy === 'ROLLING') return;
  if ((controller ?? 'ECS') !== 'ECS') {
    throw invalidParameter(`The ${strategy} deployment strategy is only supported for services with the ECS deployment controller.`);
  }
  for (const lb of loadBalancers ?? []) {
    const advanced = lb.advancedConfiguration;
    const missing = (['alternateTargetGroupArn', 'productionListenerRule', 'roleArn'] as const).filter((k) => !advanced?.[k]);
    if (!missing.length) continue;
    const which = lb.targetGroupArn ? `target group ${lb.targetGroupArn}` : `load balancer ${lb.loadBalancerName ?? ''}`;
    throw invalidParameter(
      advanced
        ? `advancedConfiguration of the load balancer with ${which} is missing ${missing.join(', ')}, required for the ${strategy} deployment strategy.`
        : `advancedConfiguration must be specified for the load balancer with ${which} when the deployment strategy is ${strategy}: alternateTargetGroupArn, productionListenerRule and roleArn are required.`,
    );
  }
}
