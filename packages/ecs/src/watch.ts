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

/** How one kind of deployment is looked at: a batched describe per poll and a judgement per target. */
export interface BatchWatch<Answer> {
  /** Targets per describe call (the API's limit). */
  batchSize: number;
  /** The describe call's name, for the warning when a look fails. */
  operation: string;
  /** `signal` aborts the call when the timeout passes (or the job is cancelled): pass it to the request. */
  describe(chunk: WatchTarget[], signal: AbortSignal): Promise<Answer>;
  /** The target's outcome when it is final (logging what is new on the way), else undefined. */
  judge(target: WatchTarget, answer: Answer): WatchOutcome | undefined;
  /** The outcome of a target still open when the time is up. */
  timedOut(target: WatchTarget): WatchOutcome;
}

/**
 * Poll until every target has an outcome or the timeout passes: one describe
 * call per batch per poll. A failed look (after the SDK's own retries) is
 * tolerated MAX_FAILED_LOOKS times in a row: one failed look is not a failed deployment.
 * The timeout is a deadline on the wall clock: a describe still waiting for an
 * answer when it passes is aborted, and the targets still open time out.
 */
export async function watchInBatches<Answer>(
  targets: WatchTarget[],
  options: WatchOptions,
  batch: BatchWatch<Answer>,
): Promise<Map<string, WatchOutcome>> {
  const { clock, logger, signal } = options;
  const outcomes = new Map<string, WatchOutcome>();
  const pending = () => targets.filter((t) => !outcomes.has(t.serviceName));
  let failures = 0;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`timeout of ${options.timeoutMs} ms passed`)), options.timeoutMs);
  timer.unref?.();
  const callSignal = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;

  await poll({
    interval: options.intervalMs,
    timeout: options.timeoutMs,
    clock,
    signal,
    check: async () => {
      const open = pending();
      for (let i = 0; i < open.length; i += batch.batchSize) {
        const chunk = open.slice(i, i + batch.batchSize);
        let answer: Answer;
        try {
          answer = await batch.describe(chunk, callSignal);
          failures = 0;
        } catch (error) {
          // Cancelled: end as the cancel (the caller decides what to leave or roll back).
          if (signal?.aborted) throw signal.reason;
          // The deadline passed while a look was in flight: the open targets time out.
          if (deadline.signal.aborted) return { done: true, value: undefined };
          if (error instanceof ConfigurationError || ++failures > MAX_FAILED_LOOKS) throw error;
          logger.warning(
            `${batch.operation} failed (${describeAwsError(error)}); looking again at the next poll (${failures}/${MAX_FAILED_LOOKS}).`,
          );
          return { done: false };
        }
        for (const target of chunk) {
          const outcome = batch.judge(target, answer);
          if (outcome) outcomes.set(target.serviceName, outcome);
        }
      }
      return pending().length === 0 ? { done: true, value: undefined } : { done: false };
    },
  }).finally(() => clearTimeout(timer));
  for (const target of pending()) outcomes.set(target.serviceName, batch.timedOut(target));
  return outcomes;
}

/**
 * Follow deployments until each is final or the timeout passes. One
 * DescribeServices per poll for up to 10 services (events come with it);
 * each new event is logged once, and a progress line whenever it changes.
 */
export async function watchDeployments(targets: WatchTarget[], options: WatchOptions): Promise<Map<string, WatchOutcome>> {
  const { ecs, cluster, strategy, logger } = options;
  const last = new Map<string, Service>();
  const lines = new Map<string, string>();
  return watchInBatches(targets, options, {
    batchSize: 10,
    operation: 'DescribeServices',
    describe: (chunk, signal) =>
      awsCall('ecs:DescribeServices', `service/${cluster}/*`, () =>
        ecs.describeServices({ cluster, services: chunk.map((t) => t.serviceName) }, { signal }),
      ),
    judge: (target, response) => {
      const service = response.services?.find((s) => s.serviceName === target.serviceName && s.status !== 'INACTIVE');
      if (!service) {
        const reason = `service ${target.serviceName} no longer exists (deleted while deploying)`;
        return { assessment: { state: 'failed', reason }, last: last.get(target.serviceName) };
      }
      last.set(target.serviceName, service);
      for (const event of newEvents(service, target.seenEvents)) logger.info(`${target.serviceName} event: ${event.message ?? ''}`);
      const line = progressLine(service, target.deploymentId);
      if (lines.get(target.serviceName) !== line) {
        lines.set(target.serviceName, line);
        logger.info(line);
      }
      const assessment = strategy.assess(service, target.deploymentId);
      return assessment.state === 'in-progress' ? undefined : { assessment, last: service };
    },
    timedOut: (target) => ({ assessment: { state: 'timeout' }, last: last.get(target.serviceName) }),
  });
}
