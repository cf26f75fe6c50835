import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Field } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/paths.js';

interface ActionYml {
  name?: string;
  description?: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs?: { using?: string; main?: string; post?: string };
}

const actionsDir = join(repoRoot, 'actions');
const actions = readdirSync(actionsDir).filter((name) => existsSync(join(actionsDir, name, 'action.yml')));

describe.each(actions)('actions/%s', (name) => {
  const yml = parse(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')) as ActionYml;

  it('runs on node24 from its committed bundle', () => {
    expect(yml.runs?.using).toBe('node24');
    expect(yml.runs?.main).toBe(`../../dist/${name}/index.js`);
    if (existsSync(join(actionsDir, name, 'src', 'post.ts'))) expect(yml.runs?.post).toBe(`../../dist/${name}/post/index.js`);
    else expect(yml.runs?.post).toBeUndefined();
    expect(existsSync(join(repoRoot, 'dist', name, 'index.js'))).toBe(true);
  });

  it('has a name, description, branding and a README', () => {
    expect(yml.name).toMatch(/\S/);
    expect(yml.description).toMatch(/\S/);
    expect(yml.branding?.icon).toMatch(/\S/);
    expect(yml.branding?.color).toMatch(/\S/);
    expect(existsSync(join(actionsDir, name, 'README.md'))).toBe(true);
  });

  it('describes every input and output; names are kebab-case', () => {
    for (const [input, spec] of Object.entries(yml.inputs ?? {})) {
      expect(input, `input ${input}`).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(spec.description, `input ${input} description`).toMatch(/\S/);
    }
    for (const [output, spec] of Object.entries(yml.outputs ?? {})) {
      expect(output, `output ${output}`).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(spec.description, `output ${output} description`).toMatch(/\S/);
    }
  });

  it('declares exactly the inputs and outputs its typed interface reads and writes', async () => {
    const module = (await import(join(actionsDir, name, 'src', 'interface.ts'))) as {
      inputs: Record<string, Field<unknown>>;
      outputs: readonly string[];
    };
    const declared = Object.fromEntries(
      Object.entries(yml.inputs ?? {}).map(([input, spec]) => [
        input,
        { required: spec.required === true, default: spec.default === undefined ? undefined : String(spec.default) },
      ]),
    );
    const typed = Object.fromEntries(
      Object.entries(module.inputs).map(([input, field]) => [input, { required: field.required, default: field.default }]),
    );
    expect(declared).toEqual(typed);
    expect(Object.keys(yml.outputs ?? {}).sort()).toEqual([...module.outputs].sort());
  });
});

it('finds the actions', () => {
  expect(actions.length).toBeGreaterThan(0);
});
