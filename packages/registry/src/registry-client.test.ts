import { describe, expect, it } from 'vitest';
import { RegistryClient } from './registry-client.js';

describe('RegistryClient authentication', () => {
  it('sends Basic credentials, and answers a Bearer challenge with a token from the realm', async () => {
    const seen: { url: string; auth: string }[] = [];
    const fetchFn = (async (input: string | URL, init: RequestInit = {}) => {
      const url = new URL(String(input));
      const auth = (init.headers as Record<string, string>).Authorization ?? '';
      seen.push({ url: `${url.pathname}${url.search}`, auth });
      if (url.pathname === '/token') {
        return Response.json({ token: auth.startsWith('Basic ') ? 'tok-1' : 'wrong' });
      }
      if (auth !== 'Bearer tok-1') {
        return new Response('{}', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="http://127.0.0.1:5000/token",service="registry",scope="repository:shop/api:pull"' },
        });
      }
      return new Response(null, { status: 200, headers: { 'docker-content-digest': `sha256:${'a'.repeat(64)}` } });
    }) as typeof fetch;
    const client = new RegistryClient({
      endpoint: 'http://127.0.0.1:5000',
      credentials: { username: 'AWS', password: 'pw' },
      fetch: fetchFn,
    });
    await expect(client.headManifest('shop/api', 'v1')).resolves.toBe(`sha256:${'a'.repeat(64)}`);
    expect(seen[0]?.auth).toBe(`Basic ${Buffer.from('AWS:pw').toString('base64')}`);
    expect(seen[1]?.url).toBe('/token?service=registry&scope=repository%3Ashop%2Fapi%3Apull');
    expect(seen[2]?.auth).toBe('Bearer tok-1');
    // the token is reused for the same scope: one request, no new challenge
    await client.headManifest('shop/api', 'v2');
    expect(seen).toHaveLength(4);
  });
});
