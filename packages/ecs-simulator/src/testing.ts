/** Helpers for the simulator's own tests: real SDK clients pointed at it, and waiting on a condition. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECS } from '@aws-sdk/client-ecs';
import type { EcsSimulator } from './types.js';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

export function ecsClient(sim: EcsSimulator, maxAttempts = 1): ECS {
  return new ECS({ endpoint: sim.endpoint, region: sim.region, credentials, maxAttempts, retryMode: 'standard' });
}

export function logsClient(sim: EcsSimulator): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: sim.endpoint, region: sim.region, credentials, maxAttempts: 1 });
}

/** Poll `read` until `done` holds (or fail after `limitMs`), returning the last value read. */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in ${limitMs} ms; last value: ${JSON.stringify(value, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
