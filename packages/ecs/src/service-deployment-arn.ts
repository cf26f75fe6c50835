/** An ECS service deployment ARN (arn:aws:ecs:region:account:service-deployment/cluster/service/id). */
export function isServiceDeploymentArn(value: string | undefined): value is string {
  return value !== undefined && /^arn:aws[\w-]*:ecs:[\w-]+:\d{12}:service-deployment\/[^/]+\/[^/]+\/.+$/.test(value);
}
