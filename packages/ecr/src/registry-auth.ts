import { type ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ConfigurationError } from '@baepo/action-kit';
import { describeAwsError, isAccessDenied } from '@baepo/aws';
import { accessDeniedMessage } from './iam.js';

export interface RegistryAuth {
  username: string;
  password: string;
  /** `https://<account>.dkr.ecr.<region>.amazonaws.com` */
  proxyEndpoint: string;
}

/**
 * ECR's registry credentials. `mask` receives the password (and the raw token) before anything
 * else can log them.
 */
export async function getRegistryAuth(
  ecr: Pick<ECRClient, 'send'>,
  registryId: string | undefined,
  mask: (secret: string) => void,
): Promise<RegistryAuth> {
  let data: { authorizationToken?: string; proxyEndpoint?: string } | undefined;
  try {
    const response = await ecr.send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}));
    data = response.authorizationData?.[0];
  } catch (error) {
    if (isAccessDenied(error)) {
      throw new ConfigurationError(
        accessDeniedMessage('getting a registry token', ['ecr:GetAuthorizationToken'], '*', describeAwsError(error)),
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  if (!data?.authorizationToken || !data.proxyEndpoint) throw new Error('ECR GetAuthorizationToken returned no authorization data');
  mask(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new Error('ECR returned an authorization token that is not user:password');
  const password = decoded.slice(colon + 1);
  mask(password);
  return { username: decoded.slice(0, colon), password, proxyEndpoint: data.proxyEndpoint };
}
