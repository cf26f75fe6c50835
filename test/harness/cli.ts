/**
 * Run one bundled action locally exactly as the runner would, and print what it
 * wrote. Inputs are `name=value` words; the AWS_* variables of this shell pass
 * through (start the stack with `npm run stack` and paste its exports first).
 *   npm run action -- resolve-env config=examples/baepo.yml --ref refs/heads/develop
 *   npm run action -- ssm-load paths=/shop/dev --event workflow_dispatch
 */
import { resolve } from 'node:path';
import { runAction } from './run-action.js';

const [action, ...rest] = process.argv.slice(2);
if (!action) {
  console.error('usage: npm run action -- <action> [input=value ...] [--ref REF] [--event NAME] [--payload FILE]');
  process.exit(2);
}
const inputs: Record<string, string> = {};
const github: { ref?: string; eventName?: string; payload?: Record<string, unknown> } = {};
for (let i = 0; i < rest.length; i++) {
  const word = rest[i] as string;
  if (word === '--ref') github.ref = rest[++i];
  else if (word === '--event') github.eventName = rest[++i];
  else if (word === '--payload')
    github.payload = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(rest[++i] as string, 'utf8')));
  else {
    const at = word.indexOf('=');
    if (at <= 0) {
      console.error(`Not an input: ${JSON.stringify(word)} (expected name=value)`);
      process.exit(2);
    }
    inputs[word.slice(0, at)] = word.slice(at + 1);
  }
}
const passThrough = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('AWS_')));
const result = await runAction({ action, inputs, github, env: passThrough, workspace: resolve('.'), timeoutMs: 60 * 60_000 });
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
console.log(`\n== exit code ${result.exitCode} in ${Math.round(result.durationMs)} ms`);
if (Object.keys(result.outputs).length) console.log('== outputs', JSON.stringify(result.outputs, null, 2));
if (Object.keys(result.env).length) console.log('== exported env names', Object.keys(result.env).join(', '));
if (result.summary) console.log(`== step summary\n${result.summary}`);
process.exit(result.exitCode ?? 1);
