import { isHtml } from './content-type.js';
import type { KeyFilter } from './globs.js';
import { type ObjectHeaders, sameHeaders } from './header-rules.js';
import { type KnownObject, sameContent } from './knowledge.js';
import { allowedDeletes, type MaxDelete } from './max-delete.js';
import type { RemoteObject } from './remote-listing.js';
import type { LocalFile } from './scanner.js';

export interface PlannedFile extends LocalFile {
  headers: ObjectHeaders;
}

export interface Upload extends PlannedFile {
  reason: 'new' | 'changed';
}

export interface HeaderUpdate extends PlannedFile {
  etag: string;
  previous: ObjectHeaders | undefined;
}

export interface Unchanged extends PlannedFile {
  etag: string;
}

/** One ordered step: every upload and header update in it finishes before the next step starts. */
export interface Phase {
  name: 'assets' | 'html';
  uploads: Upload[];
  updates: HeaderUpdate[];
}

export interface Plan {
  /** Non-HTML files first, then HTML: a page is never live before its assets. */
  phases: [Phase, Phase];
  unchanged: Unchanged[];
  /** Keys (relative to the prefix) to delete after every upload. */
  deletes: string[];
  /** Objects under the prefix before the sync (the manifest excluded). */
  existing: number;
  deleteLimit: { allowed: number; exceeded: boolean };
}

export interface PlanInput {
  /** Files with the hash their object is compared by wherever one of the same size exists (without it, the file is uploaded). */
  local: readonly LocalFile[];
  remote: ReadonlyMap<string, RemoteObject>;
  known: ReadonlyMap<string, KnownObject>;
  headersFor: (key: string) => ObjectHeaders;
  /** Remote keys this sync owns (matched by include/exclude); undefined when `delete` is off. */
  deleteScope: KeyFilter | undefined;
  maxDelete: MaxDelete;
}

/** Decide every write of a sync from data alone: no AWS calls, no clock, no filesystem. */
export function planSync(input: PlanInput): Plan {
  const phases: [Phase, Phase] = [
    { name: 'assets', uploads: [], updates: [] },
    { name: 'html', uploads: [], updates: [] },
  ];
  const unchanged: Unchanged[] = [];
  const localKeys = new Set<string>();
  for (const file of input.local) {
    localKeys.add(file.key);
    const planned: PlannedFile = { ...file, headers: input.headersFor(file.key) };
    const phase = isHtml(planned.headers.contentType) ? phases[1] : phases[0];
    const object = input.remote.get(file.key);
    const info = input.known.get(file.key);
    if (!object) {
      phase.uploads.push({ ...planned, reason: 'new' });
    } else if (object.size !== file.size || sameContent(file, info) !== true) {
      phase.uploads.push({ ...planned, reason: 'changed' });
    } else if (info?.headers && sameHeaders(info.headers, planned.headers)) {
      unchanged.push({ ...planned, etag: object.etag });
    } else {
      phase.updates.push({ ...planned, etag: object.etag, previous: info?.headers });
    }
  }
  const scope = input.deleteScope;
  const deletes = scope ? [...input.remote.keys()].filter((key) => !localKeys.has(key) && scope.covers(key)).sort() : [];
  const existing = input.remote.size;
  const allowed = allowedDeletes(input.maxDelete, existing);
  return { phases, unchanged, deletes, existing, deleteLimit: { allowed, exceeded: deletes.length > allowed } };
}

export function planCounts(plan: Plan): { uploads: Upload[]; updates: HeaderUpdate[]; uploadBytes: number } {
  const uploads = plan.phases.flatMap((phase) => phase.uploads);
  const updates = plan.phases.flatMap((phase) => phase.updates);
  return { uploads, updates, uploadBytes: uploads.reduce((sum, file) => sum + file.size, 0) };
}
