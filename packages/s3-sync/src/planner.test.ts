import { describe, expect, it } from 'vitest';
import { keyFilter } from './globs.js';
import { headerRules } from './header-rules.js';
import { keysToInspect, knownFromListing } from './knowledge.js';
import { emptyManifest, type Manifest, type ManifestEntry, parseManifest, serialiseManifest } from './manifest.js';
import { parseMaxDelete } from './max-delete.js';
import { planCounts, planSync } from './planner.js';
import type { RemoteObject } from './remote-listing.js';
import type { LocalFile } from './scanner.js';

// Stand-in hashes: one character repeated (a hex digit where a manifest is parsed).
const md5 = (c: string) => c.repeat(32).slice(0, 32);
const sha = (c: string) => c.repeat(64).slice(0, 64);
const file = (key: string, hash: string, size = 10): LocalFile => ({ key, path: `/src/${key}`, size, sha256: sha(hash), md5: md5(hash) });
const manifestOf = (objects: Record<string, ManifestEntry>): Manifest => ({ version: 2, objects: new Map(Object.entries(objects)) });
const remoteOf = (...objects: RemoteObject[]) => new Map(objects.map((o) => [o.key, o]));
const rules = headerRules([{ key: '**/*.html', value: 'no-cache', line: 1 }], []);
const html = { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' };
const js = { contentType: 'text/javascript; charset=utf-8', cacheControl: undefined };

function plan(
  local: LocalFile[],
  remote: Map<string, RemoteObject>,
  manifest: Manifest = emptyManifest(),
  extra: { delete?: boolean; maxDelete?: string } = {},
) {
  return planSync({
    local,
    remote,
    known: knownFromListing(remote, manifest),
    headersFor: rules.headersFor,
    deleteScope: extra.delete ? keyFilter([], ['.git/**']) : undefined,
    maxDelete: parseMaxDelete(extra.maxDelete ?? '50%'),
  });
}

describe('planSync', () => {
  it('uploads new and changed files, non-HTML before HTML; size or content hash decides, never time', () => {
    const manifest = manifestOf({ 'app.js': { etag: 'e1', sha256: sha('a'), ...js } });
    const result = plan(
      [file('index.html', 'h'), file('app.js', 'b'), file('new.css', 'c')],
      remoteOf({ key: 'app.js', etag: 'e1', size: 10 }),
      manifest,
    );
    expect(result.phases[0].uploads.map((u) => [u.key, u.reason])).toEqual([
      ['app.js', 'changed'],
      ['new.css', 'new'],
    ]);
    expect(result.phases[1].uploads.map((u) => u.key)).toEqual(['index.html']);
    expect(planCounts(result).uploadBytes).toBe(30);
  });

  it('keeps a file whose recorded SHA-256 matches and whose manifest headers match', () => {
    const manifest = manifestOf({ 'a.html': { etag: md5('a'), sha256: sha('a'), ...html } });
    const result = plan([file('a.html', 'a')], remoteOf({ key: 'a.html', etag: md5('a'), size: 10 }), manifest);
    expect(result.unchanged.map((u) => u.key)).toEqual(['a.html']);
    expect(planCounts(result).uploads).toEqual([]);
  });

  it('compares by the recorded SHA-256 when there is one, by MD5 (ETag or an older record) otherwise', () => {
    const remote = remoteOf(
      { key: 'recorded.js', etag: md5('a'), size: 10 },
      { key: 'old-record.js', etag: 'abc-2', size: 10 },
      { key: 'etag-only.js', etag: md5('c'), size: 10 },
    );
    const manifest = manifestOf({
      // The SHA-256 decides even though the ETag (an MD5) matches the file.
      'recorded.js': { etag: md5('a'), sha256: sha('b'), ...js },
      'old-record.js': { etag: 'abc-2', md5: md5('b'), ...js },
    });
    const local = [file('recorded.js', 'a'), file('old-record.js', 'b'), file('etag-only.js', 'c')];
    const result = plan(local, remote, manifest);
    expect(result.phases[0].uploads.map((u) => u.key)).toEqual(['recorded.js']);
    expect(result.unchanged.map((u) => u.key)).toEqual(['old-record.js']);
    // No record of its headers: rewritten in place, content kept.
    expect(result.phases[0].updates.map((u) => u.key)).toEqual(['etag-only.js']);
  });

  it('uploads a same-size file whose hash was not computed rather than guess', () => {
    const manifest = manifestOf({ 'a.js': { etag: 'e', sha256: sha('a'), ...js } });
    const unhashed: LocalFile = { ...file('a.js', 'a'), sha256: undefined };
    expect(plan([unhashed], remoteOf({ key: 'a.js', etag: 'e', size: 10 }), manifest).phases[0].uploads.map((u) => u.reason)).toEqual([
      'changed',
    ]);
  });

  it('updates headers in place when only the rules changed', () => {
    const manifest = manifestOf({ 'a.html': { etag: 'e', sha256: sha('a'), contentType: html.contentType, cacheControl: 'max-age=60' } });
    const result = plan([file('a.html', 'a')], remoteOf({ key: 'a.html', etag: 'e', size: 10 }), manifest);
    expect(result.phases[1].updates.map((u) => [u.key, u.previous?.cacheControl, u.headers.cacheControl])).toEqual([
      ['a.html', 'max-age=60', 'no-cache'],
    ]);
  });

  it('distrusts a manifest entry whose ETag no longer matches the listing', () => {
    const manifest = manifestOf({ 'big.bin': { etag: 'old-2', sha256: sha('a'), ...js } });
    const remote = remoteOf({ key: 'big.bin', etag: 'new-3', size: 10 });
    const known = knownFromListing(remote, manifest);
    expect(known.get('big.bin')).toEqual({ etag: 'new-3', sha256: undefined, md5: undefined, headers: undefined });
    expect(plan([file('big.bin', 'a')], remote, manifest).phases[0].uploads.map((u) => u.reason)).toEqual(['changed']);
  });

  it('deletes only with delete on, only inside the filter, and flags a delete over max-delete', () => {
    const remote = remoteOf(
      { key: 'a.js', etag: 'x', size: 1 },
      { key: 'b.js', etag: 'x', size: 1 },
      { key: 'c.js', etag: 'x', size: 1 },
      { key: '.git/HEAD', etag: 'x', size: 1 },
    );
    expect(plan([file('a.js', 'a')], remote).deletes).toEqual([]);
    const on = plan([file('a.js', 'a')], remote, emptyManifest(), { delete: true });
    expect(on.deletes).toEqual(['b.js', 'c.js']);
    expect(on.deleteLimit).toEqual({ allowed: 2, exceeded: false });
    expect(plan([file('a.js', 'a')], remote, emptyManifest(), { delete: true, maxDelete: '1' }).deleteLimit).toEqual({
      allowed: 1,
      exceeded: true,
    });
    expect(plan([file('a.js', 'a')], remote, emptyManifest(), { delete: true, maxDelete: '25%' }).deleteLimit.exceeded).toBe(true);
  });
});

describe('keysToInspect', () => {
  it('asks HeadObject only for same-size objects without a trusted record', () => {
    const remote = remoteOf(
      { key: 'same.js', etag: md5('a'), size: 10 },
      { key: 'resized.js', etag: md5('b'), size: 99 },
      { key: 'differs.js', etag: md5('f'), size: 10 },
      { key: 'multi.bin', etag: 'abc-2', size: 10 },
      { key: 'trusted.js', etag: md5('t'), size: 10 },
    );
    const manifest = manifestOf({ 'trusted.js': { etag: md5('t'), sha256: sha('t'), ...js } });
    const local = [
      file('same.js', 'a'),
      file('resized.js', 'b'),
      file('differs.js', 'a'),
      file('multi.bin', 'm'),
      file('trusted.js', 't'),
      file('new.js', 'n'),
    ];
    expect(keysToInspect(local, remote, knownFromListing(remote, manifest))).toEqual(['same.js', 'multi.bin']);
  });
});

describe('manifest', () => {
  it('round-trips with sorted keys, SHA-256 only where there is one, and treats garbage as empty', () => {
    const manifest = manifestOf({ b: { etag: '2', sha256: sha('b'), md5: md5('b'), ...js }, a: { etag: '1', md5: md5('a'), ...html } });
    const text = serialiseManifest(manifest);
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b"'));
    expect(JSON.parse(text)).toEqual({
      version: 2,
      objects: { a: { etag: '1', md5: md5('a'), ...html }, b: { etag: '2', sha256: sha('b'), contentType: js.contentType } },
    });
    expect(parseManifest(text)).toEqual(parseManifest(serialiseManifest(parseManifest(text))));
    expect(parseManifest(text).objects.get('a')?.cacheControl).toBe('no-cache');
    expect(parseManifest('{not json')).toEqual(emptyManifest());
    expect(parseManifest('{"version":3,"objects":{}}')).toEqual(emptyManifest());
  });

  it('keeps __proto__, constructor and other Object.prototype names as plain keys', () => {
    const entry = { etag: '1', sha256: sha('f'), ...js };
    const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString'];
    const text = serialiseManifest({ version: 2, objects: new Map(names.map((name) => [name, entry])) });
    expect(Object.keys(JSON.parse(text).objects)).toEqual([...names].sort());
    expect([...parseManifest(text).objects.keys()]).toEqual([...names].sort());
    const known = knownFromListing(new Map([['__proto__', { key: '__proto__', etag: '1', size: 1 }]]), parseManifest(text));
    expect(known.get('__proto__')?.sha256).toBe(sha('f'));
  });

  it('reads a version 1 manifest (MD5 records) and drops entries baepo did not write', () => {
    const text = JSON.stringify({
      version: 1,
      objects: {
        'a.js': { etag: 'e1', md5: md5('a'), contentType: js.contentType },
        'bad-hash.js': { etag: 'e2', md5: 'not-a-hash', contentType: js.contentType },
        'no-type.js': { etag: 'e3', md5: md5('c') },
        'null.js': null,
      },
    });
    expect(parseManifest(text)).toEqual(
      manifestOf({ 'a.js': { etag: 'e1', sha256: undefined, md5: md5('a'), contentType: js.contentType, cacheControl: undefined } }),
    );
  });
});
