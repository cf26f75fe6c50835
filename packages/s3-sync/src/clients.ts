import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4MultiRegion } from '@aws-sdk/signature-v4-multi-region';
import { clientConfig, explainable, networkTimeouts, UPLOAD_SILENCE_FACTOR } from '@baepo/aws';
import { DirectPut } from './direct-put.js';

/**
 * One signer per client, instead of the SDK's default of a new one per request (which also loses
 * its cache of derived signing keys): a few percent of a large upload's CPU. Region and service
 * still come with each request; credentials are the client's own (refreshed as usual).
 */
function reuseSigner(client: S3Client): void {
  const config = client.config;
  let signer: SignatureV4MultiRegion | undefined;
  config.signer = async () => {
    signer ??= new SignatureV4MultiRegion({
      credentials: config.credentials,
      region: config.region,
      service: 's3',
      sha256: config.sha256,
      uriEscapePath: config.signingEscapePath,
    });
    return signer;
  };
}

/**
 * The clients a sync uses. Endpoints come from AWS_ENDPOINT_URL_S3 /
 * AWS_ENDPOINT_URL_CLOUDFRONT, read by the SDK itself. Keep-alive sockets sized to
 * the concurrency. `uploads` has SDK retries off: a streamed body cannot be
 * replayed, so baepo retries each upload with a fresh one.
 */
export async function syncClients(
  region: string,
  concurrency: number,
  withCloudFront: boolean,
): Promise<{ s3: S3Client; uploadS3: S3Client; direct: DirectPut; cloudfront: CloudFrontClient | undefined }> {
  const maxSockets = concurrency * 2 + 4;
  const agents = {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
  };
  const s3 = explainable(new S3Client(clientConfig(region, { agents })), region);
  // Checksums are chosen per request (uploader.ts): x-amz-checksum-sha256 on single PUTs, CRC32 on parts.
  // Uploads allow a longer silence (UPLOAD_SILENCE_FACTOR): a slow link's kernel send buffer drains after the last write.
  const timeouts = networkTimeouts();
  const uploadTimeouts = { connectMs: timeouts.connectMs, readMs: timeouts.readMs * UPLOAD_SILENCE_FACTOR };
  const uploadS3 = explainable(
    new S3Client({
      ...clientConfig(region, { maxAttempts: 1, agents, readTimeoutMs: uploadTimeouts.readMs }),
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    region,
  );
  // No SDK logger is configured, yet its middleware filters every request and response for the log
  // line it would write: about 1% of a large first upload's CPU, for nothing.
  for (const client of [s3, uploadS3]) {
    client.middlewareStack.remove('loggerMiddleware');
    reuseSigner(client);
  }
  return {
    s3,
    uploadS3,
    // Small PUTs reuse uploadS3's signer, agents and first recorded PutObject.
    direct: new DirectPut(uploadS3, { http: agents.httpAgent, https: agents.httpsAgent }, uploadTimeouts),
    // Imported only when needed: the CloudFront client is a fifth of the bundle's code.
    cloudfront: withCloudFront
      ? explainable(new (await import('@aws-sdk/client-cloudfront')).CloudFrontClient(clientConfig(region)), region)
      : undefined,
  };
}
