import { ConfigurationError } from '@baepo/action-kit';
import { RegistryError } from '@baepo/registry';
import { accessDeniedMessage, PUSH_ACTIONS } from './iam.js';

/** Registry refusals a user can fix become ConfigurationErrors that say what to grant or check. */
export function translateRegistryError(error: unknown, context: { host: string; repository: string; arn: string }): unknown {
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
