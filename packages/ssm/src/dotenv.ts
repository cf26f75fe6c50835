/**
 * One `NAME="value"` line per variable, double-quoted, with `\` → `\\`, `"` → `\"`,
 * `$` → `\$`, `` ` `` → `` \` ``, newline → `\n` and carriage return → `\r`; `#`, `'`, `=`,
 * spaces and unicode need no escape. The dotenv npm parser reads multi-line values back
 * exactly (it decodes `\n`, `\r`) but keeps the backslash before `\`, `"`, `$`, `` ` ``;
 * dotenv-expand (Vite, Next.js) turns `\$` back into `$`; python-dotenv decodes everything
 * but `\$`; a POSIX shell (`set -a; . ./file`) reads single-line values exactly and never
 * runs a `$(...)` or backtick inside a value. The README has the table.
 */
export function formatDotenv(variables: Iterable<{ name: string; value: string }>): string {
  let text = '';
  for (const { name, value } of variables) text += `${name}="${escapeDotenvValue(value)}"\n`;
  return text;
}

export function escapeDotenvValue(value: string): string {
  return value.replace(/[\\"$`\n\r]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\${c}`;
  });
}
