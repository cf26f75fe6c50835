/**
 * s3-sync against `aws s3 sync` (AWS CLI v2) and `rclone sync`, same data, same fauxqs server,
 * same run. Every tool talks through a counting proxy, so requests and uploaded bytes are
 * measured, not guessed. Scenarios: (a) first upload to an empty bucket; (b) a fresh checkout
 * (every mtime newer) with 1% of the files changed; (c) no change at all.
 * Fairness: before anything is measured every tool syncs 100 small files once (fauxqs and the
 * proxy are warm for all three alike); every scenario runs ROUNDS times (default 3) with the
 * tool order rotated each round, and the median is reported; (a) uploads into fresh buckets each
 * round and all but the last round's buckets are deleted, so fauxqs's memory does not keep growing.
 *   npx tsx bench/s3-sync/run.ts [rounds]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { formatBytes, markdownTable } from '@baepo/action-kit';
import { directClient } from '../../test/e2e/s3-sync/bucket.js';
import { type CountingProxy, type S3Operation, startCountingProxy } from '../../test/e2e/s3-sync/counting-proxy.js';
import { newBucket } from '../../test/e2e/s3-sync/sync-env.js';
import { runAction } from '../../test/harness/run-action.js';
import { awsEnv, requireTool, startFauxqs } from '../../test/stack/index.js';
import { changeSmallFiles, writeDataset } from './dataset.js';

type Tool = 's3-sync' | 'aws s3 sync' | 'rclone sync';
type Scenario = 'a. first upload' | 'b. fresh checkout, 1% changed' | 'c. no change';
type Phase = Scenario | 'warm-up';
interface Sample {
  ms: number;
  requests: number;
  counts: Partial<Record<S3Operation, number>>;
  uploads: number;
  bytes: number;
  rssKb: number;
}

const AWS = '/usr/bin/aws';
/** Rounds of every scenario, each tool once per round; the median is reported. */
const ROUNDS = Number(process.argv[2] ?? 3);
requireTool(AWS, 'apt-get install -y awscli');
requireTool('rclone', 'apt-get install -y rclone');
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`rounds must be a whole number >= 1, got '${process.argv[2]}'`);
const TOOLS: Tool[] = ['s3-sync', 'aws s3 sync', 'rclone sync'];
/** Small files the warm-up syncs. */
const WARM_UP_FILES = 100;
const work = mkdtempSync(join(tmpdir(), 'baepo-bench-s3-'));
const site = join(work, 'site');
console.error('writing the dataset...');
const dataset = writeDataset(site);
const fauxqs = await startFauxqs();
// normaliseXmlQuotes: rclone's CompleteMultipartUpload writes quotes as &#34;, which fauxqs does not decode.
const proxy: CountingProxy = await startCountingProxy(fauxqs.endpoint, { normaliseXmlQuotes: true });
const admin = directClient(fauxqs.endpoint);
const env = awsEnv({ s3: proxy.endpoint });
const results = new Map<string, Sample>();

function spawnAsync(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = (stdout + chunk).slice(-20_000);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function maxRss(stderr: string, marker: RegExp): number {
  const match = marker.exec(stderr);
  return match ? Number(match[1]) : 0;
}

/** The tools in round `round`'s order: round r starts with tool r mod 3. */
function rotated(round: number): Tool[] {
  const first = round % TOOLS.length;
  return [...TOOLS.slice(first), ...TOOLS.slice(0, first)];
}

/** Empty a bucket (DeleteObjects, 1,000 keys a batch) and delete it, straight on fauxqs (not counted). */
async function removeBucket(bucket: string): Promise<void> {
  for (;;) {
    const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
    const keys = (page.Contents ?? []).map((item) => ({ Key: item.Key as string }));
    if (!keys.length) break;
    const result = await admin.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    if (result.Errors?.length) throw new Error(`emptying ${bucket}: ${JSON.stringify(result.Errors.slice(0, 3))}`);
  }
  await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** Objects in a bucket (all pages, straight on fauxqs). */
async function objectCount(bucket: string): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    count += page.KeyCount ?? page.Contents?.length ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return count;
}

/** "3 ListObjectsV2 + 1 GetObject", largest count first. */
function describeCounts(counts: Sample['counts']): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([operation, n]) => `${n} ${operation}`)
    .join(' + ');
}

async function runTool(tool: Tool, source: string, bucket: string, scenario: Phase): Promise<Sample> {
  proxy.reset();
  const start = performance.now();
  let rssKb = 0;
  if (tool === 's3-sync') {
    const run = await runAction({
      action: 's3-sync',
      inputs: { source, bucket, concurrency: 16 },
      env: { ...env, NODE_OPTIONS: `--import=${join(import.meta.dirname, 'report-rss.mjs')}` },
      timeoutMs: 600_000,
    });
    if (run.exitCode !== 0) throw new Error(`s3-sync failed:\n${run.stdout}\n${run.stderr}`);
    rssKb = maxRss(run.stderr, /BAEPO_MAX_RSS_KB=(\d+)/);
  } else {
    const args =
      tool === 'aws s3 sync'
        ? [AWS, 's3', 'sync', source, `s3://${bucket}/`, '--endpoint-url', proxy.endpoint, '--only-show-errors']
        : [
            'rclone',
            'sync',
            source,
            `bench:${bucket}`,
            '--transfers',
            '16',
            // rclone's default single-PUT cutoff (200 MiB) exceeds fauxqs's 11 MiB body limit: use the AWS CLI's 8 MiB parts.
            '--s3-upload-cutoff',
            '8Mi',
            '--s3-chunk-size',
            '8Mi',
            ...(scenario === 'a. first upload' || scenario === 'warm-up' ? [] : ['--checksum']),
          ];
    // Asynchronous on purpose: the counting proxy lives in this process and must keep serving.
    const toolEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...env,
      AWS_DEFAULT_REGION: env.AWS_REGION,
      RCLONE_CONFIG_BENCH_TYPE: 's3',
      RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
      RCLONE_CONFIG_BENCH_ENDPOINT: proxy.endpoint,
      RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
      RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
      RCLONE_CONFIG_BENCH_REGION: env.AWS_REGION,
      RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
    };
    delete toolEnv.AWS_CA_BUNDLE;
    const result = await spawnAsync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', ...args], toolEnv);
    if (result.status !== 0) throw new Error(`${tool} failed (${result.status}):\n${result.stdout}\n${result.stderr.slice(-3000)}`);
    rssKb = maxRss(result.stderr, /MAXRSS_KB=(\d+)/);
  }
  const ms = performance.now() - start;
  const counts = proxy.counts();
  const sample = {
    ms,
    requests: proxy.total(),
    counts,
    uploads: (counts.PutObject ?? 0) + (counts.CreateMultipartUpload ?? 0),
    bytes: proxy.uploadedBytes(),
    rssKb,
  };
  console.error(
    `${scenario} / ${tool}: ${ms.toFixed(0)} ms, ${sample.requests} requests (${describeCounts(counts)}), ${formatBytes(sample.bytes)}`,
  );
  return sample;
}

/** The sample with the median time (its request and byte counts come with it). */
function median(samples: Sample[]): Sample {
  return [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)] as Sample;
}

try {
  const samples = new Map<string, Sample[]>();
  const add = (key: string, sample: Sample) => samples.set(key, [...(samples.get(key) ?? []), sample]);

  // Warm-up, not measured: a freshly started fauxqs (and this process's proxy) is still compiling its
  // hot paths, which would bill whichever tool comes first. Every tool syncs a few small files once.
  const warmUp = join(work, 'warm-up');
  for (const file of dataset.files.filter((path) => path.startsWith('assets/')).slice(0, WARM_UP_FILES)) {
    mkdirSync(dirname(join(warmUp, file)), { recursive: true });
    cpSync(join(site, file), join(warmUp, file));
  }
  for (const tool of TOOLS) {
    const bucket = await newBucket(admin, 'warm-up');
    await runTool(tool, warmUp, bucket, 'warm-up');
    await removeBucket(bucket);
  }

  // (a) every round into fresh empty buckets, in rotated order. Each tool uploads the whole dataset
  // per round: only the last round's buckets are kept (for (b) and (c)), the others are deleted
  // so fauxqs does not carry 3 x 154 MiB more into every following round.
  let buckets = new Map<Tool, string>();
  for (let round = 0; round < ROUNDS; round++) {
    const fresh = new Map<Tool, string>();
    for (const tool of TOOLS) fresh.set(tool, await newBucket(admin, 'bench'));
    for (const tool of rotated(round))
      add(`a. first upload/${tool}`, await runTool(tool, site, fresh.get(tool) as string, 'a. first upload'));
    if (round < ROUNDS - 1) for (const bucket of fresh.values()) await removeBucket(bucket);
    else buckets = fresh;
  }

  // (b) and (c) take well under a second for the fast tools: one sample would be noise, so each
  // round is repeated and the median kept. Each (b) round is a fresh checkout (a new copy: every
  // mtime newer than the objects) with the same 1% of files edited again (new content each round).
  let checkout = site;
  let changed: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const next = join(work, `checkout-${round}`);
    cpSync(checkout, next, { recursive: true });
    checkout = next;
    changed = changeSmallFiles(checkout, Math.round(dataset.files.length / 100));
    for (const tool of rotated(round))
      add(
        `b. fresh checkout, 1% changed/${tool}`,
        await runTool(tool, checkout, buckets.get(tool) as string, 'b. fresh checkout, 1% changed'),
      );
  }
  for (let round = 0; round < ROUNDS; round++)
    for (const tool of rotated(round))
      add(`c. no change/${tool}`, await runTool(tool, checkout, buckets.get(tool) as string, 'c. no change'));
  for (const [key, list] of samples) results.set(key, median(list));

  const scenarios: Scenario[] = ['a. first upload', 'b. fresh checkout, 1% changed', 'c. no change'];
  const rows = scenarios.flatMap((scenario) => {
    const ours = results.get(`${scenario}/s3-sync`) as Sample;
    return TOOLS.map((tool) => {
      const sample = results.get(`${scenario}/${tool}`) as Sample;
      return [
        scenario,
        tool === 'rclone sync' && scenario !== 'a. first upload' ? 'rclone sync --checksum' : tool,
        `${(sample.ms / 1000).toFixed(2)} s`,
        tool === 's3-sync' ? '1.00' : `${(ours.ms / sample.ms).toFixed(2)}x`,
        sample.requests,
        sample.uploads,
        formatBytes(sample.bytes),
        sample.rssKb ? formatBytes(sample.rssKb * 1024) : '?',
      ];
    });
  });
  console.log(
    `\nData: ${dataset.files.length} files, ${formatBytes(dataset.bytes)} (2,000 x 1-4 KB, 20 x 1-5 MB, 2 x 50 MB); fauxqs on 127.0.0.1; ${changed.length} files changed in each (b) round.\n`,
  );
  console.log(markdownTable(['scenario', 'tool', 'time', 's3-sync / tool', 'requests', 'uploads', 'bytes uploaded', 'peak RSS'], rows));
  console.log(
    [
      '',
      `Every row is the median of ${ROUNDS} round(s) (the run with the median time; its counts come with it). The tool order rotates`,
      `each round (round r starts with tool r mod 3: ${TOOLS.join(', ')}). Before any measured run every tool synced ${WARM_UP_FILES} small files`,
      "into a throw-away bucket (warm-up, not measured). (a) uploads into fresh empty buckets every round; only the last round's",
      'buckets are kept for (b) and (c), the others are emptied and deleted so fauxqs does not slow down as its memory fills.',
      '"s3-sync / tool" is s3-sync\'s time divided by the tool\'s: below 1 means s3-sync is faster.',
      "rclone's CompleteMultipartUpload bodies pass through the proxy with &#34; re-encoded as &quot; (the same XML character; fauxqs 2.4 decodes only the latter).",
      '',
      'Requests by operation (median runs):',
      ...scenarios.flatMap((scenario) =>
        TOOLS.map((tool) => `  ${scenario} / ${tool}: ${describeCounts((results.get(`${scenario}/${tool}`) as Sample).counts)}`),
      ),
    ].join('\n'),
  );
  const noChange = results.get('c. no change/s3-sync') as Sample;
  const { ListObjectsV2: v2 = 0, ListObjects: v1 = 0, ...rest } = noChange.counts;
  const objects = await objectCount(buckets.get('s3-sync') as string);
  console.log(
    `\n(c) s3-sync made ${noChange.requests} request(s): ${v1 + v2} listing page(s)${Object.keys(rest).length ? ` + ${describeCounts(rest)}` : ''}; its bucket holds ${objects} objects (manifest included), at least ${Math.ceil(objects / 1000)} page(s) of 1,000.`,
  );
} finally {
  await proxy.stop();
  await fauxqs.stop();
  rmSync(work, { recursive: true, force: true });
}
