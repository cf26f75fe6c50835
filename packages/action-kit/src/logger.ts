import { issueCommand, logLine } from './runner-protocol.js';

/** What the logic layer may say; injected so unit tests can read it back. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export const coreLogger: Logger = {
  info: (message) => logLine(message),
  warning: (message) => issueCommand('warning', {}, message),
  error: (message) => issueCommand('error', {}, message),
  debug: (message) => issueCommand('debug', {}, message),
};

export interface MemoryLogger extends Logger {
  readonly lines: { level: keyof Logger; message: string }[];
  text(): string;
}

/** A logger that keeps every line, for tests. */
export function memoryLogger(): MemoryLogger {
  const lines: { level: keyof Logger; message: string }[] = [];
  const push = (level: keyof Logger) => (message: string) => {
    lines.push({ level, message });
  };
  return {
    lines,
    info: push('info'),
    warning: push('warning'),
    error: push('error'),
    debug: push('debug'),
    text: () => lines.map((l) => `${l.level}: ${l.message}`).join('\n'),
  };
}
