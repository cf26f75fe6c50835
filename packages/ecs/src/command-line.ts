import { ConfigurationError, quote } from '@baepo/action-kit';

/**
 * Parse `run-task-command`: a JSON array of strings (`["npm", "run", "migrate"]`)
 * or shell-like words (`npm run migrate -- --to "v 2"`: spaces separate words,
 * single and double quotes group, backslash escapes outside single quotes). No
 * variable expansion, globbing or pipes: it is the container's `command`, not a shell.
 */
export function parseCommandLine(text: string, input = 'run-task-command'): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return parseJsonArray(trimmed, input);
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoteChar: '"' | "'" | undefined;
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i] as string;
    if (quoteChar === "'") {
      if (ch === "'") quoteChar = undefined;
      else word += ch;
    } else if (quoteChar === '"') {
      if (ch === '"') quoteChar = undefined;
      else if (ch === '\\' && i + 1 < trimmed.length && '"\\$`'.includes(trimmed[i + 1] as string)) word += trimmed[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quoteChar = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < trimmed.length) {
      word += trimmed[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quoteChar) {
    throw new ConfigurationError(
      `Input '${input}' has an unclosed ${quoteChar} quote: ${quote(text)}. Close it, or give a JSON array of words.`,
      {
        input,
      },
    );
  }
  if (inWord) words.push(word);
  if (words.length === 0)
    throw new ConfigurationError(`Input '${input}' is empty; give the command to run, e.g. 'npm run migrate'.`, { input });
  return words;
}

function parseJsonArray(text: string, input: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `Input '${input}' starts with '[' but is not a JSON array: ${(error as Error).message}. Give e.g. ["npm","run","migrate"].`,
      { input },
    );
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw new ConfigurationError(
      `Input '${input}' must be a non-empty JSON array of strings, e.g. ["npm","run","migrate"]; got ${quote(text)}.`,
      {
        input,
      },
    );
  }
  return value;
}
