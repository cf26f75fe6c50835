import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import type { EcsSimulator } from '@baepo/ecs-simulator';
import { startEcsSimulator } from '@baepo/ecs-simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain, runAction } from '../harness/run-action.js';
import { awsEnv } from '../stack/index.js';
import { createService, credentials, DIGEST, REGION, WRITES, waitSteady } from './ecs-deploy/fixtures.js';

// AWS endpoints are regional: a request signed for a region sees only that region's clusters, services and
// task definitions, and every ARN names its region (https://docs.aws.amazon.com/general/latest/gr/ecs-service.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). The simulator reads the region from
// each request's SigV4 credential scope, as AWS routes it.
describe('ecs-deploy and the region (simulator)', () => {
  let sim: EcsSimulator;
  const OTHER = 'eu-west-1';

  beforeAll(async () => {
    sim = await startEcsSimulator({ tickMs: 20 });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  beforeEach(() => sim.reset());

  const client = (region: string) => new ECSClient({ region, endpoint: sim.endpoint, credentials, maxAttempts: 1 });
  const deploy = (region: string, extra: Record<string, string> = {}) =>
    runAction({
      action: 'ecs-deploy',
      env: awsEnv({ ecs: sim.endpoint, cloudwatch_logs: sim.endpoint }, region),
      timeoutMs: 30_000,
      inputs: {
        cluster: 'shop',
        service: 'api',
        image: `123456789012.dkr.ecr.${REGION}.amazonaws.com/api@${DIGEST}`,
        'poll-interval': '100ms',
        ...extra,
      },
    });
  const writes = () => sim.calls().filter((c) => WRITES.includes(c.operation));

  it('a cluster in another region than AWS_REGION is not found there: one clear error, nothing written', async () => {
    await createService(client(REGION), { cluster: 'shop', service: 'api', family: 'api' });
    sim.clearCalls();
    const result = await deploy(OTHER);
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.errors).toEqual([
      expect.stringContaining(`Input 'cluster': cluster "shop" does not exist (or is inactive) in ${OTHER}.`),
    ]);
    expect(writes()).toEqual([]);
  });

  it('deploys in the region it is given (aws-region), with that region in every ARN', async () => {
    const ecs = client(OTHER);
    await createService(ecs, { cluster: 'shop', service: 'api', family: 'api' });
    await waitSteady(ecs, 'shop', 'api');
    const result = await deploy(REGION, { 'aws-region': OTHER });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.outputs['task-definition-arn']).toBe(`arn:aws:ecs:${OTHER}:123456789012:task-definition/api:2`);
    expect((await client(REGION).send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });
});
