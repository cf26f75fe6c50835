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
import { clientConfig } from '@baepo/aws';
import type { CodeDeployApi, EcsApi, LogsApi, SsmApi } from './clients.js';

/** The real SDK clients behind the deployer's narrow interfaces (endpoints from AWS_ENDPOINT_URL*). */
export function awsClients(region: string): { ecs: EcsApi; ssm: SsmApi; logs: LogsApi; codedeploy: CodeDeployApi } {
  const config = clientConfig(region);
  const ecs = new ECSClient(config);
  const ssm = new SSMClient(config);
  const logs = new CloudWatchLogsClient(config);
  const codedeploy = new CodeDeployClient(config);
  return {
    ecs: {
      describeClusters: (input) => ecs.send(new DescribeClustersCommand(input)),
      listClusters: (input) => ecs.send(new ListClustersCommand(input)),
      describeServices: (input) => ecs.send(new DescribeServicesCommand(input)),
      listServices: (input) => ecs.send(new ListServicesCommand(input)),
      describeTaskDefinition: (input) => ecs.send(new DescribeTaskDefinitionCommand(input)),
      registerTaskDefinition: (input) => ecs.send(new RegisterTaskDefinitionCommand(input)),
      updateService: (input) => ecs.send(new UpdateServiceCommand(input)),
      runTask: (input) => ecs.send(new RunTaskCommand(input)),
      listTasks: (input) => ecs.send(new ListTasksCommand(input)),
      describeTasks: (input) => ecs.send(new DescribeTasksCommand(input)),
      listServiceDeployments: (input) => ecs.send(new ListServiceDeploymentsCommand(input)),
      describeServiceDeployments: (input) => ecs.send(new DescribeServiceDeploymentsCommand(input)),
      stopServiceDeployment: (input) => ecs.send(new StopServiceDeploymentCommand(input)),
      continueServiceDeployment: (input) => ecs.send(new ContinueServiceDeploymentCommand(input)),
    },
    ssm: { getParametersByPath: (input) => ssm.send(new GetParametersByPathCommand(input)) },
    logs: { getLogEvents: (input) => logs.send(new GetLogEventsCommand(input)) },
    codedeploy: {
      createDeployment: (input) => codedeploy.send(new CreateDeploymentCommand(input)),
      getDeployment: (input) => codedeploy.send(new GetDeploymentCommand(input)),
      stopDeployment: (input) => codedeploy.send(new StopDeploymentCommand(input)),
      listDeploymentTargets: (input) => codedeploy.send(new ListDeploymentTargetsCommand(input)),
      getDeploymentTarget: (input) => codedeploy.send(new GetDeploymentTargetCommand(input)),
      listDeployments: (input) => codedeploy.send(new ListDeploymentsCommand(input)),
    },
  };
}
