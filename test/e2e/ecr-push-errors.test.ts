import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, runAction } from '../harness/run-action.js';
import { awsEnv, type Moto, startMoto } from '../stack/index.js';
import { handMadeLayout, tarOf } from './ecr-push/images.js';

let moto: Moto;
let work: string;
let layout: string;

beforeAll(async () => {
  moto = await startMoto();
  work = mkdtempSync(join(tmpdir(), 'baepo-ecr-errors-'));
  layout = join(work, 'layout');
  handMadeLayout(layout, [100], 'v1');
});

afterAll(async () => {
  await moto?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs the action expecting one clear error; the registry endpoint is unused (nothing may be sent). */
async function failure(inputs: Record<string, string>): Promise<string> {
  const result = await runAction({
    action: 'ecr-push',
    inputs: { repository: 'shop/api', tags: 'v1', 'registry-endpoint': 'http://127.0.0.1:9', login: 'false', ...inputs },
    env: awsEnv({ ecr: moto.endpoint }),
  });
  expect(result.exitCode, explain(result)).toBe(1);
  expect(result.errors, explain(result)).toHaveLength(1);
  expect(result.stdout).not.toContain('unexpected error');
  return result.errors[0] as string;
}

describe('ecr-push rejects bad input with one clear error, before pushing anything', () => {
  it('no image source, or two', async () => {
    expect(await failure({})).toMatch(/set exactly one of 'image'.*'oci-layout'.*'archive'/);
    expect(await failure({ 'oci-layout': layout, archive: 'x.tar' })).toContain("got 'oci-layout' and 'archive'");
  });

  it('an invalid tag or repository name, quoted, with the rule', async () => {
    const tag = await failure({ 'oci-layout': layout, tags: 'ok\nfeature/login\n.hidden' });
    expect(tag).toContain('"feature/login", ".hidden"');
    expect(tag).toContain('1-300 characters');
    expect(await failure({ 'oci-layout': layout, tags: 'a'.repeat(301) })).toContain('invalid tag');
    expect(await failure({ 'oci-layout': layout, repository: 'Shop/API' })).toContain('not a valid ECR repository name: "Shop/API"');
  });

  it('a layout without index.json, an image-ref that matches nothing, an archive that is not an image', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(await failure({ 'oci-layout': empty })).toContain('has no index.json');
    expect(await failure({ 'oci-layout': layout, 'image-ref': 'v9' })).toMatch(/'image-ref' "v9" matches no image .* it holds: "v1"/);
    const notImage = join(work, 'not-image.tar');
    writeFileSync(notImage, tarOf({ 'readme.txt': Buffer.from('hello') }));
    expect(await failure({ archive: notImage })).toContain('is a tar archive but not an image');
    const text = join(work, 'text.tar');
    writeFileSync(text, 'just text, not a tar archive at all'.repeat(40));
    expect(await failure({ archive: text })).toContain('is not a tar archive');
  });

  it('plain http to a non-loopback registry', async () => {
    expect(await failure({ 'oci-layout': layout, 'registry-endpoint': 'http://registry.example.com' })).toContain(
      'only allowed for 127.0.0.1',
    );
  });

  it('a missing repository without create-repository says how to create it', async () => {
    const message = await failure({ 'oci-layout': layout, repository: 'shop/missing', 'tag-mutability': 'IMMUTABLE' });
    expect(message).toContain("The ECR repository 'shop/missing' does not exist");
    expect(message).toContain("'create-repository: true'");
    expect(message).toContain('aws ecr create-repository --repository-name shop/missing --image-tag-mutability IMMUTABLE');
  });

  it('booleans and enums are strict', async () => {
    expect(await failure({ 'oci-layout': layout, login: 'yes' })).toContain("Input 'login' must be 'true' or 'false', got \"yes\"");
    expect(await failure({ 'oci-layout': layout, encryption: 'kms' })).toContain("'AES256', 'KMS'");
  });
});
