import { type PlaceholderValues, renderPlaceholders } from './placeholders.js';
import { imageTag, refSlug, semverVersion, shortSha } from './ref-names.js';
import type { EnvConfig } from './schema.js';
import { type Selection, selectEnvironment } from './select-environment.js';
import type { Trigger } from './trigger.js';

/** Everything resolve-env outputs, by output name. */
export interface Resolution {
  environment: string;
  deploy: boolean;
  'is-production': boolean;
  'aws-region': string;
  'aws-role-arn': string;
  'ssm-paths': string[];
  vars: Record<string, string>;
  url: string;
  'ref-name': string;
  'ref-slug': string;
  'ref-type': Trigger['refType'];
  'sha-short': string;
  version: string;
  'image-tag': string;
  matched: string;
}

export interface ResolveOptions {
  sha: string;
  runNumber: string;
  /** The `environment` input. */
  environment?: string;
}

/** Pick the environment for a trigger and render its settings (defaults merged under it). */
export function resolve(config: EnvConfig, trigger: Trigger, options: ResolveOptions): Resolution {
  const selection: Selection = selectEnvironment(config, trigger, options.environment);
  const slug = refSlug(trigger.refName);
  const shaShort = shortSha(options.sha);
  const version = trigger.refType === 'tag' ? semverVersion(trigger.refName) : '';
  const common = {
    'ref-name': trigger.refName,
    'ref-slug': slug,
    'ref-type': trigger.refType,
    'sha-short': shaShort,
    version,
    'image-tag': imageTag(version, slug, shaShort),
    matched: selection.matched,
  };
  if (selection.kind === 'none') {
    return {
      environment: '',
      deploy: false,
      'is-production': false,
      'aws-region': '',
      'aws-role-arn': '',
      'ssm-paths': [],
      vars: {},
      url: '',
      ...common,
    };
  }
  const { environment } = selection;
  const values: PlaceholderValues = {
    environment: environment.name,
    'ref-name': trigger.refName,
    'ref-slug': slug,
    sha: options.sha,
    'sha-short': shaShort,
    'pr-number': trigger.prNumber,
    version,
    'run-number': options.runNumber,
  };
  const render = (text: string) => renderPlaceholders(text, values);
  const { defaults } = config;
  const { settings } = environment;
  const vars = { ...defaults.vars, ...settings.vars };
  return {
    environment: environment.name,
    deploy: true,
    'is-production': environment.production,
    'aws-region': settings.awsRegion ?? defaults.awsRegion ?? '',
    'aws-role-arn': settings.awsRoleArn ?? defaults.awsRoleArn ?? '',
    'ssm-paths': (settings.ssmPaths ?? defaults.ssmPaths ?? []).map(render),
    vars: Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, render(value)])),
    url: render(settings.url ?? ''),
    ...common,
  };
}
