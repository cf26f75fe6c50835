/**
 * Parse a runner file-command file (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE):
 * `name<<DELIMITER\nvalue\nDELIMITER` (multi-line safe) or the legacy `name=value`.
 * Later writes of the same name win, as on the runner.
 */
export function parseFileCommands(content: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = content.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    i++;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      let closed = false;
      while (i < lines.length) {
        const next = lines[i] ?? '';
        i++;
        if (next === delimiter) {
          closed = true;
          break;
        }
        value.push(next);
      }
      if (!closed) throw new Error(`Unterminated heredoc for '${name}' (delimiter ${delimiter})`);
      result[name] = value.join('\n');
      continue;
    }
    const at = line.indexOf('=');
    if (at <= 0) throw new Error(`Malformed file command line: ${JSON.stringify(line)}`);
    result[line.slice(0, at)] = line.slice(at + 1);
  }
  return result;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Workflow commands (`::error file=a,line=3::message`) found on stdout, in order. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([a-zA-Z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at > 0) properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    commands.push({ command: match[1] as string, properties, message: unescapeData(match[3] ?? '') });
  }
  return commands;
}
