import { normaliseTaskDefinition } from './normalise.js';

export interface Change {
  kind: 'added' | 'removed' | 'changed';
  path: string;
  before?: string;
  after?: string;
}

/** What differs between two task definitions, as readable paths (`containerDefinitions[api].image`). Pure. */
export function diffTaskDefinitions(current: object | undefined, next: object): Change[] {
  const before = current ? flatten(normaliseTaskDefinition(current)) : new Map<string, string>();
  const after = flatten(normaliseTaskDefinition(next));
  const changes: Change[] = [];
  for (const [path, value] of after) {
    const old = before.get(path);
    if (old === undefined) changes.push({ kind: 'added', path, after: value });
    else if (old !== value) changes.push({ kind: 'changed', path, before: old, after: value });
  }
  for (const [path, value] of before) if (!after.has(path)) changes.push({ kind: 'removed', path, before: value });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/** One line per change: `~ path: old -> new`, `+ path: new`, `- path: old`. */
export function formatChanges(changes: Change[]): string[] {
  return changes.map((c) => {
    if (c.kind === 'added') return `+ ${c.path}: ${c.after}`;
    if (c.kind === 'removed') return `- ${c.path}: ${c.before}`;
    return `~ ${c.path}: ${c.before} -> ${c.after}`;
  });
}

/**
 * Leaves by path. Lists of named objects are keyed by name; `environment` and
 * `secrets` entries become `environment.NAME` so a diff reads like a config change.
 */
function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    const named = value.every((v) => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string');
    if (named && /(environment|secrets)$/.test(path)) {
      for (const entry of value as { name: string; value?: unknown; valueFrom?: unknown }[]) {
        into.set(`${path}.${entry.name}`, JSON.stringify(entry.value ?? entry.valueFrom));
      }
    } else if (named) {
      for (const entry of value as { name: string }[]) flatten(entry, `${path}[${entry.name}]`, into);
    } else if (value.every((v) => typeof v !== 'object' || v === null)) {
      into.set(path, JSON.stringify(value));
    } else {
      value.forEach((entry, index) => {
        flatten(entry, `${path}[${index}]`, into);
      });
    }
    return into;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'name' && /\]$/.test(path)) continue;
      flatten(child, path ? `${path}.${key}` : key, into);
    }
    return into;
  }
  into.set(path, JSON.stringify(value));
  return into;
}
