import { ConfigurationError, quote } from '@baepo/action-kit';

const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,299}$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** ECR's tag rule: 1-300 characters, `[a-zA-Z0-9_][a-zA-Z0-9._-]*`. Throws one error naming every bad tag. */
export function validateTags(tags: readonly string[], input = 'tags'): string[] {
  if (tags.length === 0) {
    throw new ConfigurationError(`Input '${input}' needs at least one tag (one per line), e.g. the commit SHA.`, { input });
  }
  const bad = tags.filter((tag) => !TAG.test(tag));
  if (bad.length > 0) {
    throw new ConfigurationError(
      `Input '${input}' has ${bad.length === 1 ? 'an invalid tag' : `${bad.length} invalid tags`}: ${bad.map((t) => quote(t, 60)).join(', ')}. ` +
        'An ECR tag is 1-300 characters: letters, digits and _ first, then letters, digits, _, . and -. ' +
        "Replace other characters (for a branch name such as 'feature/x', use 'feature-x').",
      { input },
    );
  }
  return [...new Set(tags)];
}

/** ECR's repository name rule: 2-256 characters, lowercase path components separated by `/`. */
export function validateRepositoryName(name: string, input = 'repository'): string {
  if (/\.dkr\.ecr\.|amazonaws\.com|^[^/]+:\d+\//.test(name)) {
    throw new ConfigurationError(
      `Input '${input}' must be the repository name only, not a full image URI: got ${quote(name)}. Drop the registry host (e.g. 'shop/api').`,
      { input },
    );
  }
  if (name.length < 2 || name.length > 256 || !REPOSITORY.test(name)) {
    throw new ConfigurationError(
      `Input '${input}' is not a valid ECR repository name: ${quote(name)}. Use 2-256 characters: lowercase letters and digits, ` +
        "separated by '.', '_', '-' or '/' (e.g. 'shop/api'); no leading, trailing or doubled separators, and no registry host or tag.",
      { input },
    );
  }
  return name;
}
