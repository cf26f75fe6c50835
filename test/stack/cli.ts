/**
 * Start the local stack and keep it running until Ctrl-C, printing the
 * environment that points the AWS SDK (and so every baepo action) at it.
 *   npm run stack            # moto + docker-registry + fauxqs (+ the ECS simulator)
 *   npm run stack -- moto    # only some: moto, registry, fauxqs, ecs
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths.js';
import { awsEnv } from './aws-env.js';
import { startFauxqs } from './fauxqs.js';
import { startMoto } from './moto.js';
import { MOTO_ECR_PASSWORD, MOTO_ECR_USER, startRegistry } from './registry.js';

const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['moto', 'registry', 'fauxqs', 'ecs']);
const stops: (() => Promise<void>)[] = [];
const endpoints: Record<string, string> = {};
const notes: string[] = [];

if (wanted.has('moto')) {
  const moto = await startMoto();
  stops.push(moto.stop);
  endpoints.all = moto.endpoint;
  notes.push(`moto (SSM, ECR API, STS, S3, CloudFront, ELBv2...): ${moto.endpoint}`);
}
if (wanted.has('fauxqs')) {
  const fauxqs = await startFauxqs();
  stops.push(fauxqs.stop);
  endpoints.s3 = fauxqs.endpoint;
  notes.push(`fauxqs (S3): ${fauxqs.endpoint}`);
}
if (wanted.has('registry')) {
  const registry = await startRegistry();
  stops.push(registry.stop);
  notes.push(
    `docker-registry: ${registry.endpoint} (user ${MOTO_ECR_USER}, password ${MOTO_ECR_PASSWORD}); pass it as ecr-push's registry-endpoint`,
  );
}
if (wanted.has('ecs') && existsSync(join(repoRoot, 'packages', 'ecs-simulator', 'src', 'index.ts'))) {
  const { startEcsSimulator } = (await import('@baepo/ecs-simulator')) as {
    startEcsSimulator: () => Promise<{ endpoint: string; stop: () => Promise<void> }>;
  };
  const sim = await startEcsSimulator();
  stops.push(sim.stop);
  endpoints.ecs = sim.endpoint;
  endpoints.cloudwatch_logs = sim.endpoint;
  notes.push(`ECS simulator (ECS, CloudWatch Logs): ${sim.endpoint}`);
}

console.log(notes.map((n) => `- ${n}`).join('\n'));
console.log('\n# Paste into another shell to point the AWS SDK and CLI at the stack:');
for (const [name, value] of Object.entries(awsEnv(endpoints))) console.log(`export ${name}='${value}'`);
console.log('\nRunning; press Ctrl-C to stop.');

const shutdown = async () => {
  await Promise.all(stops.map((stop) => stop()));
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
setInterval(() => {}, 1 << 30);
