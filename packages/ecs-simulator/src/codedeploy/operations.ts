import { randomUUID } from 'node:crypto';
import type {
  BatchGetDeploymentTargetsInput,
  CreateApplicationInput,
  CreateDeploymentGroupInput,
  CreateDeploymentInput,
  GetApplicationInput,
  GetDeploymentGroupInput,
  GetDeploymentInput,
  GetDeploymentTargetInput,
  ListDeploymentsInput,
  ListDeploymentTargetsInput,
  StopDeploymentInput,
} from '@aws-sdk/client-codedeploy';
import { AwsError } from '../errors.js';
import type { Operations } from '../operations.js';
import { epochSeconds } from '../wire.js';
import { parseAppSpec } from './appspec.js';
import { type CodeDeployDeployment, type CodeDeployState, targetId } from './state.js';

const error = (type: string, message: string): AwsError => new AwsError(type, message);

function application(state: CodeDeployState, name: string | undefined) {
  if (!name) throw error('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
  const app = state.applications.get(name);
  if (!app) throw error('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return app;
}

function group(state: CodeDeployState, app: string | undefined, name: string | undefined) {
  application(state, app);
  if (!name) throw error('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  const found = state.groups.get(`${app}/${name}`);
  if (!found) throw error('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`);
  return found;
}

function deployment(state: CodeDeployState, id: string | undefined): CodeDeployDeployment {
  if (!id) throw error('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
  if (!/^d-[A-Z0-9]{9}$/.test(id)) throw error('InvalidDeploymentIdException', `The deployment ID ${id} is not valid.`);
  const found = state.deployments.get(id);
  if (!found) throw error('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
  return found;
}

function target(state: CodeDeployState, found: CodeDeployDeployment, id: string | undefined) {
  if (id !== targetId(found))
    throw error('DeploymentTargetDoesNotExistException', `The target ${id} does not exist in deployment ${found.info.deploymentId}.`);
  return state.target(found);
}

export const codeDeployOperations: Operations<CodeDeployState> = {
  CreateApplication: (state, input: CreateApplicationInput) => {
    const name = input.applicationName;
    if (!name) throw error('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
    if (state.applications.has(name)) throw error('ApplicationAlreadyExistsException', `Application ${name} already exists.`);
    const applicationId = randomUUID();
    state.applications.set(name, {
      applicationId,
      applicationName: name,
      createTime: epochSeconds(),
      linkedToGitHub: false,
      computePlatform: input.computePlatform ?? 'Server',
    });
    return { applicationId };
  },

  GetApplication: (state, input: GetApplicationInput) => ({ application: application(state, input.applicationName) }),

  CreateDeploymentGroup: (state, input: CreateDeploymentGroupInput) => {
    const app = application(state, input.applicationName);
    const name = input.deploymentGroupName;
    if (!name) throw error('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
    if (state.groups.has(`${app.applicationName}/${name}`)) {
      throw error(
        'DeploymentGroupAlreadyExistsException',
        `Deployment group ${name} already exists for application ${app.applicationName}.`,
      );
    }
    if (!input.serviceRoleArn) throw error('RoleRequiredException', 'Role ARN was not specified.');
    if (app.computePlatform === 'ECS') {
      const service = input.ecsServices?.[0];
      const record = state.ecs.services.get(`${service?.clusterName}/${service?.serviceName}`);
      if (!service || !record || record.data.status !== 'ACTIVE') {
        throw error(
          'InvalidECSServiceException',
          `The ECS service ${service?.serviceName} in cluster ${service?.clusterName} does not exist.`,
        );
      }
      if (record.data.deploymentController?.type !== 'CODE_DEPLOY') {
        throw error(
          'InvalidECSServiceException',
          `Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller: ${service.serviceName} uses ${record.data.deploymentController?.type ?? 'ECS'}.`,
        );
      }
      if (!input.loadBalancerInfo?.targetGroupPairInfoList?.length) {
        throw error(
          'InvalidLoadBalancerInfoException',
          'The load balancer information must contain a target group pair for an ECS deployment group.',
        );
      }
    }
    const deploymentGroupId = randomUUID();
    state.groups.set(`${app.applicationName}/${name}`, {
      applicationName: app.applicationName,
      deploymentGroupId,
      deploymentGroupName: name,
      deploymentConfigName: input.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
      serviceRoleArn: input.serviceRoleArn,
      ecsServices: input.ecsServices,
      loadBalancerInfo: input.loadBalancerInfo,
      blueGreenDeploymentConfiguration: input.blueGreenDeploymentConfiguration,
      autoRollbackConfiguration: input.autoRollbackConfiguration,
      deploymentStyle: input.deploymentStyle ?? { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      computePlatform: app.computePlatform,
    });
    return { deploymentGroupId };
  },

  GetDeploymentGroup: (state, input: GetDeploymentGroupInput) => ({
    deploymentGroupInfo: group(state, input.applicationName, input.deploymentGroupName),
  }),

  CreateDeployment: (state, input: CreateDeploymentInput) => {
    const found = group(state, input.applicationName, input.deploymentGroupName);
    const revision = input.revision;
    if (!revision) throw error('RevisionRequiredException', 'The revision ID was not specified.');
    if (revision.revisionType !== 'AppSpecContent') {
      throw error('InvalidRevisionException', 'ECS deployments in the ECS simulator need revisionType AppSpecContent.');
    }
    const appSpec = parseAppSpec(revision.appSpecContent?.content, revision.appSpecContent?.sha256);
    if (!state.ecs.taskDefinition(appSpec.taskDefinition)) {
      throw error('InvalidRevisionException', `The task definition ${appSpec.taskDefinition} in the AppSpec does not exist.`);
    }
    const active = [...state.deployments.values()].find(
      (d) =>
        d.info.applicationName === found.applicationName &&
        d.info.deploymentGroupName === found.deploymentGroupName &&
        (d.info.status === 'Created' || d.info.status === 'InProgress' || d.info.status === 'Ready'),
    );
    if (active) {
      throw error(
        'DeploymentLimitExceededException',
        `The Deployment Group '${found.deploymentGroupName}' already has an active Deployment '${active.info.deploymentId}'`,
      );
    }
    const previous = [...state.deployments.values()]
      .filter((d) => d.info.deploymentGroupName === found.deploymentGroupName && d.info.status === 'Succeeded')
      .at(-1);
    const created = state.create({
      group: found,
      appSpec,
      revision,
      description: input.description,
      autoRollbackConfiguration: input.autoRollbackConfiguration,
      deploymentConfigName: input.deploymentConfigName,
    });
    if (previous) created.info.previousRevision = previous.info.revision;
    return { deploymentId: created.info.deploymentId };
  },

  /** Newest first; `includeOnlyStatuses` filters (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html). */
  ListDeployments: (state, input: ListDeploymentsInput) => {
    const found = group(state, input.applicationName, input.deploymentGroupName);
    const statuses = input.includeOnlyStatuses ?? [];
    const deployments = [...state.deployments.values()]
      .filter((d) => d.info.applicationName === found.applicationName && d.info.deploymentGroupName === found.deploymentGroupName)
      .filter((d) => !statuses.length || statuses.includes(d.info.status as never))
      .reverse()
      .map((d) => d.info.deploymentId);
    return { deployments };
  },

  GetDeployment: (state, input: GetDeploymentInput) => ({ deploymentInfo: deployment(state, input.deploymentId).info }),

  ListDeploymentTargets: (state, input: ListDeploymentTargetsInput) => ({
    targetIds: [targetId(deployment(state, input.deploymentId))],
  }),

  GetDeploymentTarget: (state, input: GetDeploymentTargetInput) => {
    const found = deployment(state, input.deploymentId);
    return { deploymentTarget: target(state, found, input.targetId) };
  },

  BatchGetDeploymentTargets: (state, input: BatchGetDeploymentTargetsInput) => {
    const found = deployment(state, input.deploymentId);
    return { deploymentTargets: (input.targetIds ?? []).map((id) => target(state, found, id)) };
  },

  StopDeployment: (state, input: StopDeploymentInput) => {
    const found = deployment(state, input.deploymentId);
    const status = found.info.status;
    if (status !== 'Created' && status !== 'InProgress' && status !== 'Ready' && status !== 'Queued') {
      throw error('DeploymentAlreadyCompletedException', `The deployment ${found.info.deploymentId} has already completed.`);
    }
    state.fail(found, { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user.' }, 'Stopped', input.autoRollbackEnabled);
    return { status: 'Succeeded', statusMessage: 'The deployment was stopped.' };
  },
};
