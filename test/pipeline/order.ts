import type { Job } from './workflow.js';

/** Jobs in an order that respects `needs` (declaration order among ready jobs); a cycle or unknown need is an error. */
export function orderJobs(jobs: Record<string, Job>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const ids = Object.keys(jobs);
  while (order.length < ids.length) {
    const ready = ids.find((id) => {
      if (done.has(id)) return false;
      const needs = jobs[id]?.needs;
      const list = needs === undefined ? [] : Array.isArray(needs) ? needs : [needs];
      for (const need of list) if (!(need in jobs)) throw new Error(`job '${id}' needs unknown job '${need}'`);
      return list.every((need) => done.has(need));
    });
    if (!ready) throw new Error(`jobs ${ids.filter((id) => !done.has(id)).join(', ')} form a needs cycle`);
    order.push(ready);
    done.add(ready);
  }
  return order;
}
