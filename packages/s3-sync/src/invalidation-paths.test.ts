import { describe, expect, it } from 'vitest';
import { invalidationPaths } from './invalidation-paths.js';

describe('invalidationPaths', () => {
  it('adds /dir/ and /dir for dir/index.html, and / for the root page', () => {
    expect(invalidationPaths(['index.html', 'docs/guide/index.html', 'app.js'])).toEqual([
      '/',
      '/app.js',
      '/docs/guide',
      '/docs/guide/',
      '/docs/guide/index.html',
      '/index.html',
    ]);
  });
  it('includes the prefix as part of the key', () => {
    expect(invalidationPaths(['pr-7/index.html'])).toEqual(['/pr-7', '/pr-7/', '/pr-7/index.html']);
  });
  it('URL-encodes segments', () => {
    expect(invalidationPaths(['docs/hello world.html', 'ü.txt'])).toEqual(['/docs/hello%20world.html', '/%C3%BC.txt']);
  });
  it('widens a key holding * to a trailing wildcard (CloudFront allows * only as the last character)', () => {
    expect(invalidationPaths(['img/st*ar.png', 'a*b/index.html', 'end*', '*'])).toEqual(['/*', '/a*', '/end*', '/img/st*']);
  });
  it('encodes non-ASCII and RFC 1738 unsafe characters, and no other (as CloudFront requires)', () => {
    expect(invalidationPaths(['a b?c#d%e.txt', "f+g,h;i=j@k&l$m!n'o(p)~q.txt", 'cr\rlf\n.txt', '<{|}>^`[]"\\.txt'])).toEqual([
      '/%3C%7B%7C%7D%3E%5E%60%5B%5D%22%5C.txt',
      '/a%20b%3Fc%23d%25e.txt',
      '/cr%0Dlf%0A.txt',
      "/f+g,h;i=j@k&l$m!n'o(p)%7Eq.txt",
    ]);
  });
  it('collapses the deepest directories to wildcards past the limit', () => {
    const keys = [...Array.from({ length: 20 }, (_, i) => `assets/js/chunk-${i}.js`), 'index.html', 'about/index.html'];
    expect(invalidationPaths(keys, 10)).toEqual(['/', '/about', '/about/', '/about/index.html', '/assets/js/*', '/index.html']);
    expect(invalidationPaths(keys, 5)).toEqual(['/', '/about', '/about/*', '/assets/*', '/index.html']);
    expect(invalidationPaths(keys, 3)).toEqual(['/*']);
  });
});
