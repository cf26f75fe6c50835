import { describe, expect, it } from 'vitest';
import type { EcrPushInputs } from './inputs.js';
import { validateInputs } from './validate.js';

const base: EcrPushInputs = {
  repository: 'shop/api',
  tags: ['v1'],
  image: undefined,
  'oci-layout': 'build/image',
  'image-ref': undefined,
  archive: undefined,
  'registry-id': undefined,
  'registry-endpoint': undefined,
  'create-repository': false,
  'tag-mutability': 'MUTABLE',
  'scan-on-push': true,
  encryption: 'AES256',
  'kms-key': undefined,
  login: true,
  concurrency: 4,
};

describe('validateInputs', () => {
  it('returns the one source and the tags', () => {
    expect(validateInputs(base)).toEqual({ source: { kind: 'oci-layout', value: 'build/image' }, tags: ['v1'] });
  });

  it('needs exactly one source', () => {
    expect(() => validateInputs({ ...base, 'oci-layout': undefined })).toThrow(/set exactly one of/);
    expect(() => validateInputs({ ...base, image: 'x:1' })).toThrow(/got 'image' and 'oci-layout'/);
  });

  it('checks registry-id, kms-key and image-ref combinations', () => {
    expect(() => validateInputs({ ...base, 'registry-id': '1234' })).toThrow(/12-digit/);
    expect(() => validateInputs({ ...base, 'kms-key': 'alias/x' })).toThrow(/only used with 'encryption: KMS'/);
    expect(() => validateInputs({ ...base, 'oci-layout': undefined, image: 'x:1', 'image-ref': 'v1' })).toThrow(/put the tag in 'image'/);
  });
});
