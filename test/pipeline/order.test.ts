import { describe, expect, it } from 'vitest';
import { orderJobs } from './order.js';

describe('orderJobs', () => {
  it('puts every job after the jobs it needs', () => {
    const jobs = { summary: { needs: ['b', 'a'], steps: [] }, b: { needs: 'a', steps: [] }, a: { steps: [] } };
    expect(orderJobs(jobs)).toEqual(['a', 'b', 'summary']);
  });
  it('rejects an unknown need and a cycle', () => {
    expect(() => orderJobs({ a: { needs: 'x', steps: [] } })).toThrow("job 'a' needs unknown job 'x'");
    expect(() => orderJobs({ a: { needs: 'b', steps: [] }, b: { needs: 'a', steps: [] } })).toThrow('form a needs cycle');
  });
});
