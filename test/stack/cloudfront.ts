import { type CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';

/** A minimal distribution in front of `bucket` (moto), for invalidation tests; returns its ID. */
export async function createDistribution(cloudfront: CloudFrontClient, bucket: string): Promise<string> {
  const created = await cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `${bucket}-${Date.now()}`,
        Comment: bucket,
        Enabled: true,
        Origins: {
          Quantity: 1,
          Items: [{ Id: 's3', DomainName: `${bucket}.s3.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 's3',
          ViewerProtocolPolicy: 'redirect-to-https',
          MinTTL: 0,
          ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
          TrustedSigners: { Enabled: false, Quantity: 0 },
        },
      },
    }),
  );
  return created.Distribution?.Id ?? '';
}
