import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadBlob } from './blob-upload.js';
import { digestOf } from './digest.js';
import type { BlobSource } from './image.js';
import { RegistryClient } from './registry-client.js';
import { isTransient, RegistryError } from './registry-error.js';

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

const DIGEST = `sha256:${'a'.repeat(64)}`;
let server: Server | undefined;
let client: RegistryClient | undefined;

/** A real node:http server, so the client's own transport (node:http, keep-alive, streaming) is what is tested. */
async function serve(handler: Handler): Promise<{ endpoint: string; seen: { line: string; auth: string; bytes: number }[] }> {
  const seen: { line: string; auth: string; bytes: number }[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ line: `${req.method} ${req.url}`, auth: req.headers.authorization ?? '', bytes: body.length });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function connect(endpoint: string, signal?: AbortSignal): RegistryClient {
  client = new RegistryClient({ endpoint, credentials: { username: 'AWS', password: 'pw' }, signal });
  return client;
}

afterEach(async () => {
  client?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('RegistryClient over node:http', () => {
  it('sends Basic credentials, and answers a Bearer challenge with a token from the realm', async () => {
    let base = '';
    const { endpoint, seen } = await serve((req, _body, res) => {
      const auth = req.headers.authorization ?? '';
      if (req.url?.startsWith('/token')) {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ token: auth.startsWith('Basic ') ? 'tok-1' : 'wrong' }));
      } else if (auth !== 'Bearer tok-1') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="registry",scope="repository:shop/api:pull"` });
        res.end('{}');
      } else {
        res.writeHead(200, { 'docker-content-digest': DIGEST });
        res.end();
      }
    });
    base = endpoint;
    const registry = connect(endpoint);
    await expect(registry.headManifest('shop/api', 'v1')).resolves.toBe(DIGEST);
    expect(seen[0]?.auth).toBe(`Basic ${Buffer.from('AWS:pw').toString('base64')}`);
    expect(seen[1]?.line).toBe('GET /token?service=registry&scope=repository%3Ashop%2Fapi%3Apull');
    expect(seen[2]?.auth).toBe('Bearer tok-1');
    // the token is reused for the same scope: one request, no new challenge
    await registry.headManifest('shop/api', 'v2');
    expect(seen).toHaveLength(4);
  });

  it('streams a large blob in PATCH requests, hashing the bytes it sends', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    const received: Buffer[] = [];
    const { endpoint, seen } = await serve((req, body, res) => {
      if (req.method === 'PATCH') received.push(body);
      const status = req.method === 'PUT' ? 201 : 202;
      res.writeHead(status, { location: '/v2/shop/api/blobs/uploads/s1', 'docker-content-digest': digestOf(Buffer.concat(received)) });
      res.end();
    });
    const blob: BlobSource = {
      digest: digestOf(bytes),
      size: bytes.length,
      mediaType: 'application/octet-stream',
      read: async () => bytes,
      stream: (o, l) => Readable.from([bytes.subarray(o, o + l)]),
    };
    let progress = 0;
    await uploadBlob(connect(endpoint), 'shop/api', blob, {
      monolithicMax: 1024,
      chunkSize: 2 * 1024 * 1024,
      onProgress: (n) => (progress = n),
    });
    expect(Buffer.concat(received).equals(bytes)).toBe(true);
    expect(seen.map((s) => s.line.split('?')[0])).toEqual([
      'POST /v2/shop/api/blobs/uploads/',
      'PATCH /v2/shop/api/blobs/uploads/s1',
      'PATCH /v2/shop/api/blobs/uploads/s1',
      'PUT /v2/shop/api/blobs/uploads/s1',
    ]);
    expect(progress).toBe(bytes.length);
  });

  it('follows one redirect of a HEAD, but reports a redirect of a streamed upload', async () => {
    const { endpoint } = await serve((req, _body, res) => {
      if (req.url === '/v2/shop/api/manifests/v1') res.writeHead(307, { location: '/v2/shop/moved/manifests/v1' });
      else if (req.method === 'HEAD') res.writeHead(200, { 'docker-content-digest': DIGEST });
      else res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const registry = connect(endpoint);
    await expect(registry.headManifest('shop/api', 'v1')).resolves.toBe(DIGEST);
    const chunk = Readable.from([Buffer.alloc(10)]);
    await expect(registry.uploadChunk('shop/api', registry.url('/v2/shop/api/blobs/uploads/s1'), 0, 10, chunk)).rejects.toThrow(
      /redirect \(HTTP 307\) to \/elsewhere; a streamed upload cannot be sent again/,
    );
  });

  it('takes an answer that comes before the whole streamed body was sent, and stops reading it', async () => {
    server = createServer((_req, res) => {
      res.writeHead(413, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ errors: [{ code: 'SIZE_INVALID', message: 'too big' }] }));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const registry = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(1024 * 1024);
      })(),
    );
    const error = await registry
      .uploadChunk('shop/api', registry.url('/v2/shop/api/blobs/uploads/s1'), 0, 64 * 1024 * 1024, body)
      .catch((e: unknown) => e);
    expect((error as RegistryError).status).toBe(413);
    expect(body.destroyed).toBe(true);
  });

  it('reports registry errors with their code, and a cut connection as transient', async () => {
    const { endpoint } = await serve((req, _body, res) => {
      if (req.method === 'POST') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }));
      } else {
        req.socket.destroy();
      }
    });
    const registry = connect(endpoint);
    const refused = await registry.startUpload('shop/none').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RegistryError);
    expect((refused as RegistryError).code).toBe('NAME_UNKNOWN');
    expect((refused as Error).message).toBe(
      'Starting an upload to shop/none failed: HTTP 404 NAME_UNKNOWN: repository name not known to registry',
    );
    expect(isTransient(refused)).toBe(false);
    const cut = await registry.headBlob('shop/api', DIGEST).catch((e: unknown) => e);
    expect(isTransient(cut)).toBe(true);
  });

  it('stops when the signal aborts, and that is not retried', async () => {
    const { endpoint } = await serve(() => {}); // never answers
    const controller = new AbortController();
    const pending = connect(endpoint, controller.signal)
      .headManifest('shop/api', 'v1')
      .catch((e: unknown) => e);
    const reason = Object.assign(new Error('The job was cancelled (SIGINT).'), { name: 'CancelledError' });
    setTimeout(() => controller.abort(reason), 20);
    const error = await pending;
    expect(error).toBe(reason);
    expect(isTransient(error)).toBe(false);
    server?.closeAllConnections();
  });
});
