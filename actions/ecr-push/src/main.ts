import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { coreLogger, envInputReader, maskSecret, parseInputs, runAction, setOutputs, systemClock, writeSummary } from '@baepo/action-kit';
import { clientConfig, explainable, resolveRegion } from '@baepo/aws';
import { DockerCli, findOnPath, renderSummary, run, runCommand } from '@baepo/ecr';
import { inputs as spec } from './interface.js';

await runAction(async ({ signal }) => {
  const inputs = parseInputs(spec, envInputReader());
  const region = resolveRegion(undefined);
  const dockerPath = findOnPath('docker');
  const workDir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ecr-push-'));
  try {
    const result = await run(inputs, {
      ecr: explainable(new ECRClient(clientConfig(region)), region),
      region,
      logger: coreLogger,
      clock: systemClock,
      mask: (secret) => maskSecret(secret),
      workDir,
      cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      docker: dockerPath ? new DockerCli(dockerPath, runCommand, signal) : undefined,
      signal,
    });
    setOutputs({
      registry: result.registry,
      image: result.image,
      digest: result.digest,
      'image-uris': result.imageUris.join('\n'),
      'pushed-bytes': result.push ? result.push.pushedBytes : '',
      'reused-blobs': result.push ? result.push.present + result.push.mounted : '',
    });
    await writeSummary(renderSummary(result));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
});
