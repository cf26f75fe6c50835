import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
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
import { ConfigurationError, formatDuration } from '@baepo/action-kit';
import { clientConfig, explainable, serviceEndpoint } from '@baepo/aws';
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
 * each call abortable by the job's cancel (`signal`) and by its own `options.signal` (a watch's
 * deadline). A call without one may take at most `timeoutMs` (the 'timeout' input): a request that
 * hangs before the watch starts ends at the timeout too, with an error naming the call. A healthy
 * call never comes near it; a long wait made of many calls (a migration task) is not cut short.
 */
export function awsClients(
  region: string,
  signal?: AbortSignal,
  timeoutMs?: number,
): { ecs: EcsApi; ssm: SsmApi; logs: LogsApi; codedeploy: CodeDeployApi } {
  const call = <T>(
    service: string,
    operation: string,
    options: CallOptions | undefined,
    send: (abortSignal?: AbortSignal) => Promise<T>,
  ) => {
    const limit = options?.signal || timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    const bound = options?.signal ?? limit;
    return send(callSignal(signal, bound)).catch((error: unknown) => {
      if (limit?.aborted && !signal?.aborted) {
        const endpoint = serviceEndpoint(service, region);
        throw new ConfigurationError(
          `The 'timeout' (${formatDuration(timeoutMs ?? 0)}) passed while ${service} ${operation} waited for an answer from ${endpoint.url}: the run stopped there. ` +
            `Check the network path to ${service}${endpoint.variable ? ` (${endpoint.variable})` : ''} and the service's state before re-running (a deployment may have started).`,
          { cause: error },
        );
      }
      throw error;
    });
  };
  const ecs = explainable(new ECSClient(clientConfig(region)), region);
  const ssm = explainable(new SSMClient(clientConfig(region)), region);
  const logs = explainable(new CloudWatchLogsClient(clientConfig(region)), region);
  const codedeploy = explainable(new CodeDeployClient(clientConfig(region)), region);
  return {
    ecs: {
      describeClusters: (input, options) =>
        call('ECS', 'DescribeClusters', options, (abortSignal) => ecs.send(new DescribeClustersCommand(input), { abortSignal })),
      listClusters: (input, options) =>
        call('ECS', 'ListClusters', options, (abortSignal) => ecs.send(new ListClustersCommand(input), { abortSignal })),
      describeServices: (input, options) =>
        call('ECS', 'DescribeServices', options, (abortSignal) => ecs.send(new DescribeServicesCommand(input), { abortSignal })),
      listServices: (input, options) =>
        call('ECS', 'ListServices', options, (abortSignal) => ecs.send(new ListServicesCommand(input), { abortSignal })),
      describeTaskDefinition: (input, options) =>
        call('ECS', 'DescribeTaskDefinition', options, (abortSignal) =>
          ecs.send(new DescribeTaskDefinitionCommand(input), { abortSignal }),
        ),
      registerTaskDefinition: (input, options) =>
        call('ECS', 'RegisterTaskDefinition', options, (abortSignal) =>
          ecs.send(new RegisterTaskDefinitionCommand(input), { abortSignal }),
        ),
      updateService: (input, options) =>
        call('ECS', 'UpdateService', options, (abortSignal) => ecs.send(new UpdateServiceCommand(input), { abortSignal })),
      runTask: (input, options) => call('ECS', 'RunTask', options, (abortSignal) => ecs.send(new RunTaskCommand(input), { abortSignal })),
      listTasks: (input, options) =>
        call('ECS', 'ListTasks', options, (abortSignal) => ecs.send(new ListTasksCommand(input), { abortSignal })),
      describeTasks: (input, options) =>
        call('ECS', 'DescribeTasks', options, (abortSignal) => ecs.send(new DescribeTasksCommand(input), { abortSignal })),
      listServiceDeployments: (input, options) =>
        call('ECS', 'ListServiceDeployments', options, (abortSignal) =>
          ecs.send(new ListServiceDeploymentsCommand(input), { abortSignal }),
        ),
      describeServiceDeployments: (input, options) =>
        call('ECS', 'DescribeServiceDeployments', options, (abortSignal) =>
          ecs.send(new DescribeServiceDeploymentsCommand(input), { abortSignal }),
        ),
      stopServiceDeployment: (input, options) =>
        call('ECS', 'StopServiceDeployment', options, (abortSignal) => ecs.send(new StopServiceDeploymentCommand(input), { abortSignal })),
      continueServiceDeployment: (input, options) =>
        call('ECS', 'ContinueServiceDeployment', options, (abortSignal) =>
          ecs.send(new ContinueServiceDeploymentCommand(input), { abortSignal }),
        ),
    },
    ssm: {
      getParametersByPath: (input, options) =>
        call('SSM', 'GetParametersByPath', options, (abortSignal) => ssm.send(new GetParametersByPathCommand(input), { abortSignal })),
    },
    logs: {
      getLogEvents: (input, options) =>
        call('CloudWatch Logs', 'GetLogEvents', options, (abortSignal) => logs.send(new GetLogEventsCommand(input), { abortSignal })),
    },
    codedeploy: {
      createDeployment: (input, options) =>
        call('CodeDeploy', 'CreateDeployment', options, (abortSignal) =>
          codedeploy.send(new CreateDeploymentCommand(input), { abortSignal }),
        ),
      getDeployment: (input, options) =>
        call('CodeDeploy', 'GetDeployment', options, (abortSignal) => codedeploy.send(new GetDeploymentCommand(input), { abortSignal })),
      stopDeployment: (input, options) =>
        call('CodeDeploy', 'StopDeployment', options, (abortSignal) => codedeploy.send(new StopDeploymentCommand(input), { abortSignal })),
      listDeploymentTargets: (input, options) =>
        call('CodeDeploy', 'ListDeploymentTargets', options, (abortSignal) =>
          codedeploy.send(new ListDeploymentTargetsCommand(input), { abortSignal }),
        ),
      getDeploymentTarget: (input, options) =>
        call('CodeDeploy', 'GetDeploymentTarget', options, (abortSignal) =>
          codedeploy.send(new GetDeploymentTargetCommand(input), { abortSignal }),
        ),
      listDeployments: (input, options) =>
        call('CodeDeploy', 'ListDeployments', options, (abortSignal) =>
          codedeploy.send(new ListDeploymentsCommand(input), { abortSignal }),
        ),
    },
  };
}
