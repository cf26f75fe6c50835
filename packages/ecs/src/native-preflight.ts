import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@baepo/action-kit';

/**
 * ECS-native blue/green, linear and canary shift traffic between two target
 * groups: every load balancer of the service needs `advancedConfiguration`
 * (alternate target group, production listener rule, role). Say precisely
 * what is missing before anything is written, rather than let ECS fail later.
 */
export function checkNativeReadiness(service: Service, strategy: string): void {
  const name = service.serviceName ?? '';
  const balancers = service.loadBalancers ?? [];
  const problems: string[] = [];
  if (balancers.length === 0) problems.push('the service has no load balancer (loadBalancers is empty)');
  for (const [i, lb] of balancers.entries()) {
    const which = `loadBalancers[${i}] (${lb.targetGroupArn ?? lb.loadBalancerName ?? 'no target group'}, container ${lb.containerName ?? '?'}:${lb.containerPort ?? '?'})`;
    const advanced = lb.advancedConfiguration;
    const missing = [
      advanced?.alternateTargetGroupArn ? undefined : 'alternateTargetGroupArn',
      advanced?.productionListenerRule ? undefined : 'productionListenerRule',
      advanced?.roleArn ? undefined : 'roleArn',
    ].filter((m): m is string => m !== undefined);
    if (missing.length) problems.push(`${which} lacks advancedConfiguration.${missing.join(', advancedConfiguration.')}`);
  }
  if (problems.length === 0) return;
  throw new ConfigurationError(
    `Service '${name}' cannot use strategy '${strategy}': ${problems.join('; ')}. ECS blue/green, linear and canary need, on each load balancer, an alternate target group, the production listener rule and an IAM role ECS uses to change them: set them once with 'aws ecs update-service --load-balancers' (advancedConfiguration), or use 'strategy: rolling'. Nothing was changed.`,
    { input: 'strategy' },
  );
}
