/**
 * GitHub's concurrency groups, as "Using concurrency" documents them: a group holds at most one
 * running and one pending job (or workflow). A job queued while another holds the group waits;
 * "any existing pending job or workflow in the same concurrency group ... will be canceled and the
 * new queued job or workflow will take its place". `cancel-in-progress: true` also cancels the
 * running one; `false` protects only the running one. Groups are per repository, so share one
 * instance between the runWorkflow calls of interleaved runs.
 */
export class ConcurrencyGroups {
  private readonly groups = new Map<string, { running?: Entry; pending?: Entry }>();
  /** What happened, in order: `<group>: <label> running|pending|cancelled|released`. */
  readonly events: string[] = [];

  /**
   * Wait for the group. Resolves to the release function once the job holds it, or to undefined
   * when it was cancelled while pending (a newer job took its place, or `leave` was aborted).
   */
  acquire(
    group: string,
    label: string,
    options: { cancelInProgress?: boolean; cancelRunning?: () => void; leave?: AbortSignal } = {},
  ): Promise<(() => void) | undefined> {
    const slot = this.groups.get(group) ?? {};
    this.groups.set(group, slot);
    return new Promise((resolve) => {
      const release = (): void => {
        if (slot.running !== entry) return;
        this.events.push(`${group}: ${label} released`);
        slot.running = slot.pending;
        slot.pending = undefined;
        slot.running?.grant();
      };
      const entry: Entry = {
        label,
        cancelRunning: options.cancelRunning,
        grant: () => {
          this.events.push(`${group}: ${label} running`);
          resolve(release);
        },
        deny: () => {
          this.events.push(`${group}: ${label} cancelled`);
          resolve(undefined);
        },
      };
      if (!slot.running) {
        slot.running = entry;
        entry.grant();
        return;
      }
      slot.pending?.deny();
      if (options.cancelInProgress) slot.running.cancelRunning?.();
      slot.pending = entry;
      this.events.push(`${group}: ${label} pending`);
      options.leave?.addEventListener(
        'abort',
        () => {
          if (slot.pending !== entry) return;
          slot.pending = undefined;
          entry.deny();
        },
        { once: true },
      );
    });
  }

  /** Who holds the group and who waits (labels), for tests. */
  state(group: string): { running?: string; pending?: string } {
    const slot = this.groups.get(group);
    return { running: slot?.running?.label, pending: slot?.pending?.label };
  }
}

interface Entry {
  label: string;
  grant: () => void;
  deny: () => void;
  cancelRunning?: () => void;
}
