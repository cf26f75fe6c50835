import { createHash } from 'node:crypto';

/** A ref name safe in DNS labels and resource names: lowercase, [a-z0-9-], at most 63 characters. */
export function refSlug(refName: string): string {
  return refName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

// semver.org's regular expression, with an optional leading `v`.
const SEMVER =
  /^v?((?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?)$/;

/** `1.2.3-rc.1+build` for the tag `v1.2.3-rc.1+build`; empty when the tag is not semver. */
export function semverVersion(tag: string): string {
  return SEMVER.exec(tag)?.[1] ?? '';
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The OCI distribution spec's tag rule: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
export const MAX_IMAGE_TAG_LENGTH = 128;
const TAG_HASH_LENGTH = 12;

/**
 * The container image tag: the version for a semver tag (`+` becomes `_`, as Helm does,
 * because OCI tags cannot hold `+`), else `<ref-slug>-<sha-short>`. A version longer than
 * 128 characters keeps its first 115 and ends in `-` + 12 hex digits of its SHA-256, so two
 * long versions that share a prefix still get different tags.
 */
export function imageTag(version: string, slug: string, shaShort: string): string {
  if (version !== '') return fitTag(version.replace(/\+/g, '_'));
  return slug === '' ? shaShort : `${slug}-${shaShort}`;
}

function fitTag(tag: string): string {
  if (tag.length <= MAX_IMAGE_TAG_LENGTH) return tag;
  const hash = createHash('sha256').update(tag).digest('hex').slice(0, TAG_HASH_LENGTH);
  return `${tag.slice(0, MAX_IMAGE_TAG_LENGTH - TAG_HASH_LENGTH - 1)}-${hash}`;
}
