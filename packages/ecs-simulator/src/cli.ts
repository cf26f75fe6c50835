/**
 * Run the ECS simulator by hand or for the demo:
 *   npx tsx packages/ecs-simulator/src/cli.ts --port 4599 [--tick-ms 100]
 * Prints the endpoint and runs until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEcsSimulator } from './simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4599' },
    'tick-ms': { type: 'string', default: '100' },
    region: { type: 'string', default: 'ap-northeast-2' },
  },
});

const sim = await startEcsSimulator({
  port: Number(values.port),
  tickMs: Number(values['tick-ms']),
  region: values.region,
});
console.log(`ECS simulator listening on ${sim.endpoint} (region ${sim.region}, account ${sim.accountId})`);
console.log(`export AWS_ENDPOINT_URL_ECS=${sim.endpoint} AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=${sim.endpoint}`);

const shutdown = (): void => {
  sim.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
// The server keeps the process alive; the ticker does not.
