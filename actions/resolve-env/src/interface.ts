import { choice, text } from '@baepo/action-kit';

export const inputs = {
  config: text({ default: '.github/baepo.yml' }),
  environment: text(),
  ref: text(),
  'on-no-match': choice(['skip', 'fail'], { default: 'skip' }),
};

export const outputs = [
  'environment',
  'deploy',
  'is-production',
  'aws-region',
  'aws-role-arn',
  'ssm-paths',
  'vars',
  'url',
  'ref-name',
  'ref-slug',
  'ref-type',
  'sha-short',
  'version',
  'image-tag',
  'matched',
] as const;
