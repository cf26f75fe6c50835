/**
 * ecr-push against `skopeo copy`, same image, same machine, same run: a 3-layer ~60 MB OCI
 * layout pushed (1) cold to a fresh registry, (2) again to the same repository, (3) to a new
 * repository of the same registry. Each tool gets its own fresh docker-registry per round, and
 * goes through a counting proxy so the layer bytes each sent are measured, not guessed.
 *   npx tsx bench/ecr-push/run.ts [rounds]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatBytes, markdownTable } from '@baepo/action-kit';
import { startFaultProxy } from '../../test/e2e/ecr-push/fault-proxy.js';
import { handMadeLayout } from '../../test/e2e/ecr-push/images.js';
import { runAction } from '../../test/harness/run-action.js';
import { awsEnv, MOTO_ECR_PASSWORD, MOTO_ECR_USER, requireTool, startMoto, startRegistry } from '../../test/stack/index.js';

type Scenario = 'cold' | 're-push' | 'new repository';
const SCENARIOS: Scenario[] = ['cold', 're-push', 'new repository'];
interface Sample {
  ms: number;
  bytes: number;
}

const rounds = Number(process.argv[2] ?? 3);
requireTool('skopeo', 'apt-get install -y skopeo');
const work = mkdtempSync(join(tmpdir(), 'baepo-bench-ecr-'));
const layout = join(work, 'layout');
handMadeLayout(layout, [20_000_000, 20_000_000, 20_000_000], 'v1');
const imageBytes = Number(execFileSync('du', ['-sb', join(layout, 'blobs')], { encoding: 'utf8' }).split('\t')[0]);
// skopeo keeps a blob-location cache across runs; give it a private one so round 1 is really cold.
const skopeoHome = join(work, 'skopeo-home');

const moto = await startMoto();
const results: Record<'ecr-push' | 'skopeo', Record<Scenario, Sample[]>> = {
  'ecr-push': { cold: [], 're-push': [], 'new repository': [] },
  skopeo: { cold: [], 're-push': [], 'new repository': [] },
};
/** What a skopeo user also runs first to get the password: Debian's AWS CLI v2 against the same moto. */
const loginMs: number[] = [];
/** ecr-push's floor: Node 24 starting and loading the bundle, run without an image source (it stops at input validation). */
const startupMs: number[] = [];

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

try {
  for (let round = 1; round <= rounds; round++) {
    loginMs.push(
      await timed(async () => {
        await promisify(execFile)('/usr/bin/aws', ['ecr', 'get-login-password', '--endpoint-url', moto.endpoint], {
          env: { ...process.env, ...awsEnv({}) },
        });
      }),
    );
    startupMs.push(
      await timed(async () => {
        const inputs = { repository: 'bench/startup', tags: 'v1' }; // and no image source
        const result = await runAction({ action: 'ecr-push', inputs, env: awsEnv({ ecr: moto.endpoint }) });
        if (!result.errors[0]?.includes('No image to push')) throw new Error(`ecr-push without an image source:\n${result.stdout}`);
      }),
    );
    for (const tool of ['ecr-push', 'skopeo'] as const) {
      const registry = await startRegistry();
      const proxy = await startFaultProxy(registry.endpoint);
      try {
        for (const scenario of SCENARIOS) {
          const repository = `bench/${tool}-r${round}${scenario === 'new repository' ? '-second' : ''}`;
          proxy.reset();
          const ms = await timed(async () => {
            if (tool === 'ecr-push') {
              const result = await runAction({
                action: 'ecr-push',
                inputs: {
                  repository,
                  tags: 'v1',
                  'oci-layout': layout,
                  'registry-endpoint': proxy.endpoint,
                  'create-repository': 'true',
                  login: 'false',
                },
                env: awsEnv({ ecr: moto.endpoint }),
              });
              if (result.exitCode !== 0) throw new Error(`ecr-push failed:\n${result.stdout}\n${result.stderr}`);
            } else {
              // async: the counting proxy runs in this process and must keep answering
              await promisify(execFile)(
                'skopeo',
                [
                  'copy',
                  '--quiet',
                  '--dest-tls-verify=false',
                  '--dest-creds',
                  `${MOTO_ECR_USER}:${MOTO_ECR_PASSWORD}`,
                  `oci:${layout}:v1`,
                  `docker://${new URL(proxy.endpoint).host}/${repository}:v1`,
                ],
                { env: { ...process.env, HOME: skopeoHome, XDG_DATA_HOME: join(skopeoHome, 'data') } },
              );
            }
          });
          results[tool][scenario].push({ ms, bytes: proxy.uploadBytes() });
          console.error(`round ${round} ${tool} ${scenario}: ${ms.toFixed(0)} ms, ${proxy.uploadBytes()} bytes`);
        }
      } finally {
        await proxy.stop();
        await registry.stop();
      }
    }
    await moto.reset();
  }
} finally {
  await moto.stop();
  rmSync(work, { recursive: true, force: true });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const login = median(loginMs);
const rows = SCENARIOS.map((scenario) => {
  const ours = results['ecr-push'][scenario];
  const theirs = results.skopeo[scenario];
  const a = median(ours.map((s) => s.ms));
  const b = median(theirs.map((s) => s.ms));
  return [
    scenario,
    `${a.toFixed(0)} ms`,
    `${b.toFixed(0)} ms`,
    `${(a / b).toFixed(2)}x`,
    `${(b + login).toFixed(0)} ms`,
    `${(a / (b + login)).toFixed(2)}x`,
    formatBytes(median(ours.map((s) => s.bytes))),
    formatBytes(median(theirs.map((s) => s.bytes))),
  ];
});
console.log(
  `ecr-push vs skopeo copy: 3 layers, ${formatBytes(imageBytes)} of blobs, docker-registry + moto on 127.0.0.1, median of ${rounds} rounds`,
);
console.log('(ecr-push times include starting Node 24 and its ECR API calls to moto; both go through the same counting proxy;');
console.log(
  ` skopeo is handed the password; the "+ login" columns add 'aws ecr get-login-password' (${login.toFixed(0)} ms), which a skopeo user runs first;`,
);
console.log(
  ` ecr-push's fixed start-up, Node 24 loading the bundle and stopping at input validation, is ${median(startupMs).toFixed(0)} ms of each of its times)\n`,
);
console.log(
  markdownTable(
    ['scenario', 'ecr-push', 'skopeo copy', 'ratio', 'skopeo + login', 'ratio', 'ecr-push bytes sent', 'skopeo bytes sent'],
    rows,
  ),
);
