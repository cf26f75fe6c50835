import { ParameterTier, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';

export interface SeedParameter {
  name: string;
  value: string;
  type: 'String' | 'SecureString' | 'StringList';
  tier?: 'Standard' | 'Advanced';
}

/** An SSM client for seeding the local stack (dummy credentials). */
export function seedClient(endpoint: string, region = 'ap-northeast-2'): SSMClient {
  return new SSMClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  });
}

/** Create parameters with the SDK, 16 at a time. */
export async function seedParameters(client: SSMClient, parameters: readonly SeedParameter[]): Promise<void> {
  const limit = pLimit(16);
  await Promise.all(
    parameters.map((p) =>
      limit(() =>
        client.send(
          new PutParameterCommand({
            Name: p.name,
            Value: p.value,
            Type: p.type,
            Overwrite: true,
            ...(p.tier === 'Advanced' ? { Tier: ParameterTier.ADVANCED } : {}),
          }),
        ),
      ),
    ),
  );
}
