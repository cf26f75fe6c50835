import type { CodeDeployScenario, HookResult, RolloutScenario, RunTaskScenario } from './types.js';

/** `--scenario` values: `<service>=healthy[:ticks]|image-pull-failure|exit-code:<code>|unhealthy|stuck`. */
export function parseScenarioFlag(value: string): { service: string; scenario: RolloutScenario } {
  const [service, spec] = splitFlag(value, '--scenario');
  const [kind, arg] = spec.split(':');
  switch (kind) {
    case 'healthy':
      return { service, scenario: arg ? { kind, ticks: toInteger(arg, value) } : { kind } };
    case 'exit-code':
      return { service, scenario: { kind, exitCode: toInteger(arg ?? '1', value) } };
    case 'image-pull-failure':
    case 'unhealthy':
    case 'stuck':
    case 'unhealthy-after-shift':
      return { service, scenario: { kind } };
    default:
      throw new Error(
        `--scenario "${value}": unknown kind "${kind}"; use healthy[:ticks], image-pull-failure, exit-code:<code>, unhealthy, stuck or unhealthy-after-shift`,
      );
  }
}

/** `--run-task` values: `<family>=exit:<code>|start-failure`. */
export function parseRunTaskFlag(value: string): { family: string; scenario: RunTaskScenario } {
  const [family, spec] = splitFlag(value, '--run-task');
  const [kind, arg] = spec.split(':');
  if (kind === 'exit') return { family, scenario: { kind, exitCode: toInteger(arg ?? '0', value) } };
  if (kind === 'start-failure') return { family, scenario: { kind } };
  throw new Error(`--run-task "${value}": unknown kind "${kind}"; use exit:<code> or start-failure`);
}

function splitFlag(value: string, flag: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new Error(`${flag} "${value}": expected <name>=<scenario>`);
  return [value.slice(0, at), value.slice(at + 1)];
}

function toInteger(text: string, value: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`"${value}": "${text}" is not a whole number`);
  return Number(text);
}

/** `--codedeploy` values: `<deployment-group>=healthy|failing[:<LifecycleEvent>]|stuck`. */
export function parseCodeDeployFlag(value: string): { group: string; scenario: CodeDeployScenario } {
  const [group, spec] = splitFlag(value, '--codedeploy');
  const [kind, arg] = spec.split(':');
  if (kind === 'healthy' || kind === 'stuck') return { group, scenario: { kind } };
  if (kind === 'failing') return { group, scenario: arg ? { kind, lifecycleEvent: arg } : { kind } };
  throw new Error(`--codedeploy "${value}": unknown kind "${kind}"; use healthy, failing[:<LifecycleEvent>] or stuck`);
}

/** `--hook` values: `<hookTargetArn>=SUCCEEDED|FAILED|IN_PROGRESS` (the ARN contains ':', the result does not). */
export function parseHookFlag(value: string): { arn: string; result: HookResult } {
  const at = value.lastIndexOf('=');
  const arn = value.slice(0, at);
  const result = value.slice(at + 1);
  if (at <= 0 || !['SUCCEEDED', 'FAILED', 'IN_PROGRESS'].includes(result)) {
    throw new Error(`--hook "${value}": expected <hookTargetArn>=SUCCEEDED|FAILED|IN_PROGRESS`);
  }
  return { arn, result: result as HookResult };
}
