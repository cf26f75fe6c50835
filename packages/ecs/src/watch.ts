import type { Service } from '@aws-sdk/client-ecs';
import { type Clock, ConfigurationError, type Logger, poll } from '@baepo/action-kit';
import { describeAwsError } from '@baepo/aws';
import { awsCall } from './aws-errors.js';
import type { EcsApi } from './clients.js';
import { newEvents, progressLine } from './progress.js';
import type { Assessment, DeployStrategy } from './strategy.js';

/** Consecutive failed DescribeServices polls (after the SDK's own retries) tolerated before giving up. */
export const MAX_FAILED_LOOKS = 3;

export interface WatchTarget {
  serviceName: string;
  deploymentId: string;
  /** Event ids already logged (or older than the deployment). */
  seenEvents: Set<string>;
}

export interface WatchOutcome {
  assessment: Assessment | { state: 'timeout' };
  /** The last DescribeServices answer for the service. */
  last?: Service;
}

export interface WatchOptions {
  ecs: EcsApi;
  cluster: string;
  strategy: DeployStrategy;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  intervalMs: number;
  timeoutMs: number;
}

/**
 * Follow deployments until each is final or the timeout passes. One
 * DescribeServices per poll for up to 10 services (events come with it);
 * each new event is logged once, and a progress line whenever it changes.
 */
export async function watchDeployments(targets: WatchTarget[], options: WatchOptions): Promise<Map<string, WatchOutcome>> {
  const { ecs, cluster, strategy, clock, logger, signal } = options;
  const outcomes = new Map<string, WatchOutcome>();
  const last = new Map<string, Service>();
  const lines = new Map<string, string>();
  const pending = () => targets.filter((t) => !outcomes.has(t.serviceName));
  let failures = 0;

  await poll({
    interval: options.intervalMs,
    timeout: options.timeoutMs,
    clock,
    signal,
    check: async () => {
      const open = pending();
      for (let i = 0; i < open.length; i += 10) {
        const chunk = open.slice(i, i + 10);
        let response: Awaited<ReturnType<EcsApi['describeServices']>>;
        try {
          response = await awsCall('ecs:DescribeServices', `service/${cluster}/*`, () =>
            ecs.describeServices({ cluster, services: chunk.map((t) => t.serviceName) }),
          );
          failures = 0;
        } catch (error) {
          // The SDK already retried throttling and 5xx; one failed look is not a failed deployment.
          if (error instanceof ConfigurationError || ++failures > MAX_FAILED_LOOKS) throw error;
          logger.warning(
            `DescribeServices failed (${describeAwsError(error)}); looking again at the next poll (${failures}/${MAX_FAILED_LOOKS}).`,
          );
          return { done: false };
        }
        for (const target of chunk) {
          const service = response.services?.find((s) => s.serviceName === target.serviceName && s.status !== 'INACTIVE');
          if (!service) {
            const reason = `service ${target.serviceName} no longer exists (deleted while deploying)`;
            outcomes.set(target.serviceName, { assessment: { state: 'failed', reason }, last: last.get(target.serviceName) });
            continue;
          }
          last.set(target.serviceName, service);
          for (const event of newEvents(service, target.seenEvents)) logger.info(`${target.serviceName} event: ${event.message ?? ''}`);
          const line = progressLine(service, target.deploymentId);
          if (lines.get(target.serviceName) !== line) {
            lines.set(target.serviceName, line);
            logger.info(line);
          }
          const assessment = strategy.assess(service, target.deploymentId);
          if (assessment.state !== 'in-progress') outcomes.set(target.serviceName, { assessment, last: service });
        }
      }
      return pending().length === 0 ? { done: true, value: undefined } : { done: false };
    },
  });
  for (const target of pending())
    outcomes.set(target.serviceName, { assessment: { state: 'timeout' }, last: last.get(target.serviceName) });
  return outcomes;
}
