import { type EcsSimulator, startEcsSimulator } from '@baepo/ecs-simulator';
import { type Moto, type Registry, startMoto, startRegistry } from '../stack/index.js';

/** The local AWS the pipeline deploys to: moto (SSM, ECR, S3, CloudFront, STS), a registry, the ECS simulator. */
export interface PipelineStack {
  moto: Moto;
  registry: Registry;
  ecs: EcsSimulator;
  /** AWS_ENDPOINT_URL_* for every service the workflow's actions call (credentials come from configure-aws-credentials). */
  env: Record<string, string>;
  /**
   * Test-harness override, the only one: ecr-push takes its registry from ECR's
   * proxyEndpoint, which moto answers with a host that does not exist; neither the SDK
   * nor the action reads an environment variable for it, so `registry-endpoint` is injected.
   */
  inputOverrides: Record<string, Record<string, string>>;
  stop(): Promise<void>;
}

export async function startPipelineStack(options: { tickMs?: number; minuteTicks?: number } = {}): Promise<PipelineStack> {
  const [moto, registry, ecs] = await Promise.all([
    startMoto(),
    startRegistry(),
    startEcsSimulator({ tickMs: options.tickMs ?? 10, minuteTicks: options.minuteTicks ?? 10 }),
  ]);
  const env = {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SSM: moto.endpoint,
    AWS_ENDPOINT_URL_ECR: moto.endpoint,
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    AWS_ENDPOINT_URL_CLOUDFRONT: moto.endpoint,
    AWS_ENDPOINT_URL_STS: moto.endpoint,
    AWS_ENDPOINT_URL_ECS: ecs.endpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: ecs.endpoint,
  };
  return {
    moto,
    registry,
    ecs,
    env,
    inputOverrides: { 'ecr-push': { 'registry-endpoint': registry.endpoint } },
    async stop() {
      await Promise.allSettled([moto.stop(), registry.stop(), ecs.stop()]);
    },
  };
}
