import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, type Fauxqs, type Moto, type Registry, startFauxqs, startMoto, startRegistry } from '../stack/index.js';

// The local stack every end-to-end suite stands on: each server really answers
// the real AWS SDK, and the registry accepts the credentials moto's ECR hands out.
describe('local stack', () => {
  let moto: Moto;
  let registry: Registry;
  let fauxqs: Fauxqs;
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

  beforeAll(async () => {
    [moto, registry, fauxqs] = await Promise.all([startMoto(), startRegistry(), startFauxqs()]);
  });
  afterAll(async () => {
    await Promise.all([moto?.stop(), registry?.stop(), fauxqs?.stop()]);
  });

  it('moto serves SSM and resets to a clean state', async () => {
    const ssm = new SSMClient({ region: 'ap-northeast-2', endpoint: moto.endpoint, credentials });
    await ssm.send(new PutParameterCommand({ Name: '/stack/test', Value: 'v1', Type: 'String' }));
    const got = await ssm.send(new GetParameterCommand({ Name: '/stack/test' }));
    expect(got.Parameter?.Value).toBe('v1');
    await moto.reset();
    await expect(ssm.send(new GetParameterCommand({ Name: '/stack/test' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it("docker-registry accepts moto's ECR token and nothing else", async () => {
    const ecr = new ECRClient({ region: 'ap-northeast-2', endpoint: moto.endpoint, credentials });
    const token = await ecr.send(new GetAuthorizationTokenCommand({}));
    const basic = token.authorizationData?.[0]?.authorizationToken ?? '';
    expect(Buffer.from(basic, 'base64').toString()).toBe('AWS:123456789012-auth-token');
    const ok = await fetch(`${registry.endpoint}/v2/`, { headers: { authorization: `Basic ${basic}` } });
    expect(ok.status).toBe(200);
    const wrong = await fetch(`${registry.endpoint}/v2/`, { headers: { authorization: `Basic ${btoa('AWS:wrong')}` } });
    expect(wrong.status).toBe(401);
  });

  it('fauxqs stores and returns S3 objects byte for byte (path-style on an IP endpoint)', async () => {
    const s3 = new S3Client({ region: 'ap-northeast-2', endpoint: fauxqs.endpoint, credentials });
    await s3.send(new CreateBucketCommand({ Bucket: 'stack-test' }));
    const body = Buffer.from('héllo\n'.repeat(1000));
    await s3.send(new PutObjectCommand({ Bucket: 'stack-test', Key: 'a/b.txt', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stack-test', Key: 'a/b.txt' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('awsEnv names the standard SDK variables', () => {
    expect(awsEnv({ ssm: 'http://127.0.0.1:1', all: 'http://127.0.0.1:2' })).toMatchObject({
      AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:2',
      AWS_REGION: 'ap-northeast-2',
    });
  });
});
