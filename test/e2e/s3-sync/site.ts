import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Write files (relative path → content) under `root`, creating directories. */
export function writeSite(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A small Vite-like build: HTML pages, hashed assets, a nested index, a dotfile directory. */
export function viteSite(): Record<string, string> {
  return {
    'index.html': '<!doctype html><script src="/assets/index-3f2a1b.js"></script><h1>home</h1>',
    'about/index.html': '<!doctype html><h1>about</h1>',
    'docs/guide/index.html': '<!doctype html><h1>guide</h1>',
    'assets/index-3f2a1b.js': 'console.log("app v1");\n',
    'assets/index-9c8d7e.css': 'body{color:#123}\n',
    'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'favicon.ico': 'ICO',
    '.well-known/security.txt': 'Contact: mailto:security@example.com\n',
    'robots.txt': 'User-agent: *\n',
  };
}
