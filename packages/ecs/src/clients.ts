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

/** Per-call options: `signal` aborts this call (the watch's deadline); the job's cancel is bound by awsClients. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * The ECS operations the deployer uses. The SDK's aggregated `ECS` client
 * satisfies it; unit tests pass small hand-written fakes.
 */
export interface EcsApi {
  describeClusters(input: DescribeClustersCommandInput, options?: CallOptions): Promise<DescribeClustersResponse>;
  listClusters(input: ListClustersCommandInput, options?: CallOptions): Promise<ListClustersResponse>;
  describeServices(input: DescribeServicesCommandInput, options?: CallOptions): Promise<DescribeServicesResponse>;
  listServices(input: ListServicesCommandInput, options?: CallOptions): Promise<ListServicesResponse>;
  describeTaskDefinition(input: DescribeTaskDefinitionCommandInput, options?: CallOptions): Promise<DescribeTaskDefinitionResponse>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput, options?: CallOptions): Promise<RegisterTaskDefinitionResponse>;
  updateService(input: UpdateServiceCommandInput, options?: CallOptions): Promise<UpdateServiceResponse>;
  runTask(input: RunTaskCommandInput, options?: CallOptions): Promise<RunTaskResponse>;
  listTasks(input: ListTasksCommandInput, options?: CallOptions): Promise<ListTasksResponse>;
  describeTasks(input: DescribeTasksCommandInput, options?: CallOptions): Promise<DescribeTasksResponse>;
  listServiceDeployments(input: ListServiceDeploymentsCommandInput, options?: CallOptions): Promise<ListServiceDeploymentsResponse>;
  describeServiceDeployments(
    input: DescribeServiceDeploymentsCommandInput,
    options?: CallOptions,
  ): Promise<DescribeServiceDeploymentsResponse>;
  stopServiceDeployment(input: StopServiceDeploymentCommandInput, options?: CallOptions): Promise<StopServiceDeploymentResponse>;
  continueServiceDeployment(
    input: ContinueServiceDeploymentCommandInput,
    options?: CallOptions,
  ): Promise<ContinueServiceDeploymentResponse>;
}

/** SSM: only names and ARNs under a path (values are never requested). */
export interface SsmApi {
  getParametersByPath(
    input: {
      Path: string;
      Recursive?: boolean;
      WithDecryption?: boolean;
      NextToken?: string;
      MaxResults?: number;
    },
    options?: CallOptions,
  ): Promise<{ Parameters?: { Name?: string; ARN?: string }[]; NextToken?: string }>;
}

/** CloudWatch Logs: the tail of a task's log stream. */
export interface LogsApi {
  getLogEvents(
    input: {
      logGroupName: string;
      logStreamName: string;
      limit?: number;
      startFromHead?: boolean;
    },
    options?: CallOptions,
  ): Promise<{ events?: { timestamp?: number; message?: string }[] }>;
}

/** CodeDeploy: the operations an ECS blue/green deployment through CodeDeploy needs. */
export interface CodeDeployApi {
  createDeployment(input: CreateDeploymentCommandInput, options?: CallOptions): Promise<Omit<CreateDeploymentCommandOutput, '$metadata'>>;
  getDeployment(input: GetDeploymentCommandInput, options?: CallOptions): Promise<Omit<GetDeploymentCommandOutput, '$metadata'>>;
  stopDeployment(input: StopDeploymentCommandInput, options?: CallOptions): Promise<Omit<StopDeploymentCommandOutput, '$metadata'>>;
  listDeploymentTargets(
    input: ListDeploymentTargetsCommandInput,
    options?: CallOptions,
  ): Promise<Omit<ListDeploymentTargetsCommandOutput, '$metadata'>>;
  getDeploymentTarget(
    input: GetDeploymentTargetCommandInput,
    options?: CallOptions,
  ): Promise<Omit<GetDeploymentTargetCommandOutput, '$metadata'>>;
  listDeployments(input: ListDeploymentsCommandInput, options?: CallOptions): Promise<Omit<ListDeploymentsCommandOutput, '$metadata'>>;
}
