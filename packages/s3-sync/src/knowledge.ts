import type { ObjectHeaders } from './header-rules.js';
import type { Manifest } from './manifest.js';
import { md5FromEtag, type RemoteObject } from './remote-listing.js';
import type { LocalFile } from './scanner.js';

/** What is known about a remote object's content and headers without downloading it. */
export interface KnownObject {
  etag: string;
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
    const entry = manifest.objects[key];
    if (entry && entry.etag === object.etag) {
      known.set(key, { etag: object.etag, md5: entry.md5, headers: { contentType: entry.contentType, cacheControl: entry.cacheControl } });
    } else {
      known.set(key, { etag: object.etag, md5: md5FromEtag(object.etag), headers: undefined });
    }
  }
  return known;
}

/**
 * Keys whose object must be inspected (HeadObject) before planning: same size as
 * the local file but no trusted record of its hash or headers. A different size
 * needs no look: the file is uploaded anyway. With a current manifest this is empty.
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
      if (info?.md5 !== undefined && info.md5 !== file.md5) return false;
      return info?.headers === undefined || info.md5 === undefined;
    })
    .map((file) => file.key);
}
