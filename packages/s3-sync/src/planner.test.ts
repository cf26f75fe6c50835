import { describe, expect, it } from 'vitest';
import { keyFilter } from './globs.js';
import { headerRules } from './header-rules.js';
import { keysToInspect, knownFromListing } from './knowledge.js';
import { emptyManifest, type Manifest, parseManifest, serialiseManifest } from './manifest.js';
import { parseMaxDelete } from './max-delete.js';
import { planCounts, planSync } from './planner.js';
import type { RemoteObject } from './remote-listing.js';
import type { LocalFile } from './scanner.js';

const md5 = (c: string) => c.repeat(32).slice(0, 32);
const file = (key: string, hash: string, size = 10): LocalFile => ({ key, path: `/src/${key}`, size, md5: md5(hash) });
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
  it('uploads new and changed files, non-HTML before HTML; size or MD5 decides, never time', () => {
    const manifest: Manifest = { version: 1, objects: { 'app.js': { etag: 'e1', md5: md5('a'), ...js } } };
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

  it('keeps a file whose single-part ETag is its MD5 and whose manifest headers match', () => {
    const manifest: Manifest = { version: 1, objects: { 'a.html': { etag: md5('a'), md5: md5('a'), ...html } } };
    const result = plan([file('a.html', 'a')], remoteOf({ key: 'a.html', etag: md5('a'), size: 10 }), manifest);
    expect(result.unchanged.map((u) => u.key)).toEqual(['a.html']);
    expect(planCounts(result).uploads).toEqual([]);
  });

  it('updates headers in place when only the rules changed', () => {
    const manifest: Manifest = {
      version: 1,
      objects: { 'a.html': { etag: 'e', md5: md5('a'), contentType: html.contentType, cacheControl: 'max-age=60' } },
    };
    const result = plan([file('a.html', 'a')], remoteOf({ key: 'a.html', etag: 'e', size: 10 }), manifest);
    expect(result.phases[1].updates.map((u) => [u.key, u.previous?.cacheControl, u.headers.cacheControl])).toEqual([
      ['a.html', 'max-age=60', 'no-cache'],
    ]);
  });

  it('distrusts a manifest entry whose ETag no longer matches the listing', () => {
    const manifest: Manifest = { version: 1, objects: { 'big.bin': { etag: 'old-2', md5: md5('a'), ...js } } };
    const remote = remoteOf({ key: 'big.bin', etag: 'new-3', size: 10 });
    const known = knownFromListing(remote, manifest);
    expect(known.get('big.bin')).toEqual({ etag: 'new-3', md5: undefined, headers: undefined });
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
    const manifest: Manifest = { version: 1, objects: { 'trusted.js': { etag: md5('t'), md5: md5('t'), ...js } } };
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
  it('round-trips with sorted keys and treats garbage as empty', () => {
    const manifest: Manifest = { version: 1, objects: { b: { etag: '2', md5: 'm2', ...js }, a: { etag: '1', md5: 'm1', ...html } } };
    const text = serialiseManifest(manifest);
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b"'));
    expect(parseManifest(text)).toEqual(parseManifest(serialiseManifest(parseManifest(text))));
    expect(parseManifest(text).objects.a?.cacheControl).toBe('no-cache');
    expect(parseManifest('{not json')).toEqual(emptyManifest());
    expect(parseManifest('{"version":2,"objects":{}}')).toEqual(emptyManifest());
  });
});
