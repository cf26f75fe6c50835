import { ConfigurationError } from '@baepo/action-kit';
import type { GitHubContext } from './trigger.js';

/**
 * The GitHub context from the runner's environment: GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_SHA,
 * GITHUB_RUN_NUMBER and the event payload at GITHUB_EVENT_PATH (an unreadable payload reads as {}).
 */
export function githubContextFromEnv(env: NodeJS.ProcessEnv, readFile: (path: string) => string): GitHubContext {
  const sha = env.GITHUB_SHA ?? '';
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) {
    throw new ConfigurationError(
      `GITHUB_SHA is ${sha === '' ? 'not set' : `'${sha}', not a commit SHA`}; run this action in a GitHub Actions job.`,
    );
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: sha.toLowerCase(),
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    payload: readPayload(env.GITHUB_EVENT_PATH, readFile),
  };
}

function readPayload(path: string | undefined, readFile: (path: string) => string): Record<string, unknown> {
  if (!path) return {};
  try {
    const parsed: unknown = JSON.parse(readFile(path));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
