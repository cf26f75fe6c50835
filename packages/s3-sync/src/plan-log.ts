import { formatBytes, type Logger } from '@baepo/action-kit';
import type { Plan } from './planner.js';

const SHOWN = 100;

/**
 * A key (or a line holding keys) as a log line may show it: control characters and line separators
 * as `\uXXXX`. A file or object named `x\n::error::...` must not start a line of its own, which the
 * runner would read as a workflow command.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Print the plan in execution order; long lists are cut (the dry run prints the same view). */
export function logPlan(
  logger: Logger,
  plan: Plan,
  context: { bucket: string; prefix: string; paths: readonly string[]; dryRun: boolean },
): void {
  const target = `s3://${context.bucket}/${context.prefix}`;
  logger.info(`${context.dryRun ? 'Dry run: plan' : 'Plan'} for ${target} (${plan.existing} object(s) there now):`);
  for (const phase of plan.phases) {
    const lines = [
      ...phase.uploads.map((file) => `  upload ${file.key} (${formatBytes(file.size)}, ${file.reason}) ${describe(file.headers)}`),
      ...phase.updates.map(
        (file) => `  update headers ${file.key}: ${file.previous ? describe(file.previous) : '(unknown)'} -> ${describe(file.headers)}`,
      ),
    ];
    logger.info(
      `${phase.name === 'assets' ? '1. non-HTML files' : '2. HTML pages'}: ${phase.uploads.length} upload(s), ${phase.updates.length} header update(s)`,
    );
    printSome(logger, lines);
  }
  logger.info(`3. deletions: ${plan.deletes.length}`);
  printSome(
    logger,
    plan.deletes.map((key) => `  delete ${key}`),
  );
  logger.info(`4. CloudFront invalidation: ${context.paths.length ? context.paths.join(' ') : 'none'}`);
  logger.info(`Unchanged: ${plan.unchanged.length}`);
}

function describe(headers: { contentType: string; cacheControl: string | undefined }): string {
  return `[${headers.contentType}; cache-control: ${headers.cacheControl ?? '(none)'}]`;
}

function printSome(logger: Logger, lines: readonly string[]): void {
  for (const line of lines.slice(0, SHOWN)) logger.info(printable(line));
  if (lines.length > SHOWN) logger.info(`  ... and ${lines.length - SHOWN} more`);
}
