import { ConfigurationError } from '@baepo/action-kit';
import { failedService, networkFault } from '@baepo/aws';
import { RegistryError } from '@baepo/registry';
import { accessDeniedMessage, PUSH_ACTIONS } from './iam.js';

/** Registry refusals a user can fix become ConfigurationErrors that say what to grant or check. */
export function translateRegistryError(error: unknown, context: { host: string; repository: string; arn: string }): unknown {
  const fault = failedService(error) ? undefined : networkFault(error);
  if (fault) {
    return new ConfigurationError(
      `Cannot reach the registry ${context.host}: ${fault.what} (${fault.code}, after the retries). Fix: check 'registry-endpoint' if set ` +
        `(else the registry ECR names for this account and region), and that this runner can reach it (firewall, VPC endpoint for ecr.dkr)` +
        `${fault.kind === 'timeout' ? '; on a slow network raise BAEPO_AWS_READ_TIMEOUT' : ''}. (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (!(error instanceof RegistryError)) return error;
  if (error.status === 401) {
    return new ConfigurationError(
      `The registry ${context.host} rejected the ECR credentials (${error.message}). Check that 'registry-id' is the account that owns ` +
        `'${context.repository}' and that 'registry-endpoint' (if set) points at that account's registry.`,
      { cause: error },
    );
  }
  if (error.status === 403 || error.code === 'DENIED') {
    return new ConfigurationError(
      accessDeniedMessage(`pushing to ${context.host}/${context.repository}`, PUSH_ACTIONS, context.arn, error.message),
      {
        cause: error,
      },
    );
  }
  if (error.code === 'NAME_UNKNOWN') {
    return new ConfigurationError(
      `The registry ${context.host} does not know the repository '${context.repository}' (${error.message}). Check 'registry-id' and 'registry-endpoint', or set 'create-repository: true'.`,
      { cause: error },
    );
  }
  return error;
}
