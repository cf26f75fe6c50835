import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A tool of the local stack is missing: the message says how to install it; no stack trace is worth printing. */
export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
}

/** Fail with an install hint when a tool the tests need is absent; tests never skip silently. */
export function requireTool(command: string, install: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  } catch {
    throw new MissingToolError(
      `'${command}' is not installed. Run 'bash scripts/setup-stack.sh' (it installs everything the stack needs)${install ? `, or: ${install}` : ''}.`,
    );
  }
}

export interface ManagedProcess {
  child: ChildProcess;
  /** Stop the process (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
  /** What it printed, for diagnosing a failed start. */
  output(): string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ManagedProcess {
  const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  return {
    child,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Poll `probe` until it returns true; fail with the process output after `timeoutMs`. */
export async function waitUntilReady(name: string, proc: ManagedProcess, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${name} exited with code ${proc.child.exitCode} while starting:\n${proc.output()}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop();
  throw new Error(`${name} was not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

/** True when an HTTP GET answers with any status (the server is listening and speaking HTTP). */
export async function httpAnswers(url: string, accept: (status: number) => boolean = () => true): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return accept(response.status);
}
