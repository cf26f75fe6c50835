import { join } from 'node:path';
import { node24 } from '../harness/node24.js';
import { repoRoot } from '../harness/paths.js';
import { freePort, httpAnswers, startProcess, waitUntilReady } from './process.js';

export interface Fauxqs {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** fauxqs (a fast S3 emulator; needs Node >= 22.5, so it runs under Node 24). */
export async function startFauxqs(): Promise<Fauxqs> {
  const port = await freePort();
  const proc = startProcess(node24(), [join(repoRoot, 'node_modules', 'fauxqs', 'dist', 'cli.js')], {
    env: { ...process.env, FAUXQS_PORT: String(port), FAUXQS_HOST: '127.0.0.1' },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady('fauxqs', proc, () => httpAnswers(`${endpoint}/`));
  return { endpoint, port, stop: () => proc.stop() };
}
