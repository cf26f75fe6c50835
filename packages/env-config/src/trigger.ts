import { ConfigurationError, quote } from '@baepo/action-kit';
import type { RuleKind } from './schema.js';

/** What GitHub tells an action about the run: the runner's GITHUB_* variables and the event payload. */
export interface GitHubContext {
  eventName: string;
  /** GITHUB_REF, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/42/merge. */
  ref: string;
  sha: string;
  runNumber: string;
  payload: Record<string, unknown>;
}

/** The ref a run deploys, and the name its environment rules are matched against. */
export interface Trigger {
  event: string;
  refType: 'branch' | 'tag' | 'pull-request';
  /** Branch or tag name; for pull requests the head branch. */
  refName: string;
  /** Which rules apply and the name they are matched against (a PR's base branch, a merge queue's target). */
  ruleKind: RuleKind;
  matchName: string;
  prNumber: string;
  /** How the ref reads in a sentence: `branch 'main'`, `pull request #42 into 'main'`. */
  description: string;
}

/**
 * Work out what a run deploys. `refOverride` (the `ref` input) replaces the event's ref:
 * `refs/heads/x`, `refs/tags/x`, or a bare branch name.
 */
export function readTrigger(github: GitHubContext, refOverride?: string): Trigger {
  const event = github.eventName;
  if (refOverride !== undefined) return fromRef(event, parseRefOverride(refOverride));
  switch (event) {
    case 'pull_request':
    case 'pull_request_target':
      return fromPullRequest(event, github.payload);
    case 'release': {
      const tag = stringAt(github.payload, ['release', 'tag_name']);
      if (tag) return fromRef(event, { type: 'tag', name: tag });
      break;
    }
    case 'merge_group': {
      const base = stringAt(github.payload, ['merge_group', 'base_ref']);
      const parsed = parseRef(github.ref);
      if (base && parsed) {
        const target = base.replace(/^refs\/heads\//, '');
        return { ...fromRef(event, parsed), matchName: target, description: `merge queue for branch '${target}'` };
      }
      break;
    }
  }
  const parsed = parseRef(github.ref);
  if (!parsed) {
    throw new ConfigurationError(
      `Cannot tell which branch or tag the '${event}' event is for: GITHUB_REF is ${quote(github.ref)}. ` +
        "Set the 'ref' input (e.g. 'refs/heads/main' or 'refs/tags/v1.2.3').",
      { input: 'ref' },
    );
  }
  return fromRef(event, parsed);
}

type ParsedRef = { type: 'branch' | 'tag'; name: string };

function parseRef(ref: string): ParsedRef | undefined {
  if (ref.startsWith('refs/heads/') && ref.length > 11) return { type: 'branch', name: ref.slice(11) };
  if (ref.startsWith('refs/tags/') && ref.length > 10) return { type: 'tag', name: ref.slice(10) };
  return undefined;
}

function parseRefOverride(ref: string): ParsedRef {
  const parsed = parseRef(ref);
  if (parsed) return parsed;
  if (ref.startsWith('refs/') || /\s/.test(ref)) {
    throw new ConfigurationError(`Input 'ref' must be 'refs/heads/<branch>', 'refs/tags/<tag>' or a branch name; got ${quote(ref)}.`, {
      input: 'ref',
    });
  }
  return { type: 'branch', name: ref };
}

function fromRef(event: string, ref: ParsedRef): Trigger {
  return {
    event,
    refType: ref.type,
    refName: ref.name,
    ruleKind: ref.type === 'branch' ? 'branches' : 'tags',
    matchName: ref.name,
    prNumber: '',
    description: `${ref.type} '${ref.name}'`,
  };
}

function fromPullRequest(event: string, payload: Record<string, unknown>): Trigger {
  const head = stringAt(payload, ['pull_request', 'head', 'ref']);
  const base = stringAt(payload, ['pull_request', 'base', 'ref']);
  const number = payload.pull_request && (payload.pull_request as Record<string, unknown>).number;
  if (!head || !base || (typeof number !== 'number' && typeof number !== 'string')) {
    throw new ConfigurationError(
      `The '${event}' event payload (GITHUB_EVENT_PATH) has no pull_request.head.ref, pull_request.base.ref and pull_request.number. ` +
        "Run this action in a pull_request workflow, or set the 'ref' input.",
    );
  }
  return {
    event,
    refType: 'pull-request',
    refName: head,
    ruleKind: 'pull-requests',
    matchName: base,
    prNumber: String(number),
    description: `pull request #${number} into '${base}' (from '${head}')`,
  };
}

function stringAt(value: unknown, path: string[]): string | undefined {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' && current !== '' ? current : undefined;
}
