import { randomBytes, randomUUID } from 'node:crypto';
import type { ApplicationInfo, DeploymentGroupInfo, DeploymentInfo, LifecycleEvent } from '@aws-sdk/client-codedeploy';
import { startDeployment } from '../ecs/deployments.js';
import type { ServiceRecord } from '../ecs/model.js';
import type { EcsState } from '../ecs/state.js';
import type { CodeDeployScenario } from '../types.js';
import { epochSeconds, type Wire } from '../wire.js';
import type { EcsAppSpec } from './appspec.js';

/** The ECS lifecycle events of a CodeDeploy blue/green deployment, in order. */
export const LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
/** Events CodeDeploy itself performs; the others run AppSpec hooks (Skipped without one). */
const OWN_EVENTS = new Set(['Install', 'AllowTestTraffic', 'AllowTraffic']);

export interface CodeDeployDeployment {
  info: Wire<DeploymentInfo>;
  cluster: string;
  service: string;
  appSpec: EcsAppSpec;
  scenario: CodeDeployScenario;
  events: Wire<LifecycleEvent>[];
  /** Task definition the service ran before; restored by a rollback after AllowTraffic. */
  previousTaskDefinition?: string;
  /** Production traffic reached the new task set. */
  trafficShifted: boolean;
}

/** A CodeDeploy deployment id: `d-` and 9 uppercase letters and digits. */
const newDeploymentId = (): string => `d-${[...randomBytes(9)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 36]).join('')}`;

/** The CodeDeploy subset: applications, ECS deployment groups, deployments driven by ticks. */
export class CodeDeployState {
  readonly applications = new Map<string, Wire<ApplicationInfo>>();
  /** Key: `application/group`. */
  readonly groups = new Map<string, Wire<DeploymentGroupInfo>>();
  readonly deployments = new Map<string, CodeDeployDeployment>();
  /** Key: `application/group` or `*\/group`. */
  readonly scenarios = new Map<string, CodeDeployScenario>();

  constructor(readonly ecs: EcsState) {}

  reset(): void {
    this.applications.clear();
    this.groups.clear();
    this.deployments.clear();
    this.scenarios.clear();
  }

  scenarioFor(application: string, group: string): CodeDeployScenario {
    return this.scenarios.get(`${application}/${group}`) ?? this.scenarios.get(`*/${group}`) ?? { kind: 'healthy' };
  }

  create(input: {
    group: Wire<DeploymentGroupInfo>;
    appSpec: EcsAppSpec;
    revision: unknown;
    description?: string;
    autoRollbackConfiguration?: Wire<DeploymentInfo>['autoRollbackConfiguration'];
    deploymentConfigName?: string;
  }): CodeDeployDeployment {
    const { group } = input;
    const target = group.ecsServices?.[0];
    const id = newDeploymentId();
    const now = epochSeconds();
    const deployment: CodeDeployDeployment = {
      cluster: target?.clusterName ?? '',
      service: target?.serviceName ?? '',
      appSpec: input.appSpec,
      scenario: this.scenarioFor(group.applicationName ?? '', group.deploymentGroupName ?? ''),
      trafficShifted: false,
      events: LIFECYCLE_EVENTS.map((name) => ({ lifecycleEventName: name, status: 'Pending' })),
      info: {
        applicationName: group.applicationName,
        deploymentGroupName: group.deploymentGroupName,
        deploymentConfigName: input.deploymentConfigName ?? group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
        deploymentId: id,
        revision: input.revision as Wire<DeploymentInfo>['revision'],
        status: 'Created',
        createTime: now,
        creator: 'user',
        description: input.description,
        autoRollbackConfiguration: input.autoRollbackConfiguration ?? group.autoRollbackConfiguration,
        deploymentStyle: group.deploymentStyle,
        blueGreenDeploymentConfiguration: group.blueGreenDeploymentConfiguration,
        loadBalancerInfo: group.loadBalancerInfo,
        computePlatform: 'ECS',
        deploymentOverview: { Pending: 1, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 },
        deploymentStatusMessages: [],
      },
    };
    this.deployments.set(id, deployment);
    return deployment;
  }

  /** One tick: every active deployment moves one lifecycle event on. */
  tick(): void {
    for (const deployment of this.deployments.values()) this.step(deployment);
  }

  private service(deployment: CodeDeployDeployment): ServiceRecord | undefined {
    return this.ecs.services.get(`${deployment.cluster}/${deployment.service}`);
  }

  private step(deployment: CodeDeployDeployment): void {
    const info = deployment.info;
    if (info.status === 'Created') {
      info.status = 'InProgress';
      info.startTime = epochSeconds();
      this.overview(deployment, 'InProgress');
      return;
    }
    if (info.status !== 'InProgress') return;
    const event = deployment.events.find((e) => e.status === 'Pending' || e.status === 'InProgress');
    if (!event) return;
    const name = event.lifecycleEventName ?? '';
    const now = epochSeconds();
    if (event.status === 'Pending') {
      event.status = 'InProgress';
      event.startTime = now;
      return;
    }
    if (deployment.scenario.kind === 'stuck' && name === 'Install') return;
    const hook = deployment.appSpec.hooks.get(name);
    const failing = deployment.scenario.kind === 'failing' && (deployment.scenario.lifecycleEvent ?? 'AfterAllowTestTraffic') === name;
    event.endTime = now;
    if (failing) {
      event.status = 'Failed';
      event.diagnostics = {
        errorCode: 'ScriptFailed',
        scriptName: hook ?? name,
        message: `The ${name} lifecycle event hook ${hook ?? '(none)'} returned Failed.`,
        logTail: '',
      };
      this.fail(deployment, {
        code: 'HOOK_EXECUTION_FAILURE',
        message: `The deployment failed because a validation Lambda function (${hook ?? name}) of the ${name} lifecycle event returned Failed.`,
      });
      return;
    }
    event.status = OWN_EVENTS.has(name) || hook ? 'Succeeded' : 'Skipped';
    if (name === 'AllowTraffic') this.shiftTraffic(deployment);
    if (deployment.events.every((e) => e.status === 'Succeeded' || e.status === 'Skipped')) {
      info.status = 'Succeeded';
      info.completeTime = now;
      this.overview(deployment, 'Succeeded');
    }
  }

  /** Production traffic moves to the new task set: the service now runs the AppSpec's task definition. */
  private shiftTraffic(deployment: CodeDeployDeployment): void {
    const service = this.service(deployment);
    if (!service) return;
    deployment.previousTaskDefinition = service.data.taskDefinition;
    deployment.trafficShifted = true;
    const definition = this.ecs.taskDefinition(deployment.appSpec.taskDefinition);
    startDeployment(this.ecs, service, definition?.data.taskDefinitionArn ?? deployment.appSpec.taskDefinition, {
      scenario: { kind: 'healthy' },
      reason: `CodeDeploy deployment ${deployment.info.deploymentId} in progress.`,
    });
  }

  private overview(deployment: CodeDeployDeployment, status: 'InProgress' | 'Succeeded' | 'Failed'): void {
    deployment.info.deploymentOverview = {
      Pending: 0,
      InProgress: status === 'InProgress' ? 1 : 0,
      Succeeded: status === 'Succeeded' ? 1 : 0,
      Failed: status === 'Failed' ? 1 : 0,
      Skipped: 0,
      Ready: 0,
    };
  }

  /** Failed (or Stopped), with errorInformation; auto-rollback when configured for the event. */
  fail(
    deployment: CodeDeployDeployment,
    error: { code: string; message: string },
    status: 'Failed' | 'Stopped' = 'Failed',
    rollback?: boolean,
  ): void {
    const info = deployment.info;
    const now = epochSeconds();
    info.status = status;
    info.completeTime = now;
    info.errorInformation = error as Wire<DeploymentInfo>['errorInformation'];
    for (const event of deployment.events) {
      if (event.status === 'InProgress') {
        event.status = status === 'Stopped' ? 'Failed' : event.status;
        event.endTime = now;
      }
      if (event.status === 'Pending') event.status = 'Skipped';
    }
    this.overview(deployment, 'Failed');
    const configuration = info.autoRollbackConfiguration;
    const trigger = status === 'Stopped' ? 'DEPLOYMENT_STOP_ON_REQUEST' : 'DEPLOYMENT_FAILURE';
    const wanted = rollback ?? (configuration?.enabled === true && (configuration.events ?? []).includes(trigger));
    if (!wanted) return;
    const rollbackDeployment = this.create({
      group: this.groups.get(`${info.applicationName}/${info.deploymentGroupName}`) ?? {},
      appSpec: deployment.appSpec,
      revision: info.previousRevision ?? info.revision,
      description: `Rollback of ${info.deploymentId}`,
    });
    const rollbackInfo = rollbackDeployment.info;
    rollbackInfo.creator = 'codeDeployRollback';
    rollbackInfo.status = 'Succeeded';
    rollbackInfo.startTime = now;
    rollbackInfo.completeTime = now;
    rollbackInfo.rollbackInfo = { rollbackTriggeringDeploymentId: info.deploymentId };
    for (const event of rollbackDeployment.events) {
      event.status = 'Succeeded';
      event.startTime = now;
      event.endTime = now;
    }
    this.overview(rollbackDeployment, 'Succeeded');
    info.rollbackInfo = {
      rollbackDeploymentId: rollbackInfo.deploymentId,
      rollbackMessage: `Deployment ${info.deploymentId} was rolled back by ${rollbackInfo.deploymentId}: the original task set keeps serving production traffic.`,
    };
    const service = this.service(deployment);
    if (deployment.trafficShifted && service && deployment.previousTaskDefinition) {
      startDeployment(this.ecs, service, deployment.previousTaskDefinition, {
        scenario: { kind: 'healthy' },
        reason: `CodeDeploy rollback deployment ${rollbackInfo.deploymentId} in progress.`,
      });
    }
  }

  /** The ECS target of a deployment, as GetDeploymentTarget answers it. */
  target(deployment: CodeDeployDeployment) {
    const info = deployment.info;
    const status =
      info.status === 'Succeeded'
        ? 'Succeeded'
        : info.status === 'Failed' || info.status === 'Stopped'
          ? 'Failed'
          : info.status === 'Created'
            ? 'Pending'
            : 'InProgress';
    const service = this.service(deployment);
    const weight = deployment.trafficShifted ? 100 : 0;
    const updates = deployment.events.flatMap((e) => [e.startTime, e.endTime]).filter((t): t is number => t !== undefined);
    return {
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        deploymentId: info.deploymentId,
        targetId: targetId(deployment),
        targetArn: service?.data.serviceArn,
        lastUpdatedAt: updates.length ? Math.max(...updates) : info.createTime,
        lifecycleEvents: deployment.events,
        status,
        taskSetsInfo: [
          {
            identifer: `ecs-svc/${randomUUID().slice(0, 8)}`,
            taskSetLabel: 'Blue',
            trafficWeight: 100 - weight,
            status: weight ? 'ACTIVE' : 'PRIMARY',
          },
          {
            identifer: `ecs-svc/${randomUUID().slice(0, 8)}`,
            taskSetLabel: 'Green',
            trafficWeight: weight,
            status: weight ? 'PRIMARY' : 'ACTIVE',
          },
        ],
      },
    };
  }
}

/** CodeDeploy's ECS target id: `<cluster>:<service>`. */
export const targetId = (deployment: CodeDeployDeployment): string => `${deployment.cluster}:${deployment.service}`;
