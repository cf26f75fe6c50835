import { isIP } from 'node:net';
import { ConfigurationError, quote } from '@baepo/action-kit';

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * The registry URL: the `registry-endpoint` input when given (a VPC endpoint DNS name or a local
 * registry), else ECR's proxy endpoint. Plain http is only accepted for loopback addresses.
 */
export function resolveRegistryEndpoint(input: string | undefined, proxyEndpoint: string): string {
  const raw = input ?? proxyEndpoint;
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigurationError(
      `Input 'registry-endpoint' is not a URL: ${quote(raw)}. Use e.g. 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com'.`,
      {
        input: 'registry-endpoint',
      },
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ConfigurationError(
      `Input 'registry-endpoint' ${quote(raw)} uses plain http, which would send the registry password unencrypted; use https:// (http:// is only allowed for 127.0.0.1/localhost).`,
      { input: 'registry-endpoint' },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`Input 'registry-endpoint' ${quote(raw)} must be an https:// URL.`, { input: 'registry-endpoint' });
  }
  if (url.pathname !== '/' || url.search) {
    throw new ConfigurationError(
      `Input 'registry-endpoint' ${quote(raw)} must be the registry's base URL, without a path (the repository goes in 'repository').`,
      {
        input: 'registry-endpoint',
      },
    );
  }
  return url.origin;
}
