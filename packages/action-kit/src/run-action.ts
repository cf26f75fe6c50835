import { isConfigurationError } from './errors.js';
import { issueCommand, setFailed } from './runner-protocol.js';

/** Raised (as the abort reason) when the job is cancelled: SIGINT then SIGTERM from the runner. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(readonly signalName: string) {
    super(`The job was cancelled (${signalName}).`);
  }
}

/** Turns a known failure (no credentials, unreachable endpoint...) into a clearer error; undefined keeps it. */
export type FailureExplainer = (error: unknown) => Error | undefined;

const explainers = new Set<FailureExplainer>();

/**
 * Have runAction report failures through `explain` (once per function). @baepo/aws registers
 * its AWS failure explanation when a client is made with `explainable()`.
 */
export function explainFailuresWith(explain: FailureExplainer): void {
  explainers.add(explain);
}

function explained(error: unknown): unknown {
  for (const explain of explainers) {
    const better = explain(error);
    if (better) return better;
  }
  return error;
}

export interface ActionContext {
  /** Aborted when the runner cancels the job. Long waits must honour it. */
  signal: AbortSignal;
}

/**
 * The one way every baepo action starts: runs `main`, turns a user mistake
 * (ConfigurationError) into a single `::error::` line and anything unexpected
 * into an `::error::` line plus the stack in the debug log. Exit code 1 on failure.
 */
export async function runAction(main: (context: ActionContext) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const onSignal = (signalName: NodeJS.Signals) => () => {
    if (!controller.signal.aborted) {
      issueCommand('warning', {}, `Received ${signalName}: the job is being cancelled.`);
      controller.abort(new CancelledError(signalName));
    }
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    await main({ signal: controller.signal });
  } catch (error) {
    // A request aborted by the cancel ends as the cancel, not as the SDK's "Request aborted".
    const cancelled = controller.signal.aborted && !isConfigurationError(error) && !(error instanceof CancelledError);
    reportFailure(cancelled ? controller.signal.reason : explained(error));
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

export function reportFailure(error: unknown): void {
  if (isConfigurationError(error) || error instanceof CancelledError) {
    const annotation = isConfigurationError(error) ? error.annotation : undefined;
    setFailed(error.message, annotation ? { file: annotation.file, line: annotation.line } : {});
    return;
  }
  const message = error instanceof Error ? error.message || error.name : String(error);
  if (error instanceof Error && error.stack) issueCommand('debug', {}, error.stack);
  setFailed(`${message} (unexpected error: re-run with debug logging enabled (ACTIONS_STEP_DEBUG) for the stack trace)`);
}
