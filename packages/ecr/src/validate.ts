import { ConfigurationError, quote } from '@baepo/action-kit';
import { validateRepositoryName, validateTags } from '@baepo/registry';
import type { EcrPushInputs } from './inputs.js';

export type ImageSourceInput =
  | { kind: 'image'; value: string }
  | { kind: 'oci-layout'; value: string }
  | { kind: 'archive'; value: string };

/** Checks every input that can be checked without AWS; returns the chosen source and clean tags. */
export function validateInputs(inputs: EcrPushInputs): { source: ImageSourceInput; tags: string[] } {
  validateRepositoryName(inputs.repository);
  const tags = validateTags(inputs.tags);
  const given = (['image', 'oci-layout', 'archive'] as const).filter((k) => inputs[k] !== undefined);
  if (given.length !== 1) {
    throw new ConfigurationError(
      given.length === 0
        ? "No image to push: set exactly one of 'image' (a local Docker image), 'oci-layout' (an OCI layout directory) or 'archive' (a docker save or OCI tarball)."
        : `Set exactly one image source; got ${given.map((k) => `'${k}'`).join(' and ')}. Keep the one that holds the image you built.`,
      { input: given[1] ?? 'image' },
    );
  }
  const kind = given[0] as ImageSourceInput['kind'];
  if (kind === 'image' && inputs['image-ref'] !== undefined) {
    throw new ConfigurationError(
      "Input 'image-ref' selects an image inside 'oci-layout' or 'archive'; with 'image', put the tag in 'image' itself.",
      {
        input: 'image-ref',
      },
    );
  }
  const registryId = inputs['registry-id'];
  if (registryId !== undefined && !/^\d{12}$/.test(registryId)) {
    throw new ConfigurationError(
      `Input 'registry-id' must be a 12-digit AWS account ID; got ${quote(registryId)}. Leave it empty for your own account.`,
      {
        input: 'registry-id',
      },
    );
  }
  if (inputs['kms-key'] !== undefined && inputs.encryption !== 'KMS') {
    throw new ConfigurationError("Input 'kms-key' is only used with 'encryption: KMS'; set encryption to KMS or remove kms-key.", {
      input: 'kms-key',
    });
  }
  return { source: { kind, value: inputs[kind] as string }, tags };
}
