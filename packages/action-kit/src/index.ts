export { formatBytes, parseByteSize } from './bytes.js';
export { type Clock, manualClock, systemClock } from './clock.js';
export { formatDuration, parseDuration } from './duration.js';
export { ConfigurationError, isConfigurationError, quote } from './errors.js';
export { checkExportable, refusedVariableReason } from './exportable.js';
export {
  boolean,
  byteSize,
  choice,
  duration,
  envInputReader,
  type Field,
  type InputReader,
  type InputSpec,
  type Inputs,
  integer,
  type KeyValue,
  keyValues,
  list,
  parseBoolean,
  parseChoice,
  parseInputs,
  parseKeyValues,
  parseList,
  text,
} from './inputs.js';
export { coreLogger, type Logger, type MemoryLogger, memoryLogger } from './logger.js';
export { maskPieces, maskSecret } from './mask.js';
export { exportVariables, type OutputValue, setOutputs } from './outputs.js';
export { type BackoffOptions, backoffDelay, type PollOptions, type PollResult, poll, type RetryOptions, retry } from './retry.js';
export { type ActionContext, CancelledError, explainFailuresWith, type FailureExplainer, reportFailure, runAction } from './run-action.js';
export { appendStepSummary, issueCommand, setFailed } from './runner-protocol.js';
export { cell, code, markdownTable, writeSummary } from './summary.js';
