/**
 * CloudFront paths for changed keys. `dir/index.html` is also served as `/dir/`
 * and `/dir`, so those are invalidated too. Past `limit` paths, the deepest
 * directories collapse to wildcards (`/assets/*`), then shallower ones, and in
 * the end to `/*`: a wildcard counts as one path for CloudFront's price.
 *
 * CloudFront reads `*` only as a wildcard and only as a path's last character (Developer Guide,
 * "What you need to know when invalidating paths"), so a key holding `*` is widened: its path is
 * cut after the first `*` (`/img/st*ar.png` becomes `/img/st*`), which covers it and whatever
 * else starts the same. Escaping it as `%2A` would miss the copy browsers ask for as `*`.
 */
export function invalidationPaths(keys: readonly string[], limit = 15): string[] {
  const paths = new Set<string>();
  for (const key of keys) {
    paths.add(widenWildcard(`/${key}`));
    if (key === 'index.html' || key.endsWith('/index.html')) {
      const dir = key.slice(0, -'index.html'.length);
      paths.add(widenWildcard(`/${dir}`));
      if (dir !== '') paths.add(widenWildcard(`/${dir.slice(0, -1)}`));
    }
  }
  const exact = [...paths].sort();
  if (exact.length <= limit) return exact.map(encodePath);
  const deepest = Math.max(...exact.map((path) => segments(path).length));
  for (let depth = deepest - 1; depth >= 1; depth--) {
    const collapsed = collapse(exact, depth);
    if (collapsed.length <= limit) return collapsed.map(encodePath);
  }
  return ['/*'];
}

function segments(path: string): string[] {
  return path.slice(1).split('/');
}

/** Replace every path with more than `depth` segments by `/<its first depth segments>/*`. */
function collapse(paths: readonly string[], depth: number): string[] {
  const result = new Set<string>();
  for (const path of paths) {
    const parts = segments(path);
    result.add(parts.length > depth ? `/${parts.slice(0, depth).join('/')}/*` : path);
  }
  return [...result].sort();
}

/** The path up to and including its first `*`: CloudFront allows the wildcard only at the end. */
export function widenWildcard(path: string): string {
  const star = path.indexOf('*');
  return star === -1 ? path : path.slice(0, star + 1);
}

/** The path sent for a key (widened at a `*`, encoded), for logs. */
export function invalidationPathOf(key: string): string {
  return encodePath(widenWildcard(`/${key}`));
}

/**
 * Characters left as they are: letters, digits, and the RFC 1738 characters that are neither unsafe
 * nor (like '?' and '#') cut a path short. CloudFront: "If the path includes non-ASCII characters or
 * unsafe characters as defined in RFC 1738, URL-encode those characters. Do not URL-encode any other
 * characters in the path, or CloudFront will not invalidate the old version of the updated file."
 */
const KEPT = /[A-Za-z0-9$\-_.+!'(),;/:@=&]/;

/** URL-encode what CloudFront requires (UTF-8, `%XX`); a trailing `*` stays the wildcard. */
export function encodePath(path: string): string {
  const chars = [...path];
  let out = '';
  for (const [index, char] of chars.entries()) {
    if (KEPT.test(char) || (char === '*' && index === chars.length - 1)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
