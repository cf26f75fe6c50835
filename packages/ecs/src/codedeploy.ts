import type { DeploymentInfo, DeploymentStatus } from '@aws-sdk/client-codedeploy';
import { poll } from '@baepo/action-kit';
import { type AppSpecContent, renderAppSpec } from './appspec.js';
import { awsCall } from './aws-errors.js';
import type { CodeDeployApi } from './clients.js';
import { familyRevision } from './primary-deployment.js';
import { ROLLBACK_PREFIX } from './service-deployments.js';
import type { Assessment, DeployStrategy, Standing } from './strategy.js';
import type { WatchOutcome } from './watch.js';

export interface CodeDeployOptions {
  /** Default `AppECS-<cluster>-<service>`. */
  application?: string;
  /** Default `DgpECS-<cluster>-<service>`. */
  deploymentGroup?: string;
  /** A deployment configuration name (e.g. CodeDeployDefault.ECSCanary10Percent5Minutes); default: the group's. */
  config?: string;
  /** The AppSpec file, when given. */
  appspec?: { path: string; text: string };
}

/**
 * ECS blue/green through CodeDeploy: CreateDeployment with the AppSpec
 * (content + sha256), GetDeployment once per poll, lifecycle events and
 * errorInformation reported, StopDeployment with autoRollbackEnabled to undo.
 */
export function codeDeployStrategy(client: CodeDeployApi, options: CodeDeployOptions): DeployStrategy {
  const names = (cluster: string, service: string) => ({
    applicationName: options.application ?? `AppECS-${cluster}-${service}`,
    deploymentGroupName: options.deploymentGroup ?? `DgpECS-${cluster}-${service}`,
  });
  return {
    name: 'codedeploy',

    async start(_ecs, { cluster, service, taskDefinitionArn }) {
      const appSpec: AppSpecContent = renderAppSpec(service, taskDefinitionArn, options.appspec);
      const { applicationName, deploymentGroupName } = names(cluster.split('/').pop() ?? cluster, service.serviceName ?? '');
      const response = await awsCall(
        'codedeploy:CreateDeployment',
        `application ${applicationName}, deployment group ${deploymentGroupName}`,
        () =>
          client.createDeployment({
            applicationName,
            deploymentGroupName,
            ...(options.config ? { deploymentConfigName: options.config } : {}),
            revision: { revisionType: 'AppSpecContent', appSpecContent: appSpec },
            description: `baepo ecs-deploy ${taskDefinitionArn}`,
          }),
      );
      if (!response.deploymentId) throw new Error('CreateDeployment returned no deploymentId');
      return { deploymentId: response.deploymentId, service };
    },

    assess() {
      return { state: 'in-progress' };
    },

    async standing(_ecs, cluster, service) {
      const group = names(cluster.split('/').pop() ?? cluster, service.serviceName ?? '');
      return codeDeployStanding(client, group, familyRevision(service.taskDefinition));
    },

    async rollback(_ecs, { deploymentId }) {
      if (!deploymentId) throw new Error('a CodeDeploy rollback needs the deployment id');
      const current = await client.getDeployment({ deploymentId });
      if (!isFinal(current.deploymentInfo?.status)) {
        await awsCall('codedeploy:StopDeployment', deploymentId, () => client.stopDeployment({ deploymentId, autoRollbackEnabled: true }));
      }
      return { deploymentId: `${ROLLBACK_PREFIX}${deploymentId}` };
    },

    async watch(targets, { clock, logger, signal, intervalMs, timeoutMs }) {
      const outcomes = new Map<string, WatchOutcome>();
      const lines = new Map<string, string>();
      /** For a rollback: the rollback deployment CodeDeploy started, once known. */
      const following = new Map<string, string>();
      const pending = () => targets.filter((t) => !outcomes.has(t.serviceName));
      await poll({
        interval: intervalMs,
        timeout: timeoutMs,
        clock,
        signal,
        check: async () => {
          for (const target of pending()) {
            const isRollback = target.deploymentId.startsWith(ROLLBACK_PREFIX);
            const id = following.get(target.serviceName) ?? target.deploymentId.replace(ROLLBACK_PREFIX, '');
            const info =
              (await awsCall('codedeploy:GetDeployment', id, () => client.getDeployment({ deploymentId: id }))).deploymentInfo ?? {};
            const line = progress(target.serviceName, info);
            if (lines.get(target.serviceName) !== line) {
              lines.set(target.serviceName, line);
              logger.info(line);
            }
            if (isRollback && !following.has(target.serviceName) && info.rollbackInfo?.rollbackDeploymentId) {
              following.set(target.serviceName, info.rollbackInfo.rollbackDeploymentId);
              logger.info(`${target.serviceName}: following rollback deployment ${info.rollbackInfo.rollbackDeploymentId}`);
              continue;
            }
            const assessment = assessCodeDeploy(info, isRollback && following.has(target.serviceName));
            if (assessment.state === 'in-progress') continue;
            if (!isRollback) await logLifecycleEvents(client, target.serviceName, id, logger);
            outcomes.set(target.serviceName, { assessment });
          }
          return pending().length === 0 ? { done: true, value: undefined } : { done: false };
        },
      });
      for (const target of pending()) outcomes.set(target.serviceName, { assessment: { state: 'timeout' } });
      return outcomes;
    },
  };
}

/** Statuses of a CodeDeploy deployment still under way (a deployment group has at most one). */
const ACTIVE = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;

/**
 * A CODE_DEPLOY service already on the revision: settled when the group's newest deployment
 * Succeeded and none is active; an active one is followed like a new deployment; a newest one
 * that Failed or was Stopped (without a rollback putting the original task set back) is reported.
 */
async function codeDeployStanding(
  client: CodeDeployApi,
  group: { applicationName: string; deploymentGroupName: string },
  revision: string,
): Promise<Standing> {
  const where = `application ${group.applicationName}, deployment group ${group.deploymentGroupName}`;
  const list = (statuses?: DeploymentStatus[]) =>
    awsCall('codedeploy:ListDeployments', where, () =>
      client.listDeployments({ ...group, ...(statuses ? { includeOnlyStatuses: statuses } : {}) }),
    );
  const active = (await list([...ACTIVE])).deployments?.[0];
  if (active) {
    const info = (await awsCall('codedeploy:GetDeployment', active, () => client.getDeployment({ deploymentId: active }))).deploymentInfo;
    return {
      kind: 'follow',
      deploymentId: active,
      state: `${revision} is the target of CodeDeploy deployment ${active} (${info?.status ?? 'active'}), not finished`,
    };
  }
  // ListDeployments answers newest first.
  const newest = (await list()).deployments?.[0];
  if (!newest) return { kind: 'settled' };
  const info = (await awsCall('codedeploy:GetDeployment', newest, () => client.getDeployment({ deploymentId: newest }))).deploymentInfo;
  if (info?.status === 'Succeeded') return { kind: 'settled' };
  const why = info?.errorInformation ? `: ${info.errorInformation.code ?? 'error'}: ${info.errorInformation.message ?? ''}`.trimEnd() : '';
  return {
    kind: 'unsettled',
    state: `${revision} is the target of CodeDeploy deployment ${newest} (${info?.status ?? 'unknown'}${why}), which did not succeed and was not rolled back`,
  };
}

function isFinal(status: string | undefined): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}

/** Judge a CodeDeploy deployment; `rollbackDeployment`: this is the rollback CodeDeploy started. Pure. */
export function assessCodeDeploy(info: DeploymentInfo, rollbackDeployment = false): Assessment {
  const reason = info.errorInformation
    ? `${info.errorInformation.code ?? 'error'}: ${info.errorInformation.message ?? ''}`.trim()
    : `deployment ${info.status ?? 'unknown'}`;
  if (info.status === 'Succeeded') return { state: 'succeeded' };
  if (info.status === 'Failed' || info.status === 'Stopped') {
    if (rollbackDeployment) return { state: 'failed', reason: `the rollback deployment ${info.deploymentId} ${info.status}: ${reason}` };
    return info.rollbackInfo?.rollbackDeploymentId
      ? {
          state: 'rolled-back',
          reason: `${reason} (CodeDeploy rolled back with ${info.rollbackInfo.rollbackDeploymentId})`,
          complete: true,
        }
      : { state: 'failed', reason };
  }
  return { state: 'in-progress' };
}

function progress(service: string, info: DeploymentInfo): string {
  const o = info.deploymentOverview;
  const counts = o ? ` (${o.Succeeded ?? 0} succeeded, ${o.InProgress ?? 0} in progress, ${o.Failed ?? 0} failed)` : '';
  return `${service}: CodeDeploy ${info.deploymentId ?? ''} ${info.status ?? 'unknown'}${counts}`;
}

/** The ECS target's lifecycle events (BeforeInstall … AfterAllowTraffic) with their status, once the deployment is final. */
async function logLifecycleEvents(
  client: CodeDeployApi,
  service: string,
  deploymentId: string,
  logger: { info(m: string): void },
): Promise<void> {
  try {
    const targets = await client.listDeploymentTargets({ deploymentId });
    const targetId = targets.targetIds?.[0];
    if (!targetId) return;
    const target = await client.getDeploymentTarget({ deploymentId, targetId });
    for (const event of target.deploymentTarget?.ecsTarget?.lifecycleEvents ?? []) {
      const why = event.diagnostics?.message ? `: ${event.diagnostics.message}` : '';
      logger.info(`${service}: lifecycle event ${event.lifecycleEventName} ${event.status}${why}`);
    }
  } catch {
    // evidence only; the deployment's errorInformation is reported either way
  }
}
