/**
 * Run the ECS simulator by hand or for the demo:
 *   npx tsx packages/ecs-simulator/src/cli.ts --port 4599 [--tick-ms 100] [--region ap-northeast-2]
 *     [--scenario api=image-pull-failure] [--run-task migrate=exit:1] [--breaker-threshold 2]
 *     [--minute-ticks 2] [--hook <lambda-arn>=FAILED] [--codedeploy DgpECS-shop-api=failing:AfterAllowTestTraffic]
 * Prints the endpoint and runs until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { parseCodeDeployFlag, parseHookFlag, parseRunTaskFlag, parseScenarioFlag } from './scenario-flags.js';
import { startEcsSimulator } from './simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4599' },
    'tick-ms': { type: 'string', default: '100' },
    region: { type: 'string', default: 'ap-northeast-2' },
    scenario: { type: 'string', multiple: true, default: [] },
    'run-task': { type: 'string', multiple: true, default: [] },
    'breaker-threshold': { type: 'string' },
    'minute-ticks': { type: 'string' },
    hook: { type: 'string', multiple: true, default: [] },
    codedeploy: { type: 'string', multiple: true, default: [] },
  },
});

let scenarios: ReturnType<typeof parseScenarioFlag>[];
let runTasks: ReturnType<typeof parseRunTaskFlag>[];
let hooks: ReturnType<typeof parseHookFlag>[];
let codeDeploys: ReturnType<typeof parseCodeDeployFlag>[];
try {
  scenarios = values.scenario.map(parseScenarioFlag);
  runTasks = values['run-task'].map(parseRunTaskFlag);
  hooks = values.hook.map(parseHookFlag);
  codeDeploys = values.codedeploy.map(parseCodeDeployFlag);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const sim = await startEcsSimulator({
  port: Number(values.port),
  tickMs: Number(values['tick-ms']),
  region: values.region,
  circuitBreakerThreshold: values['breaker-threshold'] ? Number(values['breaker-threshold']) : undefined,
  minuteTicks: values['minute-ticks'] ? Number(values['minute-ticks']) : undefined,
});
for (const { arn, result } of hooks) sim.setHookResult(arn, result);
for (const { group, scenario } of codeDeploys) sim.setCodeDeployScenario(group, scenario);
for (const { service, scenario } of scenarios) sim.setScenario(service, scenario);
for (const { family, scenario } of runTasks) sim.setRunTaskScenario(family, scenario);

console.log(`ECS simulator listening on ${sim.endpoint} (region ${sim.region}, account ${sim.accountId})`);
console.log(
  `export AWS_ENDPOINT_URL_ECS=${sim.endpoint} AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=${sim.endpoint} AWS_ENDPOINT_URL_CODEDEPLOY=${sim.endpoint}`,
);
for (const { service, scenario } of scenarios) console.log(`service ${service}: ${JSON.stringify(scenario)}`);
for (const { family, scenario } of runTasks) console.log(`RunTask ${family}: ${JSON.stringify(scenario)}`);
for (const { arn, result } of hooks) console.log(`hook ${arn}: ${result}`);
for (const { group, scenario } of codeDeploys) console.log(`CodeDeploy ${group}: ${JSON.stringify(scenario)}`);

const shutdown = (): void => {
  sim.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
// The server keeps the process alive; the ticker does not.
