import { ConfigurationError, quote } from '@baepo/action-kit';

/**
 * A key prefix as S3 stores it: no leading slash, repeated slashes collapsed,
 * and a trailing slash unless empty (`site`, `/site/`, `site//` all become `site/`).
 */
export function normalisePrefix(raw: string | undefined): string {
  const trimmed = (raw ?? '')
    .trim()
    .replace(/\/{2,}/g, '/')
    .replace(/^\//, '');
  if (trimmed === '' || trimmed === '/') return '';
  const segments = trimmed.replace(/\/$/, '').split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new ConfigurationError(
      `Input 'prefix' must not contain '.' or '..' segments; got ${quote(raw ?? '')}. Use a plain path such as 'site/v2'.`,
      {
        input: 'prefix',
      },
    );
  }
  return `${segments.join('/')}/`;
}
