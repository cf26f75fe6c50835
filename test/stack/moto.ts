import { execFileSync } from 'node:child_process';
import { freePort, httpAnswers, MissingToolError, requireTool, startProcess, waitUntilReady } from './process.js';

export interface Moto {
  endpoint: string;
  port: number;
  /** Clear all state (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** `moto_server`, or `python3 -m moto.server` when only the module is installed. */
function motoCommand(): string[] {
  try {
    requireTool('moto_server', '');
    return ['moto_server'];
  } catch {
    try {
      execFileSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' });
      return ['python3', '-m', 'moto.server'];
    } catch {
      throw new MissingToolError(
        "moto is not installed. Run 'bash scripts/setup-stack.sh' (it installs everything the stack needs), or: python3 -m pip install 'moto[server]>=5,<6'.",
      );
    }
  }
}

/** moto_server (AWS API emulator) on a free 127.0.0.1 port. */
export async function startMoto(): Promise<Moto> {
  const [command, ...prefix] = motoCommand();
  const port = await freePort();
  const proc = startProcess(command as string, [...prefix, '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true', TEST_SERVER_MODE: 'true' },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady('moto_server', proc, () => httpAnswers(`${endpoint}/moto-api/`, (s) => s === 200), 30_000);
  return {
    endpoint,
    port,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    stop: () => proc.stop(),
  };
}
