import type { ObjectHeaders } from './header-rules.js';

/**
 * The object baepo keeps under the prefix (`<prefix>.baepo-sync-manifest.json`),
 * recording for each key the content hash and headers it uploaded. An entry is
 * trusted only while the listing still shows the same ETag for that key, so an
 * object changed by anyone else is inspected again.
 */
export const MANIFEST_NAME = '.baepo-sync-manifest.json';

export interface ManifestEntry extends ObjectHeaders {
  etag: string;
  md5: string;
}

export interface Manifest {
  version: 1;
  objects: Record<string, ManifestEntry>;
}

export function emptyManifest(): Manifest {
  return { version: 1, objects: {} };
}

/** Parse a stored manifest; anything unreadable counts as no manifest (every entry then untrusted). */
export function parseManifest(text: string | undefined): Manifest {
  if (!text) return emptyManifest();
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    if (parsed.version !== 1 || typeof parsed.objects !== 'object' || parsed.objects === null) return emptyManifest();
    return { version: 1, objects: parsed.objects };
  } catch {
    return emptyManifest();
  }
}

/** Stable text (sorted keys) so an unchanged manifest is recognised and not rewritten. */
export function serialiseManifest(manifest: Manifest): string {
  const objects: Record<string, ManifestEntry> = {};
  for (const key of Object.keys(manifest.objects).sort()) {
    const entry = manifest.objects[key] as ManifestEntry;
    objects[key] = { etag: entry.etag, md5: entry.md5, contentType: entry.contentType, cacheControl: entry.cacheControl };
  }
  return JSON.stringify({ version: 1, objects });
}
