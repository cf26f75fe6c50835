import { codeDeployOperations } from './codedeploy/operations.js';
import { CodeDeployState } from './codedeploy/state.js';
import { EcsState, ecsOperations, fireSecondActors, tickEcs, updateService } from './ecs/index.js';
import { progressView } from './ecs/service-deployments.js';
import { Faults } from './faults.js';
import { LogsState } from './logs.js';
import type { Operations } from './operations.js';
import { type ServiceBinding, startJsonServer } from './server.js';
import { startTicker } from './ticker.js';
import type { EcsSimulator, EcsSimulatorOptions, RecordedCall } from './types.js';

function binding<S>(targetPrefix: string, service: string, operations: Operations<S>, state: (region: string) => S): ServiceBinding {
  return {
    targetPrefix,
    service,
    has: (operation) => Object.hasOwn(operations, operation),
    handle: (operation, input, region) => operations[operation]?.(state(region), input),
  };
}

/** One region's ECS, CloudWatch Logs and CodeDeploy: resources, ARNs and deployments of that region only. */
interface Region {
  ecs: EcsState;
  logs: LogsState;
  codeDeploy: CodeDeployState;
}

/** Start the simulator: an ECS + CloudWatch Logs endpoint on 127.0.0.1 with its own clock. */
export async function startEcsSimulator(options: EcsSimulatorOptions = {}): Promise<EcsSimulator> {
  const region = options.region ?? 'ap-northeast-2';
  const accountId = options.accountId ?? '123456789012';
  const regions = new Map<string, Region>();
  /** A region's state, created on first use: each region sees only its own resources. */
  const inRegion = (name: string): Region => {
    let found = regions.get(name);
    if (!found) {
      const logs = new LogsState(name, accountId);
      const ecs = new EcsState(
        {
          region: name,
          accountId,
          circuitBreakerThreshold: options.circuitBreakerThreshold,
          minuteTicks: options.minuteTicks,
          tickMs: options.tickMs,
        },
        logs,
      );
      found = { ecs, logs, codeDeploy: new CodeDeployState(ecs) };
      regions.set(name, found);
    }
    return found;
  };
  // The control surface acts on the simulator's own region.
  const { ecs, logs, codeDeploy } = inRegion(region);
  const faults = new Faults();
  const calls: RecordedCall[] = [];
  const server = await startJsonServer({
    port: options.port,
    defaultRegion: region,
    faults,
    calls,
    bindings: [
      {
        ...binding('AmazonEC2ContainerServiceV20141113', 'ecs', ecsOperations, (r) => inRegion(r).ecs),
        handle: (operation, input, r) => {
          const state = inRegion(r).ecs;
          // A copy: the answer must show the state before a second actor's UpdateService changes it.
          const answer = structuredClone(ecsOperations[operation]?.(state, input));
          fireSecondActors(state, updateService, operation);
          return answer;
        },
      },
      binding('Logs_20140328', 'logs', logs.operations, (r) => inRegion(r).logs),
      binding('CodeDeploy_20141006', 'codedeploy', codeDeployOperations, (r) => inRegion(r).codeDeploy),
    ],
  });
  const step = (): void => {
    for (const r of regions.values()) {
      tickEcs(r.ecs);
      r.codeDeploy.tick();
    }
  };
  const ticker = startTicker(options.tickMs ?? 100, step);
  return {
    endpoint: server.endpoint,
    accountId,
    region,
    setScenario: (service, scenario, cluster) => {
      ecs.scenarios.set(`${cluster ?? '*'}/${service}`, scenario);
    },
    setRunTaskScenario: (family, scenario) => {
      ecs.runTaskScenarios.set(family, scenario);
    },
    scheduleUpdate: (service, actor, cluster) => {
      ecs.actors.add({ cluster: cluster ?? '*', service, actor, calls: 0, ...(actor.armed === 'now' ? { armedTick: ecs.tick } : {}) });
    },
    injectFaults: (spec) => faults.add(spec),
    denyPassRole: (roleArn) => {
      ecs.deniedRoles.add(roleArn);
    },
    setHookResult: (hookTargetArn, result) => {
      ecs.hookResults.set(hookTargetArn, result);
    },
    setCodeDeployScenario: (deploymentGroup, scenario, application) => {
      codeDeploy.scenarios.set(`${application ?? '*'}/${deploymentGroup}`, scenario);
    },
    serviceDeployments: () => [...ecs.serviceDeployments.values()].map(progressView),
    calls: () => [...calls],
    clearCalls: () => {
      calls.length = 0;
    },
    completedRollouts: () => [...ecs.rollouts],
    tick: (count = 1) => {
      for (let i = 0; i < count; i++) step();
    },
    logLines: (group, stream) => logs.lines(group, stream),
    reset: () => {
      for (const r of regions.values()) {
        r.ecs.reset();
        r.logs.reset();
        r.codeDeploy.reset();
      }
      faults.clear();
      calls.length = 0;
    },
    stop: async () => {
      ticker.stop();
      await server.stop();
    },
  };
}
