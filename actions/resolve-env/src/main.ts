import { readFileSync } from 'node:fs';
import { coreLogger, envInputReader, issueCommand, parseInputs, runAction, setOutputs, writeSummary } from '@baepo/action-kit';
import { githubContextFromEnv, outputValues, resolutionSummary, run } from '@baepo/env-config';
import { inputs } from './interface.js';

await runAction(async () => {
  const readFile = (path: string) => readFileSync(path, 'utf8');
  const { resolution, configFile } = await run(parseInputs(inputs, envInputReader()), {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    readFile,
    github: githubContextFromEnv(process.env, readFile),
    logger: coreLogger,
  });
  if (!resolution.deploy) issueCommand('notice', {}, `Nothing to deploy: ${resolution.matched}.`);
  setOutputs(outputValues(resolution));
  await writeSummary(resolutionSummary(resolution, configFile));
});
