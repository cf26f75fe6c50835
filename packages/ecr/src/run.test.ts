import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { manualClock, memoryLogger } from '@baepo/action-kit';
import type { HttpResponse, Transport } from '@baepo/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handMadeLayout } from '../../../test/e2e/ecr-push/images.js';
import type { EcrPushInputs } from './inputs.js';
import { type EcrPushDeps, run } from './run.js';

let work: string;
let layout: string;
let digest: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'baepo-ecr-run-'));
  layout = join(work, 'layout');
  digest = handMadeLayout(layout, [100, 200]).digest;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const inputs = (extra: Partial<EcrPushInputs> = {}): EcrPushInputs => ({
  repository: 'shop/api',
  tags: ['v1'],
  image: undefined,
  'oci-layout': 'layout',
  'image-ref': undefined,
  archive: undefined,
  'registry-id': undefined,
  'registry-endpoint': 'http://127.0.0.1:5000',
  'create-repository': false,
  'tag-mutability': 'MUTABLE',
  'scan-on-push': false,
  encryption: 'AES256',
  'kms-key': undefined,
  login: false,
  concurrency: 2,
  ...extra,
});

const TOKEN = { authorizationData: [{ authorizationToken: Buffer.from('AWS:pw').toString('base64'), proxyEndpoint: 'https://x' }] };

/** ECR whose repository list answers only when aborted (or never): what run() waits for shows. */
function ecr(describe: (command: DescribeRepositoriesCommand) => unknown) {
  const sent: string[] = [];
  const aborted: string[] = [];
  return {
    sent,
    aborted,
    send: (async (command: unknown, options?: { abortSignal?: AbortSignal }) => {
      const name = (command as object).constructor.name;
      sent.push(name);
      if (command instanceof GetAuthorizationTokenCommand) return TOKEN;
      if (command instanceof CreateRepositoryCommand) return {};
      if (command instanceof DescribeRepositoriesCommand) {
        const answer = describe(command);
        if (answer !== 'hang') return answer instanceof Error ? Promise.reject(answer) : answer;
        return new Promise((_, reject) =>
          options?.abortSignal?.addEventListener('abort', () => {
            aborted.push(name);
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          }),
        );
      }
      throw new Error(`unexpected ${name}`);
    }) as never,
  };
}

function registry(tagDigest: () => string | undefined) {
  const log: string[] = [];
  const transport: Transport = async ({ method, url }): Promise<HttpResponse> => {
    log.push(`${method} ${url.pathname}`);
    const found = tagDigest();
    if (method === 'HEAD' && url.pathname.includes('/manifests/'))
      return found
        ? { status: 200, headers: { 'docker-content-digest': found }, body: Buffer.alloc(0) }
        : { status: 404, headers: {}, body: Buffer.alloc(0) };
    return { status: 500, headers: {}, body: Buffer.from('not in this test') };
  };
  return { log, transport };
}

const deps = (e: ReturnType<typeof ecr>, transport: Transport): EcrPushDeps => ({
  ecr: e,
  region: 'eu-west-1',
  logger: memoryLogger(),
  clock: manualClock(),
  mask: () => {},
  workDir: work,
  cwd: work,
  docker: undefined,
  transport,
  retryDelay: 1,
});

describe('run', () => {
  it('ends a re-push on the tag check, without waiting for the repository list', async () => {
    const e = ecr(() => 'hang');
    const r = registry(() => digest);
    const result = await run(inputs(), deps(e, r.transport));
    expect(result.digest).toBe(digest);
    expect(result.push).toMatchObject({ pushedBytes: 0, unchangedTags: ['v1'] });
    expect(r.log).toEqual(['HEAD /v2/shop/api/manifests/v1']);
    expect(e.aborted).toEqual(['DescribeRepositoriesCommand']);
  });

  it('reports a missing repository, with how to create it, even when the registry cannot be reached', async () => {
    const missing = Object.assign(new Error('not found'), { name: 'RepositoryNotFoundException', $metadata: { httpStatusCode: 400 } });
    const e = ecr((command) => (command.input.repositoryNames ? missing : { repositories: [] }));
    const unreachable: Transport = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    };
    await expect(run(inputs({ repository: 'shop/missing' }), deps(e, unreachable))).rejects.toThrow(
      /The ECR repository 'shop\/missing' does not exist\. Set 'create-repository: true'.*aws ecr create-repository --repository-name shop\/missing/,
    );
  });

  it('creates a repository the list does not hold before sending anything to it', async () => {
    const missing = Object.assign(new Error('not found'), { name: 'RepositoryNotFoundException', $metadata: { httpStatusCode: 400 } });
    const e = ecr((command) => (command.input.repositoryNames ? missing : { repositories: [] }));
    const r = registry(() => undefined);
    // the fake registry refuses uploads: what matters is that CreateRepository came first
    await expect(run(inputs({ 'create-repository': true }), deps(e, r.transport))).rejects.toThrow(/HTTP 500/);
    expect(e.sent).toContain('CreateRepositoryCommand');
    expect(r.log[0]).toBe('HEAD /v2/shop/api/manifests/v1');
    expect(r.log.slice(1).every((line) => line.startsWith('POST /v2/shop/api/blobs/uploads/'))).toBe(true);
  });
});
