import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { coreLogger, envInputReader, parseInputs, runAction, setFailed, setOutputs, systemClock, writeSummary } from '@baepo/action-kit';
import { resolveRegion } from '@baepo/aws';
import { awsClients, deploy, deploySummary, toDeployRequest } from '@baepo/ecs';
import { inputs, type outputs } from './interface.js';

void runAction(async ({ signal }) => {
  const parsed = parseInputs(inputs, envInputReader());
  const region = resolveRegion(parsed['aws-region']);
  const request = toDeployRequest(parsed, region);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const readFile = (path: string) => {
    const full = resolve(workspace, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
  const result = await deploy(request, {
    ...awsClients(region, signal, request.timeoutMs),
    clock: systemClock,
    logger: coreLogger,
    signal,
    readFile,
  });
  const values: Record<(typeof outputs)[number], string> = {
    'task-definition-arn': result.taskDefinitionArn ?? '',
    'previous-task-definition-arn': result.previousTaskDefinitionArn ?? '',
    'deployment-id': result.deploymentId ?? '',
    status: result.status,
    services: JSON.stringify(result.services),
    'service-deployment-arn': result.serviceDeploymentArn ?? '',
    'hook-id': result.hookId ?? '',
    'codedeploy-deployment-id': result.codeDeployDeploymentId ?? '',
  };
  setOutputs(values);
  await writeSummary(deploySummary(result, request.cluster));
  if (result.error) setFailed(result.error);
});
