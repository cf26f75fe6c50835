import { boolean, choice, integer, list, text } from '@baepo/action-kit';

export const inputs = {
  repository: text({ required: true }),
  tags: list({ required: true }),
  image: text(),
  'oci-layout': text(),
  'image-ref': text(),
  archive: text(),
  'registry-id': text(),
  'registry-endpoint': text(),
  'create-repository': boolean({ default: false }),
  'tag-mutability': choice(['MUTABLE', 'IMMUTABLE'], { default: 'MUTABLE' }),
  'scan-on-push': boolean({ default: true }),
  encryption: choice(['AES256', 'KMS'], { default: 'AES256' }),
  'kms-key': text(),
  login: boolean({ default: true }),
  concurrency: integer({ default: 4, min: 1, max: 32 }),
};

export const outputs = ['registry', 'image', 'digest', 'image-uris', 'pushed-bytes', 'reused-blobs'] as const;
