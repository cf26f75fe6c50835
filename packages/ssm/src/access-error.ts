import { ConfigurationError } from '@baepo/action-kit';
import { awsErrorInfo, describeAwsError, isAccessDenied, isAwsError } from '@baepo/aws';

/** What was being read when a call failed. */
export interface FailedRead {
  action: 'ssm:GetParametersByPath' | 'ssm:GetParameters';
  /** The path, or the parameter names of the batch. */
  subjects: readonly string[];
  region: string;
  decrypt: boolean;
}

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The parameter ARN IAM evaluates; the account comes from the denial message when AWS names it. */
export function parameterArn(name: string, region: string, account = '<account-id>'): string {
  return `arn:${partition(region)}:ssm:${region}:${account}:parameter/${name.replace(/^\//, '').replace(/:[^/]*$/, '')}`;
}

/**
 * Turn an AWS error from a read into one clear error: access denied becomes a
 * ConfigurationError naming the IAM action and resource ARN to grant (and kms:Decrypt
 * when decrypting); a validation error is a ConfigurationError; anything else
 * (throttling after every retry, 5xx) is an Error that names the call.
 */
export function translateReadError(error: unknown, read: FailedRead): Error {
  const info = awsErrorInfo(error);
  const what =
    read.action === 'ssm:GetParametersByPath'
      ? `the path '${read.subjects[0]}'`
      : `the parameter(s) ${read.subjects.map((s) => `'${s}'`).join(', ')}`;
  if (isAccessDenied(error)) {
    const principal = /User: (arn:\S+)/.exec(info.message)?.[1];
    const account = /arn:aws[\w-]*:(?:sts|iam|ssm:[\w-]+)::?(\d{12}):/.exec(info.message)?.[1];
    const arns =
      read.action === 'ssm:GetParametersByPath'
        ? [parameterArn(read.subjects[0] ?? '/', read.region, account), `${parameterArn(read.subjects[0] ?? '/', read.region, account)}/*`]
        : read.subjects.map((s) => parameterArn(s, read.region, account));
    const kms = read.decrypt
      ? ' If it holds SecureString parameters, also grant kms:Decrypt on their KMS key (alias/aws/ssm by default).'
      : '';
    return new ConfigurationError(
      `Access denied reading ${what}: ${principal ? `'${principal}'` : 'the credentials in use'} need ${read.action} on ${arns.join(', ')}.${kms} AWS said: ${describeAwsError(error)}`,
      { cause: error },
    );
  }
  if (isAwsError(error, 'ValidationException', 'InvalidKeyId', 'ParameterVersionNotFound', 'InvalidFilterKey', 'InvalidNextToken')) {
    return new ConfigurationError(`${read.action} for ${what} was rejected: ${describeAwsError(error)}`, { cause: error });
  }
  const transient = /Throttl|TooManyRequests|RequestLimitExceeded/.test(info.name) || (info.status ?? 0) >= 500;
  return new Error(`${read.action} for ${what} failed${transient ? " after the SDK's retries" : ''}: ${describeAwsError(error)}`, {
    cause: error,
  });
}
