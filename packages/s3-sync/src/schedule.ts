/** A unit of work for `runMixed`: heavy ones (large uploads) are bounded apart from light ones. */
export interface Task {
  heavy: boolean;
  /** Larger first among tasks of the same kind. */
  size: number;
  run: () => Promise<void>;
}

/**
 * Run `tasks` at most `concurrency` at a time, of which at most `heavyMax` heavy ones while light
 * ones wait; each kind largest first. Large uploads then overlap the stream of small ones from
 * the start: neither the big files trail alone at the end (one idle core) nor do they take every
 * slot at the start (small files waiting). Heavy tasks take every slot once no light one is left.
 * After a failure no task starts; the running ones finish, then the first error is thrown.
 */
export async function runMixed(tasks: readonly Task[], concurrency: number, heavyMax: number): Promise<void> {
  const bySize = (a: Task, b: Task) => b.size - a.size;
  const heavy = tasks.filter((task) => task.heavy).sort(bySize);
  const light = tasks.filter((task) => !task.heavy).sort(bySize);
  let heavyRunning = 0;
  let failure: { error: unknown } | undefined;
  const next = (): Task | undefined => {
    if (failure) return undefined;
    if (heavy.length && (heavyRunning < heavyMax || light.length === 0)) return heavy.shift();
    return light.shift();
  };
  const lane = async () => {
    for (let task = next(); task; task = next()) {
      if (task.heavy) heavyRunning++;
      try {
        await task.run();
      } catch (error) {
        failure ??= { error };
      } finally {
        if (task.heavy) heavyRunning--;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, lane));
  if (failure) throw failure.error;
}
