import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  ContinueServiceDeploymentCommand,
  DescribeClustersCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig, explainable } from '@baepo/aws';
import type { CallOptions, CodeDeployApi, EcsApi, LogsApi, SsmApi } from './clients.js';

/**
 * After a cancel, cleanup calls (rollback, the state report) still go out, but the runner kills the
 * step about 10 s after SIGINT: each gets at most this long.
 */
export const AFTER_CANCEL_CALL_MS = 5000;

/**
 * The abort signal of one call: the job's cancel aborts every call in flight when it comes; a call
 * started after it (cleanup) gets AFTER_CANCEL_CALL_MS. `own` (a watch's deadline) aborts it too.
 */
export function callSignal(cancel: AbortSignal | undefined, own?: AbortSignal): AbortSignal | undefined {
  const bound = cancel?.aborted ? AbortSignal.timeout(AFTER_CANCEL_CALL_MS) : cancel;
  const signals = [bound, own].filter((s): s is AbortSignal => s !== undefined);
  return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
}

/**
 * The real SDK clients behind the deployer's narrow interfaces (endpoints from AWS_ENDPOINT_URL*),
 * each call abortable by the job's cancel (`signal`) and by its own `options.signal`.
 */
export function awsClients(region: string, signal?: AbortSignal): { ecs: EcsApi; ssm: SsmApi; logs: LogsApi; codedeploy: CodeDeployApi } {
  const ecs = explainable(new ECSClient(clientConfig(region)), region);
  const ssm = explainable(new SSMClient(clientConfig(region)), region);
  const logs = explainable(new CloudWatchLogsClient(clientConfig(region)), region);
  const codedeploy = explainable(new CodeDeployClient(clientConfig(region)), region);
  const to = (options?: CallOptions) => ({ abortSignal: callSignal(signal, options?.signal) });
  return {
    ecs: {
      describeClusters: (input, options) => ecs.send(new DescribeClustersCommand(input), to(options)),
      listClusters: (input, options) => ecs.send(new ListClustersCommand(input), to(options)),
      describeServices: (input, options) => ecs.send(new DescribeServicesCommand(input), to(options)),
      listServices: (input, options) => ecs.send(new ListServicesCommand(input), to(options)),
      describeTaskDefinition: (input, options) => ecs.send(new DescribeTaskDefinitionCommand(input), to(options)),
      registerTaskDefinition: (input, options) => ecs.send(new RegisterTaskDefinitionCommand(input), to(options)),
      updateService: (input, options) => ecs.send(new UpdateServiceCommand(input), to(options)),
      runTask: (input, options) => ecs.send(new RunTaskCommand(input), to(options)),
      listTasks: (input, options) => ecs.send(new ListTasksCommand(input), to(options)),
      describeTasks: (input, options) => ecs.send(new DescribeTasksCommand(input), to(options)),
      listServiceDeployments: (input, options) => ecs.send(new ListServiceDeploymentsCommand(input), to(options)),
      describeServiceDeployments: (input, options) => ecs.send(new DescribeServiceDeploymentsCommand(input), to(options)),
      stopServiceDeployment: (input, options) => ecs.send(new StopServiceDeploymentCommand(input), to(options)),
      continueServiceDeployment: (input, options) => ecs.send(new ContinueServiceDeploymentCommand(input), to(options)),
    },
    ssm: { getParametersByPath: (input, options) => ssm.send(new GetParametersByPathCommand(input), to(options)) },
    logs: { getLogEvents: (input, options) => logs.send(new GetLogEventsCommand(input), to(options)) },
    codedeploy: {
      createDeployment: (input, options) => codedeploy.send(new CreateDeploymentCommand(input), to(options)),
      getDeployment: (input, options) => codedeploy.send(new GetDeploymentCommand(input), to(options)),
      stopDeployment: (input, options) => codedeploy.send(new StopDeploymentCommand(input), to(options)),
      listDeploymentTargets: (input, options) => codedeploy.send(new ListDeploymentTargetsCommand(input), to(options)),
      getDeploymentTarget: (input, options) => codedeploy.send(new GetDeploymentTargetCommand(input), to(options)),
    },
  };
}
