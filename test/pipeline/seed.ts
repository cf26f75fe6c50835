import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { stringify } from 'yaml';
import { repoRoot } from '../harness/paths.js';
import { createDistribution } from '../stack/index.js';
import type { PipelineStack } from './stack.js';
import { DUMMY_CREDENTIALS } from './stand-ins.js';

export const REGION = 'ap-northeast-2';
export const ECR_REPOSITORY = 'shop/api';
/** The sample app: Dockerfile, server, test, task definition, static site sources. */
export const SAMPLE_APP = join(repoRoot, 'test', 'e2e', 'pipeline', 'app');

/** SecureString values: they must never show in a log. */
export const SECRETS = { dev: 'dev-db-pa55-Qx7v', production: 'prod-db-pa55-Zr9k', preview: 'preview-db-pa55-Lm3w' } as const;

export interface Seeded {
  /** The checked-out sample app with its generated .github/baepo.yml. */
  workspace: string;
  clusters: Record<'dev' | 'production' | 'preview', string>;
  buckets: Record<'dev' | 'production', string>;
  distributions: Record<'dev' | 'production', string>;
}

const clientConfig = (endpoint: string) => ({
  region: REGION,
  endpoint,
  credentials: { accessKeyId: DUMMY_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  maxAttempts: 2,
});

async function parameters(ssm: SSMClient): Promise<void> {
  const put = (Name: string, Value: string, Type: 'String' | 'SecureString' = 'String') =>
    ssm.send(new PutParameterCommand({ Name, Value, Type, Overwrite: true }));
  await put('/shop/common/LOG_LEVEL', 'info');
  await put('/shop/common/PUBLIC_SUPPORT_EMAIL', 'help@shop.example');
  for (const [env, secret] of Object.entries(SECRETS)) {
    await put(`/shop/${env}/LOG_LEVEL`, env === 'production' ? 'warn' : 'debug');
    await put(`/shop/${env}/PUBLIC_API_URL`, `https://api.${env}.shop.example`);
    await put(`/shop/${env}/DB_PASSWORD`, secret, 'SecureString');
  }
}

/** Target groups and listener rules for ECS native blue/green (production only). */
const blueGreen = (cluster: string) => {
  const elb = `arn:aws:elasticloadbalancing:${REGION}:123456789012`;
  return [
    {
      targetGroupArn: `${elb}:targetgroup/${cluster}-blue/1`,
      containerName: 'api',
      containerPort: 8080,
      advancedConfiguration: {
        alternateTargetGroupArn: `${elb}:targetgroup/${cluster}-green/2`,
        productionListenerRule: `${elb}:listener-rule/app/${cluster}/1/2/3`,
        testListenerRule: `${elb}:listener-rule/app/${cluster}/1/2/4`,
        roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
      },
    },
  ];
};

async function service(ecs: ECSClient, cluster: string, loadBalanced = false): Promise<void> {
  const definition = JSON.parse(
    readFileSync(join(SAMPLE_APP, 'deploy', 'task-definition.json'), 'utf8'),
  ) as RegisterTaskDefinitionCommandInput;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const registered = await ecs.send(new RegisterTaskDefinitionCommand(definition));
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'api',
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'], assignPublicIp: 'DISABLED' },
      },
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      ...(loadBalanced ? { loadBalancers: blueGreen(cluster) } : {}),
    }),
  );
  for (let i = 0; i < 400; i++) {
    const deployments = (await ecs.send(new DescribeServicesCommand({ cluster, services: ['api'] }))).services?.[0]?.deployments ?? [];
    if (deployments.length === 1 && deployments[0]?.rolloutState === 'COMPLETED') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`seed: service api in ${cluster} never became steady`);
}

/** Layered like a real team's: settings shared by every environment, then the environment's own. */
const ssmPaths = (env: string) => ['/shop/common', `/shop/${env}`];

/** The sample app's .github/baepo.yml: dev (develop), production (main, v*.*.* tags), preview (PRs into main). */
export function baepoConfig(seeded: Omit<Seeded, 'workspace'>): string {
  return stringify({
    version: 1,
    defaults: { 'aws-region': REGION, 'aws-role-arn': 'arn:aws:iam::123456789012:role/shop-deploy', vars: { service: 'api' } },
    environments: {
      production: {
        match: { branches: ['main'], tags: ['v*.*.*'] },
        production: true,
        'aws-role-arn': 'arn:aws:iam::123456789012:role/shop-deploy-production',
        'ssm-paths': ssmPaths('production'),
        url: 'https://www.shop.example',
        vars: {
          cluster: seeded.clusters.production,
          bucket: seeded.buckets.production,
          prefix: '',
          distribution: seeded.distributions.production,
        },
      },
      preview: {
        match: { 'pull-requests': ['main'] },
        'ssm-paths': ssmPaths('preview'),
        url: 'https://pr-{pr-number}.preview.shop.example',
        vars: {
          cluster: seeded.clusters.preview,
          bucket: seeded.buckets.dev,
          prefix: 'pr-{pr-number}',
          distribution: seeded.distributions.dev,
        },
      },
      dev: {
        match: { branches: ['develop'] },
        'ssm-paths': ssmPaths('dev'),
        url: 'https://{ref-slug}.dev.shop.example',
        vars: { cluster: seeded.clusters.dev, bucket: seeded.buckets.dev, prefix: 'dev', distribution: seeded.distributions.dev },
      },
    },
  });
}

/** Create everything the sample app deploys into, and check the app out into a fresh workspace. */
export async function seed(stack: PipelineStack): Promise<Seeded> {
  const ssm = new SSMClient(clientConfig(stack.moto.endpoint));
  const ecr = new ECRClient(clientConfig(stack.moto.endpoint));
  const s3 = new S3Client({ ...clientConfig(stack.moto.endpoint), forcePathStyle: true });
  const cloudfront = new CloudFrontClient({ ...clientConfig(stack.moto.endpoint), region: 'us-east-1' });
  const ecs = new ECSClient(clientConfig(stack.ecs.endpoint));
  const clusters = { dev: 'shop-dev', production: 'shop-prod', preview: 'shop-preview' };
  const buckets = { dev: 'shop-site-dev', production: 'shop-site-prod' };
  await parameters(ssm);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: ECR_REPOSITORY }));
  for (const bucket of Object.values(buckets))
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  const distributions = {
    dev: await createDistribution(cloudfront, buckets.dev),
    production: await createDistribution(cloudfront, buckets.production),
  };
  await Promise.all(Object.values(clusters).map((cluster) => service(ecs, cluster, cluster === clusters.production)));
  const seeded = { clusters, buckets, distributions };
  return { ...seeded, workspace: checkout(seeded) };
}

/** A fresh copy of the sample app (what actions/checkout would leave), with the generated baepo.yml. */
export function checkout(seeded: Omit<Seeded, 'workspace'>): string {
  const workspace = mkdtempSync(join(tmpdir(), 'baepo-app-'));
  cpSync(SAMPLE_APP, workspace, { recursive: true });
  mkdirSync(join(workspace, '.github'), { recursive: true });
  writeFileSync(join(workspace, '.github', 'baepo.yml'), baepoConfig(seeded));
  return workspace;
}
