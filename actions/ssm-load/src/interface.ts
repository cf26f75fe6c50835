import { boolean, choice, list, text } from '@baepo/action-kit';
import { NAME_TRANSFORMS } from '@baepo/ssm';

export const inputs = {
  paths: list(),
  names: list(),
  required: list(),
  recursive: boolean({ default: true }),
  decrypt: boolean({ default: true }),
  'name-transform': choice(NAME_TRANSFORMS, { default: 'upper-snake' }),
  prefix: text(),
  'export-env': boolean({ default: true }),
  'set-outputs': boolean({ default: false }),
  'dotenv-file': text(),
  'json-file': text(),
  'expand-json': boolean({ default: false }),
  'string-list': choice(['csv', 'json'], { default: 'csv' }),
  mask: choice(['secure', 'all'], { default: 'secure' }),
  'aws-region': text(),
} as const;

export const outputs = ['count', 'names', 'parameters'] as const;
