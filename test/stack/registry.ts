import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, httpAnswers, requireTool, startProcess, waitUntilReady } from './process.js';

/** moto's ECR GetAuthorizationToken always yields this user and password. */
export const MOTO_ECR_USER = 'AWS';
export const MOTO_ECR_PASSWORD = '123456789012-auth-token';

export interface Registry {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** 127.0.0.1:PORT, as image references name it. */
  host: string;
  port: number;
  storage: string;
  stop(): Promise<void>;
}

/** The CNCF distribution registry (docker-registry), with htpasswd auth that accepts moto's ECR token. */
export async function startRegistry(): Promise<Registry> {
  requireTool('docker-registry', 'apt-get install -y docker-registry');
  requireTool('htpasswd', 'apt-get install -y apache2-utils');
  const dir = mkdtempSync(join(tmpdir(), 'baepo-registry-'));
  const storage = join(dir, 'storage');
  const port = await freePort();
  const htpasswd = execFileSync('htpasswd', ['-Bbn', MOTO_ECR_USER, MOTO_ECR_PASSWORD], { encoding: 'utf8' });
  writeFileSync(join(dir, 'htpasswd'), htpasswd);
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      'auth:',
      '  htpasswd:',
      '    realm: baepo-test',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  const proc = startProcess('docker-registry', ['serve', join(dir, 'config.yml')]);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady('docker-registry', proc, () => httpAnswers(`${endpoint}/v2/`, (s) => s === 401));
  return {
    endpoint,
    host: `127.0.0.1:${port}`,
    port,
    storage,
    stop: async () => {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
