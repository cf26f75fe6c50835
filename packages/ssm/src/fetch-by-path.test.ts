import { describe, expect, it } from 'vitest';
import { fetchByPath } from './fetch-by-path.js';
import type { SsmApi } from './ssm-api.js';

function scripted(pages: { names: string[]; token?: string }[]): SsmApi & { tokens: (string | undefined)[] } {
  const tokens: (string | undefined)[] = [];
  let i = 0;
  return {
    tokens,
    getParametersByPath: async (input) => {
      tokens.push(input.NextToken);
      const page = pages[i++] ?? { names: [] };
      return { Parameters: page.names.map((Name) => ({ Name, Type: 'String', Value: Name, Version: 1 })), NextToken: page.token };
    },
    getParameters: async () => ({}),
  };
}

describe('fetchByPath', () => {
  it('follows NextToken through empty pages until there is none', async () => {
    const ssm = scripted([{ names: ['/a/1'], token: 't1' }, { names: [], token: 't2' }, { names: ['/a/2'] }]);
    const result = await fetchByPath(ssm, '/a', { recursive: true, decrypt: true });
    expect(result.map((p) => p.name)).toEqual(['/a/1', '/a/2']);
    expect(ssm.tokens).toEqual([undefined, 't1', 't2']);
  });

  it('stops with an error when the service repeats a token', async () => {
    const ssm = scripted([
      { names: ['/a/1'], token: 'same' },
      { names: ['/a/2'], token: 'same' },
    ]);
    await expect(fetchByPath(ssm, '/a', { recursive: true, decrypt: true })).rejects.toThrow(/same NextToken twice/);
  });
});
