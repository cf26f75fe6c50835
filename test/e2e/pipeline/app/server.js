import { createServer } from 'node:http';

export const greeting = (name) => `hello, ${name}`;

if (process.argv[1]?.endsWith('server.js')) {
  createServer((_req, res) => res.end(greeting('shop'))).listen(8080);
}
