import { ConfigurationError, quote } from '@baepo/action-kit';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);

/** True for a valid image reference: `repo`, `host:port/repo:tag`, `repo@sha256:<64 hex>`. */
export function isImageReference(value: string): boolean {
  return value.length <= 4096 && REFERENCE.test(value);
}

/** Throw a ConfigurationError naming the input and container for an invalid reference. */
export function checkImageReference(value: string, input: string, container: string): void {
  if (isImageReference(value)) return;
  throw new ConfigurationError(
    `Input '${input}': ${quote(value)} is not a valid image reference for container ${quote(container)}. ` +
      'Use [registry/]repository[:tag][@sha256:<64 hex digits>] with a lower-case repository, e.g. ' +
      "'123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/api@sha256:…' (the 'image' output of ecr-push).",
    { input },
  );
}
