/** The settings an environment carries; `defaults` holds the same keys (minus url). */
export interface Settings {
  awsRegion?: string;
  awsRoleArn?: string;
  ssmPaths?: string[];
  vars?: Record<string, string>;
  url?: string;
}

export type RuleKind = 'branches' | 'tags' | 'pull-requests';
export const RULE_KINDS: readonly RuleKind[] = ['branches', 'tags', 'pull-requests'];

/** One glob of an environment's `match`, with where it was written. */
export interface Rule {
  kind: RuleKind;
  pattern: string;
  /** YAML path, e.g. `environments.qa.match.branches[1]`. */
  path: string;
  line: number;
}

export interface EnvironmentConfig {
  name: string;
  production: boolean;
  /** Rules by kind, in file order. */
  match: Record<RuleKind, Rule[]>;
  settings: Settings;
  line: number;
}

export interface EnvConfig {
  /** The config file as the user knows it (relative to the workspace). */
  file: string;
  defaults: Settings;
  /** In file order: the first match wins. */
  environments: EnvironmentConfig[];
}

export const TOP_LEVEL_KEYS = ['version', 'defaults', 'environments'] as const;
export const DEFAULTS_KEYS = ['aws-region', 'aws-role-arn', 'ssm-paths', 'vars'] as const;
export const ENVIRONMENT_KEYS = ['match', 'production', 'aws-region', 'aws-role-arn', 'ssm-paths', 'url', 'vars'] as const;
