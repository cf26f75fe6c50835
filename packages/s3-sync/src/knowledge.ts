import type { HashAlgorithm } from './hasher.js';
import type { ObjectHeaders } from './header-rules.js';
import type { Manifest } from './manifest.js';
import { md5FromEtag, type RemoteObject } from './remote-listing.js';
import type { LocalFile } from './scanner.js';

/** What is known about a remote object's content and headers without downloading it. */
export interface KnownObject {
  etag: string;
  /** From baepo's record (manifest or object metadata). */
  sha256: string | undefined;
  /** From a single-part ETag, or the record of an earlier baepo. */
  md5: string | undefined;
  headers: ObjectHeaders | undefined;
}

/**
 * Trust a manifest entry only while the listing shows the ETag it recorded;
 * otherwise only a single-part ETag tells the content hash, and headers are unknown.
 */
export function knownFromListing(remote: ReadonlyMap<string, RemoteObject>, manifest: Manifest): Map<string, KnownObject> {
  const known = new Map<string, KnownObject>();
  for (const [key, object] of remote) {
    const entry = manifest.objects.get(key);
    if (entry && entry.etag === object.etag) {
      known.set(key, {
        etag: object.etag,
        sha256: entry.sha256,
        md5: entry.md5 ?? md5FromEtag(object.etag),
        headers: { contentType: entry.contentType, cacheControl: entry.cacheControl },
      });
    } else {
      known.set(key, { etag: object.etag, sha256: undefined, md5: md5FromEtag(object.etag), headers: undefined });
    }
  }
  return known;
}

/** The local hash that decides whether a file holds an object's content: SHA-256 where recorded, else MD5 where known, else none. */
export function hashToCompare(info: KnownObject | undefined): HashAlgorithm | undefined {
  if (info?.sha256) return 'sha256';
  return info?.md5 ? 'md5' : undefined;
}

/** Whether the file holds the object's content: undefined when unknown (no hash known, or the local one not computed yet). */
export function sameContent(file: LocalFile, info: KnownObject | undefined): boolean | undefined {
  const algorithm = hashToCompare(info);
  if (!algorithm || !info) return undefined;
  const local = file[algorithm];
  return local === undefined ? undefined : local === info[algorithm];
}

/**
 * Keys whose object must be inspected (HeadObject) before planning: same size as
 * the local file but no trusted record of its hash or headers. A different size,
 * or a hash known to differ, needs no look: the file is uploaded anyway. With a
 * current manifest this is empty.
 */
export function keysToInspect(
  local: readonly LocalFile[],
  remote: ReadonlyMap<string, RemoteObject>,
  known: ReadonlyMap<string, KnownObject>,
): string[] {
  return local
    .filter((file) => {
      const object = remote.get(file.key);
      const info = known.get(file.key);
      if (!object || object.size !== file.size) return false;
      if (sameContent(file, info) === false) return false;
      return info?.headers === undefined || hashToCompare(info) === undefined;
    })
    .map((file) => file.key);
}
