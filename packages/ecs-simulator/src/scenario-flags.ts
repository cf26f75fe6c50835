import type { RolloutScenario, RunTaskScenario } from './types.js';

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
      return { service, scenario: { kind } };
    default:
      throw new Error(
        `--scenario "${value}": unknown kind "${kind}"; use healthy[:ticks], image-pull-failure, exit-code:<code>, unhealthy or stuck`,
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
