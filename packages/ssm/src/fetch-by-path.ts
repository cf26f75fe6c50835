import { type SsmApi, type SsmParameter, toSsmParameter } from './ssm-api.js';

/** The API maximum for GetParametersByPath; fewer would mean more calls. */
export const PAGE_SIZE = 10;

/** Every parameter under a path, following NextToken through all pages (MaxResults 10, the API maximum). */
export async function fetchByPath(
  ssm: SsmApi,
  path: string,
  options: { recursive: boolean; decrypt: boolean; signal?: AbortSignal },
): Promise<SsmParameter[]> {
  const parameters: SsmParameter[] = [];
  let token: string | undefined;
  do {
    const page = await ssm.getParametersByPath(
      { Path: path, Recursive: options.recursive, WithDecryption: options.decrypt, MaxResults: PAGE_SIZE, NextToken: token },
      options.signal,
    );
    for (const p of page.Parameters ?? []) parameters.push(toSsmParameter(p));
    if (page.NextToken !== undefined && page.NextToken === token) {
      throw new Error(`ssm:GetParametersByPath for '${path}' returned the same NextToken twice; stopping to avoid an endless loop.`);
    }
    token = page.NextToken || undefined;
  } while (token);
  return parameters;
}
