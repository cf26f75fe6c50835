import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** S3 operations told apart by method, query and headers (path-style requests). */
export type S3Operation =
  | 'ListObjectsV2'
  | 'HeadObject'
  | 'GetObject'
  | 'PutObject'
  | 'CopyObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'DeleteObjects'
  | 'DeleteObject'
  | 'Other';

export function classify(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): S3Operation {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams;
  const method = req.method ?? 'GET';
  if (method === 'GET' && q.get('list-type') === '2') return 'ListObjectsV2';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'PUT' && req.headers['x-amz-copy-source']) return 'CopyObject';
  if (method === 'PUT' && q.has('partNumber')) return 'UploadPart';
  if (method === 'PUT') return 'PutObject';
  if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'POST' && q.has('delete')) return 'DeleteObjects';
  if (method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'DELETE') return 'DeleteObject';
  return 'Other';
}

export interface CountingProxy {
  endpoint: string;
  /** Requests per operation since the last reset. */
  counts(): Partial<Record<S3Operation, number>>;
  total(): number;
  /** Content bytes sent in PutObject and UploadPart bodies. */
  uploadedBytes(): number;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of an S3 endpoint that counts requests by
 * operation and content bytes uploaded: how the tests and the benchmark prove
 * "no content upload" and "requests = listing pages + 1".
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let counts: Partial<Record<S3Operation, number>> = {};
  let bytes = 0;
  const server = createServer((req, res) => {
    const operation = classify(req);
    counts[operation] = (counts[operation] ?? 0) + 1;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      res.destroy(error);
    });
    const counted = operation === 'PutObject' || operation === 'UploadPart';
    const decoded = Number(req.headers['x-amz-decoded-content-length'] ?? Number.NaN);
    if (counted && !Number.isNaN(decoded)) bytes += decoded;
    req.on('data', (chunk: Buffer) => {
      if (counted && Number.isNaN(decoded)) bytes += chunk.length;
    });
    req.pipe(forward);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0),
    uploadedBytes: () => bytes,
    reset: () => {
      counts = {};
      bytes = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
