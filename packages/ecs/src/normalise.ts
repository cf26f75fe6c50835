import { DESCRIBE_ONLY_KEYS } from './task-definition-keys.js';

/**
 * A task definition reduced to what matters for "did anything change": no
 * describe-only keys or tags, no empty values, the defaults ECS fills in made
 * explicit or dropped, and name-keyed lists sorted. Pure.
 */
export function normaliseTaskDefinition(taskDefinition: object): Record<string, unknown> {
  const source = { ...(taskDefinition as Record<string, unknown>) };
  for (const key of [...DESCRIBE_ONLY_KEYS, 'tags']) delete source[key];
  const networkMode = (source.networkMode as string | undefined) ?? 'bridge';
  source.networkMode = networkMode;
  if (Array.isArray(source.containerDefinitions)) {
    source.containerDefinitions = source.containerDefinitions.map((c) => normaliseContainer(c as Record<string, unknown>, networkMode));
  }
  return prune(source) as Record<string, unknown>;
}

function normaliseContainer(container: Record<string, unknown>, networkMode: string): Record<string, unknown> {
  const result = { ...container };
  if (result.essential === undefined) result.essential = true;
  if (result.cpu === 0) delete result.cpu;
  for (const key of ['environment', 'secrets']) {
    const list = result[key];
    if (Array.isArray(list)) result[key] = [...list].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }
  if (Array.isArray(result.portMappings)) {
    result.portMappings = result.portMappings.map((mapping: Record<string, unknown>) => {
      const normal = { ...mapping };
      if (normal.protocol === undefined) normal.protocol = 'tcp';
      if (networkMode === 'awsvpc' && normal.hostPort === normal.containerPort) delete normal.hostPort;
      return normal;
    });
  }
  return result;
}

/** Drop undefined, null, empty arrays and empty objects, recursively. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, prune(v)] as const)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value ?? undefined;
}
