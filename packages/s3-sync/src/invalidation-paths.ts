/**
 * CloudFront paths for changed keys. `dir/index.html` is also served as `/dir/`
 * and `/dir`, so those are invalidated too. Past `limit` paths, the deepest
 * directories collapse to wildcards (`/assets/*`), then shallower ones, and in
 * the end to `/*`: a wildcard counts as one path for CloudFront's price.
 */
export function invalidationPaths(keys: readonly string[], limit = 15): string[] {
  const paths = new Set<string>();
  for (const key of keys) {
    paths.add(`/${key}`);
    if (key === 'index.html' || key.endsWith('/index.html')) {
      const dir = key.slice(0, -'index.html'.length);
      paths.add(`/${dir}`);
      if (dir !== '') paths.add(`/${dir.slice(0, -1)}`);
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

/** URL-encode each segment as CloudFront expects (the trailing `*` wildcard is kept). */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment, index, all) => (index === all.length - 1 && segment === '*' ? '*' : encodeURIComponent(segment)))
    .join('/');
}
