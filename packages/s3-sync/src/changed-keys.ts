/**
 * The most characters the `changed-keys` output holds. GitHub: "Outputs can be a maximum of 1 MB per
 * job. The total of all outputs in a workflow run can be a maximum of 50 MB. Size is approximated
 * based on UTF-16 encoding" (docs.github.com, "Passing information between jobs" / "Actions limits").
 * 100,000 UTF-16 code units are about 200 KB: a fifth of a job's allowance, leaving the rest to the
 * job's other outputs (the reusable workflows pass this one on as a job output).
 */
export const CHANGED_KEYS_MAX_CHARS = 100_000;

export interface ChangedKeysOutput {
  /** A JSON array of keys; when truncated its last element is `{"truncated":true,"omitted":N}`, which no key can be. */
  value: string;
  shown: number;
  omitted: number;
}

/** The `changed-keys` output: every key when it fits, else as many as fit and a marker naming how many were left out. */
export function changedKeysOutput(keys: readonly string[], maxChars = CHANGED_KEYS_MAX_CHARS): ChangedKeysOutput {
  const all = JSON.stringify(keys);
  if (all.length <= maxChars) return { value: all, shown: keys.length, omitted: 0 };
  const marker = (omitted: number) => JSON.stringify({ truncated: true, omitted });
  const room = maxChars - 2 - marker(keys.length).length - 1;
  const shown: string[] = [];
  let used = 0;
  for (const key of keys) {
    const item = JSON.stringify(key).length + 1;
    if (used + item > room) break;
    shown.push(key);
    used += item;
  }
  const omitted = keys.length - shown.length;
  const items = [...shown.map((key) => JSON.stringify(key)), marker(omitted)];
  return { value: `[${items.join(',')}]`, shown: shown.length, omitted };
}
