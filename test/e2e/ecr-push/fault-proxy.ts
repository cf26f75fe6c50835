import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestRecord {
  method: string;
  path: string;
  /** Request body bytes received. */
  bytes: number;
  status: number | 'reset';
}

/** A fault to inject into the next request that matches. */
export interface Fault {
  match: (method: string, path: string) => boolean;
  /** Answer with this status (body discarded), or cut the connection after `afterBytes` body bytes. */
  action: { status: number } | { reset: true; afterBytes?: number };
  /** How many matching requests to hit (default 1). */
  times?: number;
}

export interface FaultProxy {
  endpoint: string;
  requests: RecordRequests;
  /** Body bytes sent to blob upload URLs (layer and config bytes), faulted requests included. */
  uploadBytes(): number;
  inject(fault: Fault): void;
  reset(): void;
  stop(): Promise<void>;
}

type RecordRequests = RequestRecord[];

const isUpload = (method: string, path: string): boolean => (method === 'PATCH' || method === 'PUT') && path.includes('/blobs/uploads/');

/**
 * An HTTP proxy in front of the registry that counts the bytes each request carries and can
 * answer with errors or cut connections mid-body, as a flaky network or registry would.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: RecordRequests = [];
  const faults: Required<Fault>[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record: RequestRecord = { method, path, bytes: 0, status: 0 };
    requests.push(record);
    const fault = faults.find((f) => f.times > 0 && f.match(method, path));
    if (fault) fault.times--;
    if (fault && 'reset' in fault.action) {
      const limit = fault.action.afterBytes ?? 0;
      record.status = 'reset';
      if (limit === 0) {
        req.socket.destroy();
        return;
      }
      req.on('data', (chunk: Buffer) => {
        record.bytes += chunk.length;
        if (record.bytes >= limit) req.socket.destroy();
      });
      return;
    }
    if (fault && 'status' in fault.action) {
      const status = fault.action.status;
      req.on('data', (chunk: Buffer) => {
        record.bytes += chunk.length;
      });
      req.on('end', () => {
        record.status = status;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
      });
      return;
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, method, path, headers: req.headers }, (answer) => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => {
      record.bytes += chunk.length;
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    uploadBytes: () => requests.filter((r) => isUpload(r.method, r.path)).reduce((sum, r) => sum + r.bytes, 0),
    inject: (fault) => faults.push({ times: 1, ...fault }),
    reset: () => {
      requests.length = 0;
      faults.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
