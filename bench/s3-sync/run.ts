/**
 * s3-sync against `aws s3 sync` (AWS CLI v2) and `rclone sync`, same data, same fauxqs server,
 * same run. Every tool talks through a counting proxy, so requests and uploaded bytes are
 * measured, not guessed. Scenarios: (a) first upload to an empty bucket; (b) a fresh checkout
 * (every mtime newer) with 1% of the files changed; (c) no change at all.
 * (a) runs once (seconds per tool); (b) and (c) run ROUNDS times (default 3) and report medians.
 *   npx tsx bench/s3-sync/run.ts [rounds]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes, markdownTable } from '@baepo/action-kit';
import { directClient } from '../../test/e2e/s3-sync/bucket.js';
import { type CountingProxy, startCountingProxy } from '../../test/e2e/s3-sync/counting-proxy.js';
import { newBucket } from '../../test/e2e/s3-sync/sync-env.js';
import { runAction } from '../../test/harness/run-action.js';
import { awsEnv, requireTool, startFauxqs } from '../../test/stack/index.js';
import { changeSmallFiles, writeDataset } from './dataset.js';

type Tool = 's3-sync' | 'aws s3 sync' | 'rclone sync';
type Scenario = 'a. first upload' | 'b. fresh checkout, 1% changed' | 'c. no change';
interface Sample {
  ms: number;
  requests: number;
  uploads: number;
  bytes: number;
  rssKb: number;
}

const AWS = '/usr/bin/aws';
/** Rounds of (b) and (c), each tool once per round; the median is reported. */
const ROUNDS = Number(process.argv[2] ?? 3);
requireTool(AWS, 'apt-get install -y awscli');
requireTool('rclone', 'apt-get install -y rclone');
const TOOLS: Tool[] = ['s3-sync', 'aws s3 sync', 'rclone sync'];
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

async function runTool(tool: Tool, source: string, bucket: string, scenario: Scenario): Promise<Sample> {
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
            ...(scenario === 'a. first upload' ? [] : ['--checksum']),
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
    uploads: (counts.PutObject ?? 0) + (counts.CreateMultipartUpload ?? 0),
    bytes: proxy.uploadedBytes(),
    rssKb,
  };
  console.error(
    `${scenario} / ${tool}: ${ms.toFixed(0)} ms, ${sample.requests} requests ${JSON.stringify(counts)}, ${formatBytes(sample.bytes)}`,
  );
  return sample;
}

/** The sample with the median time (its request and byte counts come with it). */
function median(samples: Sample[]): Sample {
  return [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)] as Sample;
}

try {
  const buckets = new Map<Tool, string>();
  for (const tool of TOOLS) buckets.set(tool, await newBucket(admin, 'bench'));
  for (const tool of TOOLS)
    results.set(`a. first upload/${tool}`, await runTool(tool, site, buckets.get(tool) as string, 'a. first upload'));

  // (b) and (c) take well under a second for the fast tools: one sample would be noise, so each
  // round is repeated and the median kept. Each (b) round is a fresh checkout (a new copy: every
  // mtime newer than the objects) with the same 1% of files edited again (new content each round).
  const samples = new Map<string, Sample[]>();
  const add = (key: string, sample: Sample) => samples.set(key, [...(samples.get(key) ?? []), sample]);
  let checkout = site;
  let changed: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const next = join(work, `checkout-${round}`);
    cpSync(checkout, next, { recursive: true });
    checkout = next;
    changed = changeSmallFiles(checkout, Math.round(dataset.files.length / 100));
    for (const tool of TOOLS)
      add(
        `b. fresh checkout, 1% changed/${tool}`,
        await runTool(tool, checkout, buckets.get(tool) as string, 'b. fresh checkout, 1% changed'),
      );
  }
  for (let round = 1; round <= ROUNDS; round++)
    for (const tool of TOOLS) add(`c. no change/${tool}`, await runTool(tool, checkout, buckets.get(tool) as string, 'c. no change'));
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
    `\nData: ${dataset.files.length} files, ${formatBytes(dataset.bytes)} (2,000 x 1-4 KB, 20 x 1-5 MB, 2 x 50 MB); fauxqs on 127.0.0.1; ${changed.length} files changed in each (b) round; (b) and (c): median of ${ROUNDS} rounds.`,
  );
  console.log('"s3-sync / tool" is s3-sync\'s time divided by the tool\'s: below 1 means s3-sync is faster.');
  console.log(
    "rclone's CompleteMultipartUpload bodies pass through the proxy with &#34; re-encoded as &quot; (the same XML character; fauxqs 2.4 decodes only the latter).\n",
  );
  console.log(markdownTable(['scenario', 'tool', 'time', 's3-sync / tool', 'requests', 'uploads', 'bytes uploaded', 'peak RSS'], rows));
  const noChange = results.get('c. no change/s3-sync') as Sample;
  console.log(
    `\n(c) s3-sync made ${noChange.requests} request(s): ${Math.ceil((dataset.files.length + 1) / 1000)} listing page(s) + 1 manifest read.`,
  );
} finally {
  await proxy.stop();
  await fauxqs.stop();
  rmSync(work, { recursive: true, force: true });
}
