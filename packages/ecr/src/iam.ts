/** The IAM actions a push needs, for "access denied" messages. */
export const PUSH_ACTIONS = [
  'ecr:GetAuthorizationToken',
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
  'ecr:BatchGetImage',
  'ecr:DescribeRepositories',
] as const;

export function repositoryArn(region: string, account: string, repository: string): string {
  return `arn:aws:ecr:${region}:${account}:repository/${repository}`;
}

export function accessDeniedMessage(what: string, actions: readonly string[], resource: string, detail: string): string {
  return `Access denied while ${what}: grant the workflow's role ${actions.join(', ')} on ${resource} (${detail}).`;
}
