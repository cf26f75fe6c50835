import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Agent as HttpAgent, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer, Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DirectPut, encodeKey, templateFrom } from './direct-put.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Whether the server's own SigV4 computation agrees with the request's Authorization header. */
  signatureValid: boolean;
  fromSdk: boolean;
}

/** Recomputes a request's SigV4 signature from what arrived on the wire, over the headers it says it signed. */
async function verifySignature(method: string, path: string, headers: IncomingHttpHeaders): Promise<boolean> {
  const auth = String(headers.authorization ?? '');
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(auth);
  if (!match) return false;
  const [, region, service, signedHeaders, signature] = match as unknown as string[];
  const picked: Record<string, string> = {};
  for (const name of (signedHeaders as string).split(';')) picked[name] = String(headers[name]);
  const [pathname, search] = path.split('?');
  const query = Object.fromEntries(new URLSearchParams(search ?? ''));
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: region as string,
    service: service as string,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });
  const amzDate = String(headers['x-amz-date']);
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const again = await signer.sign(
    { method, protocol: 'http:', hostname: '127.0.0.1', path: pathname as string, query, headers: picked },
    { signingDate: date },
  );
  return String(again.headers.authorization).endsWith(`Signature=${signature}`);
}

let server: Server;
let endpoint: string;
let received: Received[] = [];
/** What the server answers each request with (default 200 + ETag). */
let answer: (r: Received) => { status: number; body?: string } = () => ({ status: 200 });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const entry: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        signatureValid: await verifySignature(req.method ?? '', req.url ?? '', req.headers),
        fromSdk: req.headers['amz-sdk-invocation-id'] !== undefined,
      };
      received.push(entry);
      const reply = answer(entry);
      if (reply.status === 200) {
        res.writeHead(200, { ETag: `"${createHash('md5').update(body).digest('hex')}"`, 'x-amz-request-id': 'r1' });
        res.end();
      } else {
        res.writeHead(reply.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'r2' });
        res.end(reply.body ?? '');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  answer = () => ({ status: 200 });
});

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
function client(): { s3: S3Client; direct: DirectPut } {
  const s3 = new S3Client({ region: 'ap-northeast-2', endpoint, forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 1 });
  return { s3, direct: new DirectPut(s3, agents) };
}
const sha = (body: Buffer) => createHash('sha256').update(body).digest('hex');

describe('DirectPut', () => {
  it('is not ready before the SDK has sent a PutObject to that bucket, then sends the same request the SDK would', async () => {
    const { s3, direct } = client();
    expect(direct.readyFor('site')).toBe(false);
    const body = Buffer.from('console.log(1);\n');
    const headers = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-amz-meta-baepo-sha256': sha(body) };
    await s3.send(
      new PutObjectCommand({
        Bucket: 'site',
        Key: 'www/first.js',
        Body: body,
        ContentType: headers['content-type'],
        CacheControl: 'no-cache',
        Metadata: { 'baepo-sha256': sha(body) },
        ChecksumSHA256: Buffer.from(sha(body), 'hex').toString('base64'),
      }),
    );
    expect(direct.readyFor('site')).toBe(true);
    expect(direct.readyFor('other')).toBe(false);

    const etag = await direct.put('www/second.js', body, sha(body), headers);
    expect(etag).toBe(createHash('md5').update(body).digest('hex'));
    const [viaSdk, viaDirect] = received as [Received, Received];
    expect(viaDirect).toMatchObject({ method: 'PUT', path: '/site/www/second.js', fromSdk: false, signatureValid: true });
    expect(viaSdk.signatureValid).toBe(true);
    expect(viaDirect.body.equals(body)).toBe(true);
    // Every header S3 acts on is the same as the SDK's; the payload hash is signed instead of left unsigned.
    for (const name of [
      'content-type',
      'cache-control',
      'x-amz-meta-baepo-sha256',
      'x-amz-checksum-sha256',
      'content-length',
      'user-agent',
      'x-amz-user-agent',
      'host',
    ])
      expect(viaDirect.headers[name], name).toBe(viaSdk.headers[name]);
    expect(viaDirect.headers['x-amz-content-sha256']).toBe(sha(body));
    expect(String(viaDirect.headers.authorization)).toMatch(/\/ap-northeast-2\/s3\/aws4_request, SignedHeaders=[^,]*x-amz-checksum-sha256/);
    expect(direct.sent).toBe(1);
  });

  it('encodes keys exactly as the SDK does', async () => {
    const { s3, direct } = client();
    const keys = ['a b/c+d.js', 'docs/한글/index.html', "x/(1)!*'~.txt", 'per%cent/#hash?q=1', 'dots/../x', 'trailing/'];
    const body = Buffer.from('x');
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'site', Key: key, Body: body }));
    const sdkPaths = received.map((r) => r.path.replace(/\?x-id=PutObject$/, ''));
    received = [];
    for (const key of keys) await direct.put(key, body, sha(body), { 'content-type': 'text/plain' });
    expect(received.map((r) => r.path)).toEqual(sdkPaths);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    expect(keys.map((key) => `/site/${encodeKey(key)}`)).toEqual(sdkPaths);
  });

  it("turns S3's error document into an error named by its code with the HTTP status", async () => {
    const { s3, direct } = client();
    await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'k', Body: Buffer.from('x') }));
    answer = () => ({
      status: 503,
      body: '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
    });
    await expect(direct.put('k2', Buffer.from('x'), sha(Buffer.from('x')), {})).rejects.toMatchObject({
      name: 'SlowDown',
      message: 'Please reduce your request rate.',
      $metadata: { httpStatusCode: 503, requestId: 'r2' },
    });
    answer = () => ({ status: 400 });
    await expect(direct.put('k3', Buffer.from('x'), sha(Buffer.from('x')), {})).rejects.toMatchObject({
      name: 'Http400',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('stays off once disabled', async () => {
    const { s3, direct } = client();
    await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'k', Body: Buffer.from('x') }));
    direct.disable('test');
    expect(direct.readyFor('site')).toBe(false);
    expect(direct.disabledReason).toBe('test');
  });
});

describe('DirectPut over HTTPS', () => {
  let dir: string;
  let tls: Server;
  let httpsEndpoint: string;
  let ca: Buffer;
  const paths: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baepo-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'));
    tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: ca }, (req, res) => {
      req.resume();
      req.on('end', async () => {
        paths.push(`${req.url} ${(await verifySignature(req.method ?? '', req.url ?? '', req.headers)) ? 'signed' : 'BAD SIGNATURE'}`);
        res.writeHead(200, { ETag: '"e1"' });
        res.end();
      });
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    httpsEndpoint = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    tls.closeAllConnections();
    await new Promise((resolve) => tls.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends on the client's HTTPS agent (the one that trusts its CA)", async () => {
    const httpsAgent = new HttpsAgent({ keepAlive: true, ca });
    const tlsClient = () =>
      new S3Client({
        region: 'ap-northeast-2',
        endpoint: httpsEndpoint,
        forcePathStyle: true,
        credentials: CREDENTIALS,
        requestHandler: { httpsAgent },
      });
    const s3 = tlsClient();
    const direct = new DirectPut(s3, { http: agents.http, https: httpsAgent });
    await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'a.js', Body: Buffer.from('a') }));
    expect(await direct.put('b.js', Buffer.from('b'), sha(Buffer.from('b')), {})).toBe('e1');
    expect(paths).toEqual(['/site/a.js?x-id=PutObject signed', '/site/b.js signed']);
    // Without the client's agent (and so its CA), the certificate is refused: the agent really is the one in use.
    const other = tlsClient();
    const strict = new DirectPut(other, { http: agents.http, https: new HttpsAgent() });
    await other.send(new PutObjectCommand({ Bucket: 'site', Key: 'c.js', Body: Buffer.from('c') }));
    await expect(strict.put('d.js', Buffer.from('d'), sha(Buffer.from('d')), {})).rejects.toThrow(/self-signed|certificate/);
  });
});

describe('templateFrom', () => {
  const signed = (overrides: Partial<{ path: string; headers: Record<string, string>; query: Record<string, string> }> = {}) => ({
    protocol: 'https:',
    hostname: 'site.s3.ap-northeast-2.amazonaws.com',
    path: '/www/a.js',
    query: { 'x-id': 'PutObject' },
    headers: {
      host: 'site.s3.ap-northeast-2.amazonaws.com',
      'user-agent': 'aws-sdk-js/3 baepo',
      'x-amz-user-agent': 'aws-sdk-js/3',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261123/ap-northeast-2/s3/aws4_request, SignedHeaders=host, Signature=00',
      'content-type': 'text/javascript',
    },
    ...overrides,
  });

  it('keeps the endpoint, base path, scope and user agent of a virtual-hosted request', () => {
    expect(templateFrom(signed(), { Bucket: 'site', Key: 'www/a.js' })).toEqual({
      bucket: 'site',
      protocol: 'https:',
      hostname: 'site.s3.ap-northeast-2.amazonaws.com',
      port: undefined,
      basePath: '/',
      region: 'ap-northeast-2',
      service: 's3',
      headers: { host: 'site.s3.ap-northeast-2.amazonaws.com', 'user-agent': 'aws-sdk-js/3 baepo', 'x-amz-user-agent': 'aws-sdk-js/3' },
    });
  });

  it('refuses what it cannot reuse: SigV4a, S3 Express sessions, other query parameters, a path that is not base + key', () => {
    const key = { Bucket: 'site', Key: 'www/a.js' };
    const headers = signed().headers;
    expect(
      templateFrom(
        signed({
          headers: {
            ...headers,
            authorization: 'AWS4-ECDSA-P256-SHA256 Credential=AKID/20261123/s3/aws4_request, SignedHeaders=host, Signature=00',
          },
        }),
        key,
      ),
    ).toBeUndefined();
    expect(templateFrom(signed({ headers: { ...headers, 'x-amz-s3session-token': 't' } }), key)).toBeUndefined();
    expect(templateFrom(signed({ query: { 'x-id': 'PutObject', versionId: '1' } }), key)).toBeUndefined();
    expect(templateFrom(signed({ path: '/www/other.js' }), key)).toBeUndefined();
    expect(templateFrom(signed(), { Bucket: 'site' })).toBeUndefined();
  });
});
