import type { SsmApi, SsmParameter } from './ssm-api.js';

/** An in-memory Parameter Store for unit tests: pages of `MaxResults`, counts calls, can fail chosen calls. */
export type FailRule = (call: { operation: string; input: Record<string, unknown> }) => unknown;

export function fakeSsm(
  parameters: readonly SsmParameter[],
  options: { fail?: FailRule } = {},
): SsmApi & { calls: { operation: string; input: Record<string, unknown> }[] } {
  const calls: { operation: string; input: Record<string, unknown> }[] = [];
  const wire = (p: SsmParameter) => ({ Name: p.name, Type: p.type, Value: p.value, Version: p.version });
  return {
    calls,
    async getParametersByPath(input) {
      calls.push({ operation: 'GetParametersByPath', input: { ...input } });
      const failure = options.fail?.({ operation: 'GetParametersByPath', input: { ...input } });
      if (failure) throw failure;
      const base = input.Path === '/' ? '/' : `${input.Path}/`;
      const matching = parameters.filter((p) => p.name.startsWith(base) && (input.Recursive || !p.name.slice(base.length).includes('/')));
      const start = Number(input.NextToken ?? 0);
      const size = input.MaxResults ?? 10;
      const page = matching.slice(start, start + size);
      return { Parameters: page.map(wire), NextToken: start + size < matching.length ? String(start + size) : undefined };
    },
    async getParameters(input) {
      calls.push({ operation: 'GetParameters', input: { ...input } });
      const failure = options.fail?.({ operation: 'GetParameters', input: { ...input } });
      if (failure) throw failure;
      const names = input.Names ?? [];
      const found = parameters.filter((p) => names.includes(p.name));
      return { Parameters: found.map(wire), InvalidParameters: names.filter((n) => !found.some((p) => p.name === n)) };
    },
  };
}

export const param = (name: string, value: string, type: SsmParameter['type'] = 'String', version = 1): SsmParameter => ({
  name,
  value,
  type,
  version,
});
