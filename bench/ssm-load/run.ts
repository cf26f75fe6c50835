/**
 * ssm-load against the AWS CLI v2, same moto, same run: 1,000 parameters under two paths
 * (505 under /bench/common, 495 under /bench/production; nested, String/SecureString/StringList). Each tool reads
 * both paths recursively and decrypted, every page, through a counting proxy so the API
 * calls each made are measured, not guessed.
 *   npx tsx bench/ssm-load/run.ts [rounds]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { markdownTable } from '@baepo/action-kit';
import { type SeedParameter, seedClient, seedParameters } from '../../test/e2e/ssm-load/seed.js';
import { startSsmProxy } from '../../test/e2e/ssm-load/ssm-proxy.js';
import { runAction } from '../../test/harness/run-action.js';
import { awsEnv, requireTool, startMoto } from '../../test/stack/index.js';

const run = promisify(execFile);
const AWS_CLI = '/usr/bin/aws';
const rounds = Number(process.argv[2] ?? 3);
const PATHS = ['/bench/common', '/bench/production'];
requireTool(AWS_CLI, 'apt-get install -y awscli');

const parameters: SeedParameter[] = [];
// 505 + 495: neither count is a multiple of 10, so the last page of each path carries no NextToken
// (at an exact multiple, moto, like AWS, may hand out a token for one more, empty page).
for (let i = 0; i < 1000; i++) {
  const path = PATHS[i < 505 ? 0 : 1] as string;
  const type = i % 5 === 0 ? 'SecureString' : i % 5 === 1 ? 'StringList' : 'String';
  parameters.push({
    name: `${path}/svc${i % 7}/group${i % 3}/key${i}`,
    value: type === 'StringList' ? `a${i},b${i}` : `value-${i}-${'x'.repeat(40)}`,
    type,
  });
}

type Tool = 'ssm-load' | 'aws cli (paths one after another)' | 'aws cli (paths in parallel)';
const TOOLS: Tool[] = ['ssm-load', 'aws cli (paths one after another)', 'aws cli (paths in parallel)'];
const samples: Record<Tool, { ms: number; calls: number; loaded: number }[]> = {
  'ssm-load': [],
  'aws cli (paths one after another)': [],
  'aws cli (paths in parallel)': [],
};

const moto = await startMoto();
const proxy = await startSsmProxy(moto.endpoint);
const env = awsEnv({});
const cliEnv = { ...process.env, ...env, AWS_PAGER: '', AWS_ENDPOINT_URL: undefined, AWS_CA_BUNDLE: undefined };

async function cli(path: string): Promise<number> {
  const { stdout } = await run(
    AWS_CLI,
    [
      'ssm',
      'get-parameters-by-path',
      '--path',
      path,
      '--recursive',
      '--with-decryption',
      '--endpoint-url',
      proxy.endpoint,
      '--output',
      'json',
    ],
    { env: cliEnv, maxBuffer: 64 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as { Parameters: unknown[] }).Parameters.length;
}

async function once(tool: Tool): Promise<{ ms: number; calls: number; loaded: number }> {
  proxy.reset();
  const start = performance.now();
  let loaded = 0;
  if (tool === 'ssm-load') {
    const result = await runAction({
      action: 'ssm-load',
      inputs: { paths: PATHS.join('\n') },
      env: awsEnv({ ssm: proxy.endpoint }),
    });
    if (result.exitCode !== 0) throw new Error(`ssm-load failed:\n${result.stdout}\n${result.stderr}`);
    loaded = Number(result.outputs.count);
  } else if (tool === 'aws cli (paths one after another)') {
    for (const path of PATHS) loaded += await cli(path);
  } else {
    loaded = (await Promise.all(PATHS.map(cli))).reduce((a, b) => a + b, 0);
  }
  return { ms: performance.now() - start, calls: proxy.calls.length, loaded };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

try {
  const seedStart = performance.now();
  await seedParameters(seedClient(moto.endpoint), parameters);
  console.log(
    `Seeded ${parameters.length} parameters under ${PATHS.join(' and ')} in ${Math.round(performance.now() - seedStart)} ms; ${rounds} rounds.`,
  );
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither tool always runs on a warmer server.
    const order = round % 2 === 0 ? TOOLS : [...TOOLS].reverse();
    for (const tool of order) samples[tool].push(await once(tool));
  }
  const minimum = Math.ceil(505 / 10) + Math.ceil(495 / 10);
  const anchor = median(samples['aws cli (paths one after another)'].map((s) => s.ms));
  console.log(
    markdownTable(
      ['tool', 'parameters', 'API calls', 'median', 'min', 'max', 'vs aws cli (sequential)'],
      TOOLS.map((tool) => {
        const ms = samples[tool].map((s) => s.ms);
        return [
          tool,
          samples[tool].map((s) => s.loaded).join('/'),
          samples[tool].map((s) => s.calls).join('/'),
          `${Math.round(median(ms))} ms`,
          `${Math.round(Math.min(...ms))} ms`,
          `${Math.round(Math.max(...ms))} ms`,
          `${(median(ms) / anchor).toFixed(2)}×`,
        ];
      }),
    ),
  );
  console.log(`Minimum GetParametersByPath calls for ${parameters.length} parameters in ${PATHS.length} paths at 10 per page: ${minimum}.`);
  console.log('ssm-load time includes starting Node 24 and writing GITHUB_ENV; the CLI time includes starting Python and printing JSON.');
} finally {
  await proxy.stop();
  await moto.stop();
}
