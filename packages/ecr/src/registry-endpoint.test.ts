import { describe, expect, it } from 'vitest';
import { resolveRegistryEndpoint } from './registry-endpoint.js';

const PROXY = 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('resolveRegistryEndpoint', () => {
  it("uses ECR's proxy endpoint unless overridden", () => {
    expect(resolveRegistryEndpoint(undefined, PROXY)).toBe(PROXY);
    expect(resolveRegistryEndpoint('vpce-1.dkr.ecr.eu-west-1.vpce.amazonaws.com', PROXY)).toBe(
      'https://vpce-1.dkr.ecr.eu-west-1.vpce.amazonaws.com',
    );
  });

  it('allows plain http only for loopback', () => {
    expect(resolveRegistryEndpoint('http://127.0.0.1:5000', PROXY)).toBe('http://127.0.0.1:5000');
    expect(resolveRegistryEndpoint('http://localhost:5000/', PROXY)).toBe('http://localhost:5000');
    expect(resolveRegistryEndpoint('http://[::1]:5000', PROXY)).toBe('http://[::1]:5000');
    expect(() => resolveRegistryEndpoint('http://10.0.0.5:5000', PROXY)).toThrow(/plain http/);
    expect(() => resolveRegistryEndpoint('http://127.example.com', PROXY)).toThrow(/plain http/);
  });

  it('rejects a path or another scheme', () => {
    expect(() => resolveRegistryEndpoint('https://r.example.com/shop/api', PROXY)).toThrow(/without a path/);
    expect(() => resolveRegistryEndpoint('ftp://r.example.com', PROXY)).toThrow(/must be an https/);
  });
});
