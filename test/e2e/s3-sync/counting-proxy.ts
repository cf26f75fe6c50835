import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** S3 operations told apart by method, path, query and headers (path-style requests). */
export type S3Operation =
  | 'ListObjectsV2'
  | 'ListObjects'
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

/** Query parameters of ListObjects (v1) and ListObjectsV2: any other parameter on a bucket GET names a sub-resource. */
const LISTING_PARAMETERS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'encoding-type',
  'marker',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'x-id', // the AWS SDK for JavaScript names some operations in the query
]);

export function classify(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): S3Operation {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams;
  const method = req.method ?? 'GET';
  const [bucket, ...key] = url.pathname.split('/').filter(Boolean);
  if (bucket === undefined) return 'Other'; // ListBuckets
  if (key.length === 0) return bucketOperation(method, q);
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'PUT' && req.headers['x-amz-copy-source']) return 'CopyObject';
  if (method === 'PUT' && q.has('partNumber')) return 'UploadPart';
  if (method === 'PUT') return 'PutObject';
  if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'DELETE') return 'DeleteObject';
  return 'Other';
}

/**
 * A request on the bucket itself (no key): a listing page, a batch delete, or something else
 * (HeadBucket, CreateBucket, DeleteBucket, `?location`, `?versioning`, `?uploads`, `?versions`...).
 */
function bucketOperation(method: string, q: URLSearchParams): S3Operation {
  if (method === 'GET' && [...q.keys()].every((name) => LISTING_PARAMETERS.has(name)))
    return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  if (method === 'POST' && q.has('delete')) return 'DeleteObjects';
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
  /** Answer matching requests with an S3 error instead of forwarding them (undefined: forward all). */
  fail(fault: Fault | undefined): void;
  stop(): Promise<void>;
}

/** Decides, per request, whether the proxy answers it with an S3 error document instead of forwarding it. */
export type Fault = (req: IncomingMessage, operation: S3Operation) => { status: number; code: string; message: string } | undefined;

/**
 * A pass-through HTTP proxy in front of an S3 endpoint that counts requests by
 * operation and content bytes uploaded: how the tests and the benchmark prove
 * "no content upload" and "requests = listing pages + 1".
 */
export interface CountingProxyOptions {
  /**
   * Re-encode `&#34;` as `&quot;` in CompleteMultipartUpload bodies. Both are the same XML character; Go
   * clients (rclone) send the numeric form, which fauxqs 2.4 does not decode (it then reports InvalidPart).
   * The benchmark turns this on so rclone can upload multipart files too; the tests leave bodies untouched.
   */
  normaliseXmlQuotes?: boolean;
}

export async function startCountingProxy(target: string, options: CountingProxyOptions = {}): Promise<CountingProxy> {
  const upstream = new URL(target);
  let counts: Partial<Record<S3Operation, number>> = {};
  let bytes = 0;
  let fault: Fault | undefined;
  const server = createServer((req, res) => {
    const operation = classify(req);
    counts[operation] = (counts[operation] ?? 0) + 1;
    const injected = fault?.(req, operation);
    if (injected) {
      req.resume();
      req.on('end', () => {
        res.writeHead(injected.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'injected' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${injected.code}</Code><Message>${injected.message}</Message></Error>`);
      });
      return;
    }
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
    if (options.normaliseXmlQuotes && operation === 'CompleteMultipartUpload') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.from(Buffer.concat(chunks).toString('utf8').replaceAll('&#34;', '&quot;'));
        forward.setHeader('content-length', body.length);
        forward.end(body);
      });
      return;
    }
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
    fail: (next) => {
      fault = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
