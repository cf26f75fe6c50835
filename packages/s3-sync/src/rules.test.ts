import { parseKeyValues } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { detectContentType, isHtml } from './content-type.js';
import { compileGlob, keyFilter } from './globs.js';
import { headerRules } from './header-rules.js';
import { allowedDeletes, parseMaxDelete } from './max-delete.js';
import { normalisePrefix } from './prefix.js';

const rules = (cache: string, type = '') => headerRules(parseKeyValues(cache, 'cache-control'), parseKeyValues(type, 'content-type'));

describe('prefix', () => {
  it('normalises slashes and adds a trailing one', () => {
    expect(normalisePrefix(undefined)).toBe('');
    expect(normalisePrefix('/')).toBe('');
    expect(normalisePrefix('site')).toBe('site/');
    expect(normalisePrefix('/site//v2/')).toBe('site/v2/');
  });
  it('rejects dot segments', () => {
    expect(() => normalisePrefix('a/../b')).toThrow(/Input 'prefix' must not contain '.' or '..' segments; got "a\/..\/b"/);
  });
});

describe('globs', () => {
  it('match dotfiles and nested paths', () => {
    expect(compileGlob('**/*.html', 'x').matches('index.html')).toBe(true);
    expect(compileGlob('**/*.html', 'x').matches('a/b/c.html')).toBe(true);
    expect(compileGlob('.well-known/**', 'x').matches('.well-known/security.txt')).toBe(true);
    expect(compileGlob('assets/**', 'x').matches('other/assets/a.js')).toBe(false);
  });
  it.each([
    ['/abs/**', /remove the leading '\/'/],
    ['!*.map', /negation is not supported/],
    ['../x', /'\.' and '\.\.' segments never match/],
    ['a\\b', /use '\/' to separate directories/],
    ['assets/[ab', /not balanced/],
    ['{a,b', /not balanced/],
  ])('rejects %s with a reason', (pattern, reason) => {
    expect(() => compileGlob(pattern, 'exclude')).toThrow(reason);
    expect(() => compileGlob(pattern, 'exclude')).toThrow(`Input 'exclude' has an invalid glob ${JSON.stringify(pattern)}`);
  });
  it('filters by include then exclude; no include means everything', () => {
    const filter = keyFilter(['assets/**', '*.html'], ['**/*.map']);
    expect(filter.covers('assets/a.js')).toBe(true);
    expect(filter.covers('assets/a.js.map')).toBe(false);
    expect(filter.covers('index.html')).toBe(true);
    expect(filter.covers('robots.txt')).toBe(false);
    expect(keyFilter([], ['.git/**']).covers('robots.txt')).toBe(true);
    expect(keyFilter([], ['.git/**']).covers('.git/HEAD')).toBe(false);
  });
});

describe('header rules', () => {
  it('first matching rule wins; unmatched files get no cache-control', () => {
    const r = rules('index.html=no-store\n**/*.html=no-cache\nassets/**=public, max-age=31536000, immutable');
    expect(r.headersFor('index.html')).toEqual({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' });
    expect(r.headersFor('a/index.html').cacheControl).toBe('no-cache');
    expect(r.headersFor('assets/x.js').cacheControl).toBe('public, max-age=31536000, immutable');
    expect(r.headersFor('robots.txt').cacheControl).toBeUndefined();
  });
  it('content-type overrides win over detection', () => {
    const r = rules('', 'apple-app-site-association=application/json\n**/*.js=application/javascript; charset=utf-8');
    expect(r.headersFor('.well-known/apple-app-site-association').contentType).toBe('application/octet-stream');
    expect(r.headersFor('apple-app-site-association').contentType).toBe('application/json');
    expect(r.headersFor('a/b.js').contentType).toBe('application/javascript; charset=utf-8');
  });
  it('reports rules that match nothing', () => {
    expect(rules('**/*.htm=no-cache\nassets/**=x').unusedRules(['assets/a.js'])).toEqual(['**/*.htm']);
  });
  it('rejects non-ASCII header values and malformed media types', () => {
    expect(() => rules('**=max-age=60 ü')).toThrow(/Input 'cache-control' line 1 \("\*\*"\) has an invalid header value "max-age=60 ü"/);
    expect(() => rules('', '*.html=texthtml')).toThrow(/has an invalid media type "texthtml": write it as 'type\/subtype'/);
    expect(() => rules('[a=no-cache')).toThrow(/invalid glob "\[a"/);
  });
});

describe('content type detection', () => {
  it('adds charset to text types only', () => {
    expect(detectContentType('a/index.html')).toBe('text/html; charset=utf-8');
    expect(detectContentType('app.js')).toBe('text/javascript; charset=utf-8');
    expect(detectContentType('data.json')).toBe('application/json; charset=utf-8');
    expect(detectContentType('font.woff2')).toBe('font/woff2');
    expect(detectContentType('LICENSE')).toBe('application/octet-stream');
    expect(isHtml('text/html; charset=utf-8')).toBe(true);
    expect(isHtml('text/plain')).toBe(false);
  });
});

describe('max-delete', () => {
  it('parses counts and percentages', () => {
    expect(parseMaxDelete('50%')).toEqual({ kind: 'percent', percent: 50 });
    expect(parseMaxDelete('12')).toEqual({ kind: 'count', count: 12 });
    expect(allowedDeletes(parseMaxDelete('50%'), 9)).toBe(4);
    expect(allowedDeletes(parseMaxDelete('100%'), 9)).toBe(9);
    expect(allowedDeletes(parseMaxDelete('0'), 9)).toBe(0);
  });
  it.each(['lots', '150%', '-1', '5 objects'])('rejects %s', (raw) => {
    expect(() => parseMaxDelete(raw)).toThrow(`Input 'max-delete' must be a number of objects (e.g. '100') or a percentage`);
  });
});
