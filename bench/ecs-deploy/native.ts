/**
 * Part 3 of the ecs-deploy bench: ECS-native blue/green, linear and canary on
 * the simulator (compressed time: 20 ms a tick, 10 ticks a simulated minute,
 * poll 250 ms), scaled back to the default 10 s poll interval. The AWS CLI has
 * no waiter for service deployments, so there is no anchor tool: the target is
 * the budget (<= 12 calls a minute at 10 s).
 */
import { markdownTable } from '@baepo/action-kit';
import { startEcsSimulator } from '@baepo/ecs-simulator';
import { createService, DIGEST, ecsClient, REGION, waitSteady } from '../../test/e2e/ecs-deploy/fixtures.js';
import { runAction } from '../../test/harness/run-action.js';
import { awsEnv } from '../../test/stack/index.js';

const TG = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup`;
const POLL_MS = 250;

const STRATEGIES: [string, Record<string, string>][] = [
  ['blue-green', { 'bake-time': '2m' }],
  ['linear', { 'linear-step-percent': '25', 'linear-step-bake-time': '1m', 'bake-time': '1m' }],
  ['canary', { 'canary-percent': '10', 'canary-bake-time': '2m', 'bake-time': '1m' }],
];

export async function nativeBench(): Promise<void> {
  const rows: (string | number | boolean)[][] = [];
  for (const [strategy, inputs] of STRATEGIES) {
    const sim = await startEcsSimulator({ tickMs: 20, minuteTicks: 10 });
    try {
      const ecs = ecsClient(sim.endpoint);
      await createService(ecs, {
        cluster: 'shop',
        service: 'api',
        family: 'api',
        desiredCount: 4,
        loadBalancers: [
          {
            targetGroupArn: `${TG}/blue/1`,
            containerName: 'api',
            containerPort: 8080,
            advancedConfiguration: {
              alternateTargetGroupArn: `${TG}/green/2`,
              productionListenerRule: `arn:aws:elasticloadbalancing:${REGION}:123456789012:listener-rule/app/shop/1/2/3`,
              roleArn: 'arn:aws:iam::123456789012:role/ecs-infrastructure',
            },
          },
        ],
      });
      await waitSteady(ecs, 'shop', 'api');
      sim.clearCalls();
      const started = Date.now();
      const result = await runAction({
        action: 'ecs-deploy',
        env: awsEnv({ ecs: sim.endpoint, cloudwatch_logs: sim.endpoint }, REGION),
        timeoutMs: 60_000,
        inputs: { cluster: 'shop', service: 'api', image: `repo/api@${DIGEST}`, strategy, 'poll-interval': `${POLL_MS}ms`, ...inputs },
      });
      const waitMs = Date.now() - started;
      const looks = sim.calls().filter((c) => c.operation === 'DescribeServiceDeployments').length;
      const stages = result.stdout.split('\n').filter((l) => l.includes('api: stage ')).length;
      rows.push([
        strategy,
        `${(waitMs / 1000).toFixed(1)}s`,
        sim.calls().length,
        looks,
        stages,
        ((looks / (waitMs / POLL_MS)) * 6).toFixed(1),
        result.outputs.status ?? '',
      ]);
    } finally {
      await sim.stop();
    }
  }
  console.log(
    `\nPart 3: ECS-native strategies, compressed time, poll ${POLL_MS} ms; calls scaled to a 10 s interval (no CLI waiter exists for service deployments)`,
  );
  console.log(
    markdownTable(
      [
        'strategy',
        'run (action start to end)',
        'ECS calls',
        'DescribeServiceDeployments',
        'stage lines',
        'calls/min while waiting at 10 s',
        'status',
      ],
      rows,
    ),
  );
}
