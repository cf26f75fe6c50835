/**
 * A mistake the user can fix (bad input, bad config, missing permission).
 * It ends the step as one `::error::` line; no stack trace is printed.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  /** The input (or config path) the mistake is about, when there is one. */
  readonly input: string | undefined;
  /** A file (relative to the repository root) and line the error is about: shown as an annotation there. */
  readonly annotation: { file: string; line?: number } | undefined;

  constructor(message: string, options: { input?: string; cause?: unknown; annotation?: { file: string; line?: number } } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.input = options.input;
    this.annotation = options.annotation;
  }
}

export function isConfigurationError(error: unknown): error is ConfigurationError {
  return error instanceof ConfigurationError;
}

/** Quote a user-supplied value for an error message, shortening very long ones. */
export function quote(value: string, max = 120): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}
