import type {
  CreateDeploymentCommandInput,
  CreateDeploymentCommandOutput,
  GetDeploymentCommandInput,
  GetDeploymentCommandOutput,
  GetDeploymentTargetCommandInput,
  GetDeploymentTargetCommandOutput,
  ListDeploymentsCommandInput,
  ListDeploymentsCommandOutput,
  ListDeploymentTargetsCommandInput,
  ListDeploymentTargetsCommandOutput,
  StopDeploymentCommandInput,
  StopDeploymentCommandOutput,
} from '@aws-sdk/client-codedeploy';
import type {
  ContinueServiceDeploymentCommandInput,
  ContinueServiceDeploymentResponse,
  DescribeClustersCommandInput,
  DescribeClustersResponse,
  DescribeServiceDeploymentsCommandInput,
  DescribeServiceDeploymentsResponse,
  DescribeServicesCommandInput,
  DescribeServicesResponse,
  DescribeTaskDefinitionCommandInput,
  DescribeTaskDefinitionResponse,
  DescribeTasksCommandInput,
  DescribeTasksResponse,
  ListClustersCommandInput,
  ListClustersResponse,
  ListServiceDeploymentsCommandInput,
  ListServiceDeploymentsResponse,
  ListServicesCommandInput,
  ListServicesResponse,
  ListTasksCommandInput,
  ListTasksResponse,
  RegisterTaskDefinitionCommandInput,
  RegisterTaskDefinitionResponse,
  RunTaskCommandInput,
  RunTaskResponse,
  StopServiceDeploymentCommandInput,
  StopServiceDeploymentResponse,
  UpdateServiceCommandInput,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';

/**
 * The ECS operations the deployer uses. The SDK's aggregated `ECS` client
 * satisfies it; unit tests pass small hand-written fakes.
 */
export interface EcsApi {
  describeClusters(input: DescribeClustersCommandInput): Promise<DescribeClustersResponse>;
  listClusters(input: ListClustersCommandInput): Promise<ListClustersResponse>;
  describeServices(input: DescribeServicesCommandInput): Promise<DescribeServicesResponse>;
  listServices(input: ListServicesCommandInput): Promise<ListServicesResponse>;
  describeTaskDefinition(input: DescribeTaskDefinitionCommandInput): Promise<DescribeTaskDefinitionResponse>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<RegisterTaskDefinitionResponse>;
  updateService(input: UpdateServiceCommandInput): Promise<UpdateServiceResponse>;
  runTask(input: RunTaskCommandInput): Promise<RunTaskResponse>;
  listTasks(input: ListTasksCommandInput): Promise<ListTasksResponse>;
  describeTasks(input: DescribeTasksCommandInput): Promise<DescribeTasksResponse>;
  listServiceDeployments(input: ListServiceDeploymentsCommandInput): Promise<ListServiceDeploymentsResponse>;
  describeServiceDeployments(input: DescribeServiceDeploymentsCommandInput): Promise<DescribeServiceDeploymentsResponse>;
  stopServiceDeployment(input: StopServiceDeploymentCommandInput): Promise<StopServiceDeploymentResponse>;
  continueServiceDeployment(input: ContinueServiceDeploymentCommandInput): Promise<ContinueServiceDeploymentResponse>;
}

/** SSM: only names and ARNs under a path (values are never requested). */
export interface SsmApi {
  getParametersByPath(input: {
    Path: string;
    Recursive?: boolean;
    WithDecryption?: boolean;
    NextToken?: string;
    MaxResults?: number;
  }): Promise<{ Parameters?: { Name?: string; ARN?: string }[]; NextToken?: string }>;
}

/** CloudWatch Logs: the tail of a task's log stream. */
export interface LogsApi {
  getLogEvents(input: {
    logGroupName: string;
    logStreamName: string;
    limit?: number;
    startFromHead?: boolean;
  }): Promise<{ events?: { timestamp?: number; message?: string }[] }>;
}

/** CodeDeploy: the operations an ECS blue/green deployment through CodeDeploy needs. */
export interface CodeDeployApi {
  createDeployment(input: CreateDeploymentCommandInput): Promise<Omit<CreateDeploymentCommandOutput, '$metadata'>>;
  getDeployment(input: GetDeploymentCommandInput): Promise<Omit<GetDeploymentCommandOutput, '$metadata'>>;
  stopDeployment(input: StopDeploymentCommandInput): Promise<Omit<StopDeploymentCommandOutput, '$metadata'>>;
  listDeploymentTargets(input: ListDeploymentTargetsCommandInput): Promise<Omit<ListDeploymentTargetsCommandOutput, '$metadata'>>;
  getDeploymentTarget(input: GetDeploymentTargetCommandInput): Promise<Omit<GetDeploymentTargetCommandOutput, '$metadata'>>;
  listDeployments(input: ListDeploymentsCommandInput): Promise<Omit<ListDeploymentsCommandOutput, '$metadata'>>;
}
