import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the proxy saw: method, path and whether it was left unanswered. */
export interface SeenRequest {
  method: string;
  path: string;
  target: string | undefined;
  hung: boolean;
}

export interface HangProxy {
  endpoint: string;
  /** Every request received, in order. */
  requests: SeenRequest[];
  /** Requests read in full and never answered (their sockets stay open). */
  hanging(): number;
  stop(): Promise<void>;
}

/**
 * An HTTP proxy in front of a local server that accepts some requests, reads them in full and never
 * answers (the socket stays open, nothing is ever written): the "one unanswered request" fault. The
 * others are forwarded to `upstream` unchanged. `hang` decides per request (0-based index).
 */
export async function startHangProxy(
  upstream: string | undefined,
  hang: (request: { index: number; method: string; path: string; target: string | undefined }) => boolean = () => true,
): Promise<HangProxy> {
  const up = upstream ? new URL(upstream) : undefined;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let hung = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const index = requests.length;
    const target = req.headers['x-amz-target'] as string | undefined;
    const seen = { method: req.method ?? '', path: req.url ?? '', target, hung: false };
    requests.push(seen);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!up || hang({ index, method: seen.method, path: seen.path, target })) {
        seen.hung = true;
        hung++;
        return; // read in full, never answered
      }
      const forward = httpRequest(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    hanging: () => hung,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A proxy that forwards everything to `upstream`, reading request bodies at about `bytesPerSecond`
 * (never pausing longer than a few tens of milliseconds): a slow but alive link.
 */
export async function startSlowProxy(upstream: string, bytesPerSecond: number): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const up = new URL(upstream);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const forward = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => {
      forward.write(chunk);
      req.pause();
      setTimeout(() => req.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    req.on('end', () => forward.end());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A local port nothing listens on (bound, then closed): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
