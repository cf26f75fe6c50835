import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { compareKeys, listRemote, rangeBoundaries } from './remote-listing.js';

interface Call {
  StartAfter?: string;
  ContinuationToken?: string;
}

/** ListObjectsV2 as S3 documents it: UTF-8 byte order, StartAfter exclusive, 1,000 keys a page, opaque tokens. */
function fakeBucket(keys: string[]): { s3: S3Client; calls: Call[] } {
  const sorted = [...keys].sort(compareKeys);
  const calls: Call[] = [];
  const s3 = {
    send: async (command: { input: { Prefix?: string; StartAfter?: string; ContinuationToken?: string } }) => {
      const { Prefix = '', StartAfter, ContinuationToken } = command.input;
      calls.push({ StartAfter, ContinuationToken });
      await new Promise((resolve) => setTimeout(resolve, 1));
      const from = ContinuationToken ?? StartAfter;
      const rest = sorted.filter((key) => key.startsWith(Prefix) && (from === undefined || compareKeys(key, from) > 0));
      const page = rest.slice(0, 1000);
      const truncated = rest.length > page.length;
      return {
        Contents: page.map((Key) => ({ Key, ETag: `"${Key.length}"`, Size: Key.length })),
        IsTruncated: truncated,
        NextContinuationToken: truncated ? page.at(-1) : undefined,
      };
    },
  } as unknown as S3Client;
  return { s3, calls };
}

const keys = (n: number, make = (i: number) => `assets/${String(i).padStart(5, '0')}.js`) => Array.from({ length: n }, (_, i) => make(i));

describe('rangeBoundaries', () => {
  it('cuts every 1,000th key in S3 order, none for a single page', () => {
    expect(rangeBoundaries(keys(1000))).toEqual([]);
    expect(rangeBoundaries(keys(2500).reverse())).toEqual(['assets/00999.js', 'assets/01999.js']);
    // JavaScript puts U+FF01 after U+1F600 (it compares the surrogate 0xD83D); UTF-8, and so S3, before it.
    expect(compareKeys('\uFF01', '\u{1F600}')).toBeLessThan(0);
    expect('\uFF01' < '\u{1F600}').toBe(false);
  });
});

describe('listRemote', () => {
  it('lists ranges in parallel with the requests of a plain chain when the bucket holds what is expected', async () => {
    const site = keys(2500);
    const { s3, calls } = fakeBucket(site.map((key) => `p/${key}`));
    const listing = await listRemote(s3, 'b', 'p/', Promise.resolve(site));
    expect([...listing.objects.keys()].sort()).toEqual([...site].sort());
    expect(listing.pages).toBe(3);
    expect(calls).toEqual([
      { StartAfter: undefined, ContinuationToken: undefined },
      { StartAfter: 'p/assets/00999.js', ContinuationToken: undefined },
      { StartAfter: 'p/assets/01999.js', ContinuationToken: undefined },
    ]);
  });

  it('cuts in S3 order: non-ASCII keys cost no extra page', async () => {
    const site = [...keys(1300), ...keys(900, (i) => `\uFF01/${i}`), ...keys(900, (i) => `\u{1F600}/${i}`)];
    const { s3 } = fakeBucket(site);
    const listing = await listRemote(s3, 'b', '', Promise.resolve(site));
    expect(listing.objects.size).toBe(site.length);
    expect(listing.pages).toBe(4);
  });

  it('never misses or repeats a key when the bucket differs (extra objects, missing ones, non-ASCII order)', async () => {
    const site = [...keys(2300), ...keys(400, (i) => `\uFF01/${i}`), ...keys(400, (i) => `\u{1F600}/${i}`)];
    const bucket = [...site.filter((_, i) => i % 7 !== 0), ...keys(1700, (i) => `assets/${String(i).padStart(5, '0')}.js.map`), 'dir/'];
    const { s3 } = fakeBucket(bucket);
    const listing = await listRemote(s3, 'b', '', Promise.resolve(site));
    expect([...listing.objects.keys()].sort()).toEqual(bucket.filter((key) => !key.endsWith('/')).sort());
    expect(listing.pages).toBeGreaterThanOrEqual(Math.ceil(bucket.length / 1000));
  });

  it('asks once for an empty or one-page bucket, whatever is expected', async () => {
    const site = keys(2500);
    for (const bucket of [[], keys(10)]) {
      const { s3, calls } = fakeBucket(bucket);
      const listing = await listRemote(s3, 'b', '', Promise.resolve(site));
      expect(listing.objects.size).toBe(bucket.length);
      expect(calls).toHaveLength(1);
    }
  });

  it('fails when a page fails, and does not hang', async () => {
    const failing = { send: async () => Promise.reject(new Error('AccessDenied')) } as unknown as S3Client;
    await expect(listRemote(failing, 'b', '', Promise.resolve(keys(2500)))).rejects.toThrow('AccessDenied');
  });

  it('is a plain chain of pages without expectations', async () => {
    const { s3, calls } = fakeBucket(keys(2100));
    const listing = await listRemote(s3, 'b', '');
    expect(listing.objects.size).toBe(2100);
    expect(calls.map((c) => c.ContinuationToken)).toEqual([undefined, 'assets/00999.js', 'assets/01999.js']);
  });
});
