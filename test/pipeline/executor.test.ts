import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWorkflow } from './executor.js';

// deploy.yml's paused → approve | abort shape, with run: steps only (no AWS).
const WORKFLOW = `
on:
  workflow_call:
    inputs:
      status: { type: string, default: paused }
    outputs:
      final: { value: "\${{ jobs.service.outputs.status }}/\${{ jobs.approve.result }}/\${{ jobs.abort.result }}" }
jobs:
  service:
    environment: { name: prod, url: "https://\${{ steps.s.outputs.host }}" }
    concurrency: { group: "svc-\${{ github.repository }}-\${{ inputs.status }}" }
    outputs: { status: "\${{ steps.s.outputs.status }}" }
    steps:
      - id: s
        env: { STATUS: "\${{ inputs.status }}" }
        run: |
          echo "status=$STATUS" >> "$GITHUB_OUTPUT"
          echo "host=www.example" >> "$GITHUB_OUTPUT"
          echo "CARRIED=yes" >> "$GITHUB_ENV"
      - id: carried
        run: echo "value=$CARRIED" >> "$GITHUB_OUTPUT"
  approve:
    needs: service
    if: always() && needs.service.outputs.status == 'paused'
    environment: { name: prod-approval }
    steps:
      - run: echo approved
  abort:
    needs: [service, approve]
    if: always() && needs.service.outputs.status == 'paused' && needs.approve.result != 'success'
    steps:
      - run: echo rolled back
  broken:
    needs: service
    steps:
      - run: exit 4
      - id: after
        run: echo never
      - id: cleanup
        if: failure()
        run: echo "ran=yes" >> "$GITHUB_OUTPUT"
  downstream:
    needs: broken
    steps:
      - run: echo never
`;

const dir = mkdtempSync(join(tmpdir(), 'baepo-executor-'));
writeFileSync(join(dir, 'workflow.yml'), WORKFLOW);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (status: string, approve: boolean) =>
  runWorkflow({
    workflow: join(dir, 'workflow.yml'),
    inputs: { status },
    github: { repository: 'o/r' },
    workspace: dir,
    approve: (env) => approve || env !== 'prod-approval',
  });

describe('runWorkflow', () => {
  it('approved: the approve job runs, abort is skipped; outputs, GITHUB_ENV, environment and concurrency are evaluated', async () => {
    const record = await run('paused', true);
    expect(record.outputs.final).toBe('paused/success/skipped');
    expect(record.jobs.service?.environment).toEqual({ name: 'prod', url: 'https://www.example' });
    expect(record.jobs.service?.concurrency).toBe('svc-o/r-paused');
    expect(record.jobs.service?.steps[1]?.outputs.value).toBe('yes');
  });

  it('rejected: the approval job fails and abort runs', async () => {
    const record = await run('paused', false);
    expect(record.outputs.final).toBe('paused/failure/success');
    expect(record.jobs.approve?.rejected).toBe(true);
  });

  it('not paused: approve and abort are skipped', async () => {
    expect((await run('succeeded', false)).outputs.final).toBe('succeeded/skipped/skipped');
  });

  it('a failed step skips the next ones except failure() steps, fails the job and skips its dependents', async () => {
    const record = await run('succeeded', true);
    const steps = record.jobs.broken?.steps ?? [];
    expect(steps.map((s) => [s.outcome, s.exitCode])).toEqual([
      ['failure', 4],
      ['skipped', null],
      ['success', 0],
    ]);
    expect(record.jobs.broken?.result).toBe('failure');
    expect(record.jobs.downstream?.result).toBe('skipped');
  });
});
