import { ConfigurationError, quote } from '@baepo/action-kit';
import { globMatches } from './glob.js';
import type { EnvConfig, EnvironmentConfig, Rule } from './schema.js';
import { closest } from './suggest.js';
import type { Trigger } from './trigger.js';

export type Selection =
  | { kind: 'override'; environment: EnvironmentConfig; matched: string }
  | { kind: 'rule'; environment: EnvironmentConfig; rule: Rule; matched: string }
  | { kind: 'none'; matched: string };

/**
 * The environment a trigger deploys to: the one named by `override` (the `environment`
 * input), else the first environment in file order with a matching rule, else none.
 */
export function selectEnvironment(config: EnvConfig, trigger: Trigger, override?: string): Selection {
  if (override !== undefined) {
    const environment = config.environments.find((e) => e.name === override);
    if (!environment) {
      const names = config.environments.map((e) => e.name);
      const hint = closest(override, names);
      throw new ConfigurationError(
        `Input 'environment' is ${quote(override)}, which ${config.file} does not define${hint ? ` (did you mean '${hint}'?)` : ''}; ` +
          `configured environments: ${names.join(', ')}.`,
        { input: 'environment' },
      );
    }
    return {
      kind: 'override',
      environment,
      matched: `environment '${environment.name}' was chosen by the 'environment' input (${trigger.description}, rules not consulted)`,
    };
  }
  for (const environment of config.environments) {
    const rule = environment.match[trigger.ruleKind].find((r) => globMatches(r.pattern, trigger.matchName));
    if (rule) return { kind: 'rule', environment, rule, matched: `${trigger.description} matched ${rule.path} '${rule.pattern}'` };
  }
  const tried = config.environments
    .filter((e) => e.match[trigger.ruleKind].length > 0)
    .map((e) => `environments.${e.name}.match.${trigger.ruleKind} [${e.match[trigger.ruleKind].map((r) => `'${r.pattern}'`).join(', ')}]`);
  return {
    kind: 'none',
    matched:
      tried.length > 0
        ? `${trigger.description} matched no environment; tried ${tried.join(', ')}`
        : `${trigger.description} matched no environment; no environment has match.${trigger.ruleKind} rules`,
  };
}
