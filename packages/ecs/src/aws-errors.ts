import { ConfigurationError } from '@baepo/action-kit';
import { awsErrorInfo, describeAwsError, isAccessDenied } from '@baepo/aws';

/**
 * Run one AWS call; turn "not allowed" into a ConfigurationError that names the
 * IAM action and resource to grant (iam:PassRole gets the role and the fix).
 */
export async function awsCall<T>(action: string, resource: string, call: () => Promise<T>, roles: (string | undefined)[] = []): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, action, resource, roles);
  }
}

export function translateAwsError(error: unknown, action: string, resource: string, roles: (string | undefined)[] = []): unknown {
  if (!isAccessDenied(error)) return error;
  const { message } = awsErrorInfo(error);
  if (/iam:PassRole/i.test(message)) {
    const role = /arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+/.exec(message)?.[0] ?? roles.filter(Boolean).join(' or ');
    return new ConfigurationError(
      `The deploy role may not pass role ${role || '(the task or execution role)'} to ECS (iam:PassRole denied during ${action}). ` +
        `Fix: grant iam:PassRole on ${role || 'that role ARN'} to the role this workflow deploys with (condition iam:PassedToService = ecs-tasks.amazonaws.com), ` +
        `or use a role it may pass. (${describeAwsError(error)})`,
      { cause: error },
    );
  }
  return new ConfigurationError(
    `The AWS credentials may not call ${action} on ${resource}. Fix: grant ${action} on ${resource} to the role this workflow deploys with. (${describeAwsError(error)})`,
    { cause: error },
  );
}
