import type { ObjectHeaders } from './header-rules.js';

/**
 * The object baepo keeps under the prefix (`<prefix>.baepo-sync-manifest.json`),
 * recording for each key the content hash and headers it uploaded. An entry is
 * trusted only while the listing still shows the same ETag for that key, so an
 * object changed by anyone else is inspected again.
 *
 * Version 2 records SHA-256; version 1 (earlier baepo builds) recorded MD5 and is still
 * read: its entries are compared by MD5 once, and the sync rewrites them as SHA-256.
 */
export const MANIFEST_NAME = '.baepo-sync-manifest.json';

/** One key's record: at least one of the hashes (SHA-256 from version 2 on). */
export interface ManifestEntry extends ObjectHeaders {
  etag: string;
  sha256?: string;
  md5?: string;
}

/** Entries by key in a Map: a key is a file name, and `__proto__` or `constructor` is one like any other. */
export interface Manifest {
  version: 2;
  objects: Map<string, ManifestEntry>;
}

export function emptyManifest(): Manifest {
  return { version: 2, objects: new Map() };
}

const HEX = { sha256: /^[0-9a-f]{64}$/, md5: /^[0-9a-f]{32}$/ };

/** An entry as stored, or undefined when it is not one baepo wrote (then the object is simply not vouched for). */
function readEntry(value: unknown): ManifestEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  const sha256 = typeof entry.sha256 === 'string' && HEX.sha256.test(entry.sha256) ? entry.sha256 : undefined;
  const md5 = typeof entry.md5 === 'string' && HEX.md5.test(entry.md5) ? entry.md5 : undefined;
  if (typeof entry.etag !== 'string' || typeof entry.contentType !== 'string' || (!sha256 && !md5)) return undefined;
  const cacheControl = typeof entry.cacheControl === 'string' ? entry.cacheControl : undefined;
  return { etag: entry.etag, sha256, md5, contentType: entry.contentType, cacheControl };
}

/** Parse a stored manifest (version 1 or 2); anything unreadable counts as no manifest (every entry then untrusted). */
export function parseManifest(text: string | undefined): Manifest {
  if (!text) return emptyManifest();
  try {
    const parsed = JSON.parse(text) as { version?: unknown; objects?: unknown };
    if ((parsed.version !== 1 && parsed.version !== 2) || typeof parsed.objects !== 'object' || parsed.objects === null)
      return emptyManifest();
    // JSON.parse makes every key an own property ('__proto__' included); Object.entries lists them all.
    const objects = new Map<string, ManifestEntry>();
    for (const [key, value] of Object.entries(parsed.objects)) {
      const entry = readEntry(value);
      if (entry) objects.set(key, entry);
    }
    return { version: 2, objects };
  } catch {
    return emptyManifest();
  }
}

/**
 * Stable text (sorted keys) so an unchanged manifest is recognised and not rewritten. Each member is
 * written as text: no object is ever keyed by a file name (assigning '__proto__' would set a prototype).
 */
export function serialiseManifest(manifest: Manifest): string {
  const members = [...manifest.objects.keys()].sort().map((key) => {
    const entry = manifest.objects.get(key) as ManifestEntry;
    // An entry with a SHA-256 needs no MD5: the next sync compares SHA-256.
    const record = {
      etag: entry.etag,
      ...(entry.sha256 ? { sha256: entry.sha256 } : { md5: entry.md5 }),
      contentType: entry.contentType,
      cacheControl: entry.cacheControl,
    };
    return `${JSON.stringify(key)}:${JSON.stringify(record)}`;
  });
  return `{"version":2,"objects":{${members.join(',')}}}`;
}
