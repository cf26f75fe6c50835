import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { type EcsSimulator, startEcsSimulator } from '@baepo/ecs-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type RunOptions, runAction } from '../harness/run-action.js';
import { awsEnv } from '../stack/index.js';
import { createService, ecsClient, REGION, runningTaskDefinition, WRITES, waitSteady } from './ecs-deploy/fixtures.js';

// Every user mistake ends as one ::error:: line that names the input and the fix,
// and nothing is changed in ECS.
describe('ecs-deploy bad input (simulator)', () => {
  let sim: EcsSimulator;
  let ecs: ECSClient;
  let env: Record<string, string>;
  let workspace: string;

  beforeAll(async () => {
    sim = await startEcsSimulator({ tickMs: 20 });
    ecs = ecsClient(sim.endpoint);
    env = awsEnv({ ecs: sim.endpoint, cloudwatch_logs: sim.endpoint }, REGION);
    await createService(ecs, { cluster: 'shop', service: 'api', family: 'api', containers: ['api', 'proxy'] });
    await createService(ecs, { cluster: 'shop', service: 'worker', family: 'api' });
    await waitSteady(ecs, 'shop', 'api');
    workspace = mkdtempSync(join(tmpdir(), 'ecs-deploy-bad-'));
    writeFileSync(
      join(workspace, 'broken.json'),
      '{\n  "family": "api",\n  "containerDefinitions": [\n    { "name": "api" "image": "x" }\n  ]\n}\n',
    );
    writeFileSync(join(workspace, 'broken.yaml'), 'family: api\ncontainerDefinitions:\n  - name: api\n    image: "unclosed\n');
    writeFileSync(join(workspace, 'unknown.yaml'), 'family: api\nmemoryy: "512"\ncontainerDefinitions:\n  - name: api\n    image: x\n');
  });
  afterAll(async () => {
    await sim?.stop();
  });

  async function fails(inputs: RunOptions['inputs'], message: RegExp | string, attempted: string[] = []): Promise<void> {
    sim.clearCalls();
    const result = await runAction({
      action: 'ecs-deploy',
      env,
      workspace,
      inputs: { cluster: 'shop', 'poll-interval': '100ms', ...inputs },
    });
    expect(result.exitCode, explain(result)).toBe(1);
    expect(result.errors, explain(result)).toHaveLength(1);
    if (typeof message === 'string') expect(result.errors[0]).toContain(message);
    else expect(result.errors[0]).toMatch(message);
    expect(result.stdout).not.toContain('unexpected error');
    expect(
      sim
        .calls()
        .filter((c) => WRITES.includes(c.operation))
        .map((c) => c.operation),
    ).toEqual(attempted);
  }

  it('unknown cluster: says which, lists the clusters', () =>
    fails({ cluster: 'shopp', service: 'api', image: 'x:1' }, /cluster "shopp" does not exist .* Clusters there: shop\./));

  it('unknown service: says which, lists the services', () =>
    fails({ service: 'apii', images: 'api=x:1' }, /service "apii" does not exist .* Services there: api, worker\./));

  it('container not in the task definition: lists the names', () =>
    fails(
      { service: 'api', images: 'web=x:1' },
      `Input 'images' names container "web", which is not in task definition 'api'. Containers: api, proxy.`,
    ));

  it('image for a multi-container task definition without container: lists the names', () =>
    fails({ service: 'api', image: 'x:1' }, /has 2: api, proxy\. Use 'images'/));

  it('invalid image reference', () =>
    fails({ service: 'api', images: 'api=Repo/API:latest' }, /"Repo\/API:latest" is not a valid image reference for container "api"/));

  it('JSON syntax error: file and line', () =>
    fails({ service: 'api', 'task-definition': 'broken.json' }, /Task definition file broken\.json:4 is not valid JSON/));

  it('YAML syntax error: file and line', () =>
    fails({ service: 'api', 'task-definition': 'broken.yaml' }, /Task definition file broken\.yaml:\d is not valid YAML/));

  it('unknown key in the file', () =>
    fails(
      { service: 'api', 'task-definition': 'unknown.yaml' },
      `Task definition unknown.yaml has an unknown key "memoryy". Did you mean 'memory'?`,
    ));

  it('missing file', () => fails({ service: 'api', 'task-definition': 'nope.json' }, `file "nope.json" does not exist`));

  it('AccessDenied on iam:PassRole: names the role and the fix', async () => {
    const role = 'arn:aws:iam::123456789012:role/app-task';
    sim.denyPassRole(role);
    await fails(
      { service: 'worker', 'task-role-arn': role },
      `The deploy role may not pass role ${role} to ECS (iam:PassRole denied during ecs:RegisterTaskDefinition). Fix: grant iam:PassRole on ${role}`,
      ['RegisterTaskDefinition'],
    );
    // The registration was denied: no new revision, the service untouched.
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'api' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(await runningTaskDefinition(ecs, 'shop', 'worker')).toBe(latest.taskDefinition?.taskDefinitionArn);
  });

  it('bad values of typed inputs are reported together before any AWS call', async () => {
    sim.clearCalls();
    const result = await runAction({
      action: 'ecs-deploy',
      env,
      inputs: { cluster: 'shop', timeout: '7h', rollback: 'maybe', wait: 'yes' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('3 inputs are invalid');
    expect(result.errors[0]).toContain("Input 'timeout' must be at most 21600s");
    expect(result.errors[0]).toContain("Input 'rollback' must be one of 'auto', 'none'; got \"maybe\"");
    expect(sim.calls()).toEqual([]);
  });

  it('run-task-command with an unclosed quote', () =>
    fails({ service: 'worker', 'run-task-command': 'npm run "migrate' }, /unclosed " quote/));
});
