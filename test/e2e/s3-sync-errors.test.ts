import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explain, runAction } from '../harness/run-action.js';
import { awsEnv, type Moto, startMoto } from '../stack/index.js';
import { bucketState, directClient } from './s3-sync/bucket.js';
import { type CountingProxy, startCountingProxy } from './s3-sync/counting-proxy.js';
import { viteSite, writeSite } from './s3-sync/site.js';
import { newBucket, runSync, writes } from './s3-sync/sync-env.js';

// Every bad input ends as one clear ::error:: line, before any write to S3.
describe('s3-sync bad input', () => {
  let moto: Moto;
  let proxy: CountingProxy;
  let s3: S3Client;
  let root: string;
  let source: string;
  let bucket: string;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startCountingProxy(moto.endpoint);
    s3 = directClient(moto.endpoint);
  });
  afterAll(async () => {
    await proxy?.stop();
    await moto?.stop();
  });
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'baepo-bad-'));
    source = join(root, 'site');
    writeSite(source, viteSite());
    bucket = await newBucket(s3);
    return () => rmSync(root, { recursive: true, force: true });
  });

  async function fails(inputs: Record<string, string | boolean | undefined>, message: RegExp): Promise<void> {
    proxy.reset();
    const run = await runSync({ s3: proxy.endpoint, cloudfront: moto.endpoint }, { source, bucket, ...inputs });
    expect(run.exitCode, explain(run)).toBe(1);
    expect(run.errors, explain(run)).toHaveLength(1);
    expect(run.errors[0]).toMatch(message);
    expect(run.stdout).not.toMatch(/unexpected error/);
    expect(writes(proxy.counts())).toBe(0);
    expect((await bucketState(s3, bucket)).size).toBe(0);
  }

  it('a bucket that does not exist', async () => {
    await fails({ bucket: 'no-such-bucket-here' }, /^Bucket 'no-such-bucket-here' does not exist .* Check the 'bucket' input/);
  });

  it('a missing, file or empty source', async () => {
    await fails({ source: join(root, 'build') }, /^Input 'source' ".*build" does not exist\. Build the site first/);
    writeFileSync(join(root, 'file.txt'), 'x');
    await fails({ source: join(root, 'file.txt') }, /is a file; it must be the directory to publish/);
    mkdirSync(join(root, 'empty'));
    await fails({ source: join(root, 'empty'), delete: true }, /has no files to publish .* which would delete everything under the prefix/);
    await fails({ include: 'nothing/**' }, /has no files to publish \(after 'include'\/'exclude'\)/);
  });

  it('a symlink leaving source', async () => {
    writeFileSync(join(root, 'id_rsa'), 'PRIVATE');
    symlinkSync(join(root, 'id_rsa'), join(source, 'assets/key.txt'));
    await fails({}, /^Symlink "assets\/key.txt" points outside 'source' .* refusing to publish files from outside the site/);
  });

  it('a key longer than 1,024 bytes', async () => {
    writeSite(source, { [`${'a'.repeat(210)}/${'b'.repeat(210)}/${'c'.repeat(210)}/${'d'.repeat(210)}/${'e'.repeat(210)}.txt`]: 'x' });
    await fails({ prefix: 'site' }, /^The key "site\/a+…" is 1063 bytes long in UTF-8; S3 keys are at most 1024 bytes\. Shorten/);
  });

  it('invalid globs, header values, numbers and enums, all reported together', async () => {
    await fails({ exclude: '/abs/**' }, /^Input 'exclude' has an invalid glob "\/abs\/\*\*": globs are relative to 'source'/);
    await fails({ 'cache-control': '**/*.html' }, /^Input 'cache-control' line 1 must look like 'key=value'; got "\*\*\/\*.html"/);
    await fails({ 'cache-control': '**/*.html=max-age=60 “quoted”' }, /has an invalid header value .* printable ASCII/);
    await fails({ 'content-type': '**/*.webmanifest=manifest' }, /has an invalid media type "manifest"/);
    await fails(
      { delete: 'yes', concurrency: 'fast' },
      /^2 inputs are invalid: Input 'delete' must be 'true' or 'false', got "yes"\. Input 'concurrency' must be a whole number; got "fast"\./,
    );
    await fails({ 'max-delete': 'many' }, /^Input 'max-delete' must be a number of objects/);
    await fails({ invalidate: 'some' }, /^Input 'invalidate' must be one of 'changed', 'all', 'none'; got "some"/);
    await fails({ bucket: 's3://site/path' }, /^Input 'bucket' must be a bucket name/);
    await fails({ 'cloudfront-distribution-id': 'd123.cloudfront.net' }, /^Input 'cloudfront-distribution-id' must be a distribution ID/);
    await fails({ 'kms-key': 'alias/site' }, /^Input 'kms-key' is only used with 'sse: aws:kms'/);
    await fails({ 'multipart-threshold': '1MiB' }, /^Input 'multipart-threshold' must be at least 5242880 bytes/);
  });

  it('a file named like the manifest', async () => {
    writeSite(source, { '.baepo-sync-manifest.json': '{}' });
    await fails({}, /contains '\.baepo-sync-manifest\.json', the name baepo reserves/);
  });

  it('a missing region', async () => {
    proxy.reset();
    const run = await runAction({
      action: 's3-sync',
      inputs: { source, bucket },
      env: { ...awsEnv({ s3: proxy.endpoint }), AWS_REGION: undefined },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/No AWS region: set the 'aws-region' input, or AWS_REGION/);
    expect(proxy.total()).toBe(0);
  });
});

// moto enforces IAM policies (and checks every request's SigV4 signature) once its first
// unauthenticated actions are used up.
describe('s3-sync access denied', () => {
  let moto: Moto;
  let bucket: string;
  let source: string;
  const keys: Record<string, { id: string; secret: string }> = {};

  beforeAll(async () => {
    process.env.INITIAL_NO_AUTH_ACTION_COUNT = '10';
    moto = await startMoto();
    delete process.env.INITIAL_NO_AUTH_ACTION_COUNT;
    const admin = directClient(moto.endpoint);
    bucket = await newBucket(admin, 'locked');
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
    });
    const policies: Record<string, string[]> = {
      nothing: ['sts:GetCallerIdentity'],
      readonly: ['s3:ListBucket', 's3:GetObject'],
      publisher: ['s3:ListBucket', 's3:GetObject', 's3:PutObject'],
    };
    for (const [user, actions] of Object.entries(policies)) {
      await iam.send(new CreateUserCommand({ UserName: user }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: user,
          PolicyName: 'p',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }),
        }),
      );
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
      keys[user] = { id: key.AccessKey?.AccessKeyId as string, secret: key.AccessKey?.SecretAccessKey as string };
    }
    source = mkdtempSync(join(tmpdir(), 'baepo-denied-'));
    writeSite(source, viteSite());
  });
  afterAll(async () => {
    await moto?.stop();
    rmSync(source, { recursive: true, force: true });
  });

  const runAs = (user: string, extra: Record<string, string> = {}) =>
    runAction({
      action: 's3-sync',
      inputs: { source, bucket, ...extra },
      env: { ...awsEnv({ s3: moto.endpoint }), AWS_ACCESS_KEY_ID: keys[user]?.id, AWS_SECRET_ACCESS_KEY: keys[user]?.secret },
    });

  it('names s3:ListBucket and the bucket ARN when listing is denied', async () => {
    const run = await runAs('nothing');
    expect(run.exitCode, explain(run)).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^Access denied: the credentials cannot s3:ListBucket on arn:aws:s3:::${bucket}\\. Grant 's3:ListBucket' on 'arn:aws:s3:::${bucket}'`,
      ),
    );
    expect(run.visibleLog).not.toContain(keys.nothing?.secret);
  });

  it('names s3:PutObject and the object ARN when uploading is denied', async () => {
    const run = await runAs('readonly');
    expect(run.exitCode, explain(run)).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(`^Access denied: the credentials cannot s3:PutObject on arn:aws:s3:::${bucket}/\\S+\\. Grant 's3:PutObject'`),
    );
  });

  it('a role with the documented permissions syncs, every request signed correctly', async () => {
    // One upload at a time, so that all but the first are direct PUTs (signed outside the SDK's pipeline).
    const first = await runAs('publisher', { concurrency: '1' });
    expect(first.exitCode, explain(first)).toBe(0);
    expect(first.outputs).toMatchObject({ uploaded: '9' });
    expect(first.stdout).toContain('::debug::Direct PUTs sent: 8\n');
    const again = await runAs('publisher');
    expect(again.exitCode, explain(again)).toBe(0);
    expect(again.outputs).toMatchObject({ uploaded: '0', unchanged: '9' });
    // moto does check signatures: the right key ID with a wrong secret is refused.
    const forged = await runAction({
      action: 's3-sync',
      inputs: { source, bucket },
      env: { ...awsEnv({ s3: moto.endpoint }), AWS_ACCESS_KEY_ID: keys.publisher?.id, AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
    });
    expect(forged.exitCode).toBe(1);
    expect(forged.errors.join('\n')).toMatch(/signature/i);
  });
});
