import type { RegistryClient } from './registry-client.js';
import { isTransient, RegistryError } from './registry-error.js';

export type MountResult = { mounted: true; from: string } | { mounted: false; location?: URL };

/**
 * Finds another repository of the same registry that already holds a blob and mounts it from
 * there, so no byte is sent. Candidates are probed with HEAD (up to `maxProbes` per blob, in
 * parallel); the repository that last had a blob is asked first, since an image's layers tend
 * to live together. With a single candidate there is nothing to choose: the mount is asked for
 * directly, and an upload session the registry opens instead is used for the upload.
 */
export class MountFinder {
  private readonly order: string[];
  private readonly probes = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly client: RegistryClient,
    candidates: readonly string[],
    private readonly maxProbes = 8,
  ) {
    this.order = [...candidates];
  }

  get candidates(): readonly string[] {
    return this.order;
  }

  /** Start looking for these blobs now (e.g. while the target repository is being created). */
  prefetch(repository: string, digests: readonly string[]): void {
    for (const digest of digests) this.locate(repository, digest).catch(() => undefined);
  }

  /** The candidate to mount `digest` from, if any holds it. */
  private locate(repository: string, digest: string): Promise<string | undefined> {
    const key = `${repository}@${digest}`;
    let found = this.probes.get(key);
    if (!found) {
      const probed = this.order.filter((r) => r !== repository).slice(0, this.maxProbes);
      found =
        probed.length <= 1
          ? Promise.resolve(probed[0])
          : Promise.all(probed.map((from) => this.client.headBlob(from, digest).catch(() => undefined))).then((present) =>
              probed.find((_, i) => present[i] !== undefined),
            );
      this.probes.set(key, found);
    }
    return found;
  }

  async mount(repository: string, digest: string): Promise<MountResult> {
    const from = await this.locate(repository, digest);
    this.probes.delete(`${repository}@${digest}`); // a retry looks again
    if (from === undefined) return { mounted: false };
    let result: Awaited<ReturnType<RegistryClient['mountBlob']>>;
    try {
      result = await this.client.mountBlob(repository, digest, from);
    } catch (error) {
      // Mounting only saves bytes: a refusal (e.g. no pull right on the source) falls back to an upload.
      if (error instanceof RegistryError && !isTransient(error)) return { mounted: false };
      throw error;
    }
    if (!result.mounted) return result;
    this.order.splice(this.order.indexOf(from), 1);
    this.order.unshift(from);
    return { mounted: true, from };
  }
}

/** Order mount candidates: repositories sharing the longest path prefix with the target first. */
export function rankCandidates(target: string, repositories: readonly string[]): string[] {
  const common = (name: string): number => {
    let i = 0;
    while (i < name.length && i < target.length && name[i] === target[i]) i++;
    return i;
  };
  return repositories.filter((r) => r !== target).sort((a, b) => common(b) - common(a) || a.localeCompare(b));
}
