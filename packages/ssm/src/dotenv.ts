/**
 * One `NAME="value"` line per variable, double-quoted, with `\` → `\\`, `"` → `\"`,
 * `$` → `\$`, newline → `\n` and carriage return → `\r`. That is the escaping docker
 * compose (`env_file`, `--env-file`), a POSIX shell (`set -a; . ./file`) and dotenv-expand
 * (Vite, Next.js) read back exactly; `#`, `'`, `=`, spaces and unicode need no escape.
 * The plain `dotenv` npm parser decodes only `\n` and `\r`: it reads values containing
 * `\`, `"` or `$` back with the escaping backslash kept (see the README).
 */
export function formatDotenv(variables: Iterable<{ name: string; value: string }>): string {
  let text = '';
  for (const { name, value } of variables) text += `${name}="${escapeDotenvValue(value)}"\n`;
  return text;
}

export function escapeDotenvValue(value: string): string {
  return value.replace(/[\\"$\n\r]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\${c}`;
  });
}
