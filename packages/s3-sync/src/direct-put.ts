import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { S3Client } from '@aws-sdk/client-s3';
import { type NetworkTimeouts, networkTimeouts } from '@baepo/aws';
import { extendedEncodeURIComponent } from '@smithy/core/protocols';
import { unquote } from './remote-listing.js';

/**
 * A PutObject of a small in-memory body, signed by the client's own SigV4 signer and sent on the
 * client's own keep-alive agents, without the SDK's per-request middleware (serialise, endpoint
 * rules, user agent, retry bookkeeping, deserialise): about a third of the CPU per request, which is
 * what a first upload of thousands of small files is bound by.
 *
 * It never guesses where or how to send: the SDK's first PutObject through `client` is recorded
 * after signing (endpoint, base path, signing region and service, user-agent headers) and reused
 * for every later key of the same bucket. Until then, and for anything the recording cannot
 * describe (SigV4a, S3 Express sessions, a path that is not base + key), `readyFor` stays false and
 * the SDK does the work. A response that is not 200 becomes an error carrying S3's code and HTTP
 * status; the caller retries through the SDK, which reports errors the usual way.
 */
export class DirectPut {
  #template: Template | undefined;
  #disabled: string | undefined;
  readonly #client: S3Client;
  readonly #agents: { http: HttpAgent; https: HttpsAgent };
  readonly #idleMs: number;
  /** Requests this instance sent (for the debug log and tests). */
  sent = 0;

  /** `timeouts`: the clients' own (connecting and waiting for an answer are both silences on the socket). */
  constructor(client: S3Client, agents: { http: HttpAgent; https: HttpsAgent }, timeouts: NetworkTimeouts = networkTimeouts()) {
    this.#client = client;
    this.#agents = agents;
    this.#idleMs = Math.max(timeouts.connectMs, timeouts.readMs);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!this.#template && !this.#disabled && context.commandName === 'PutObjectCommand')
          this.#template = templateFrom(args.request as SentRequest, args.input as { Bucket?: string; Key?: string });
        return next(args);
      },
      // Innermost: sees the request exactly as signed and sent.
      { step: 'deserialize', priority: 'low', name: 'baepoRecordPutObject' },
    );
  }

  /** True once an SDK PutObject has shown how this bucket's requests look. */
  readyFor(bucket: string): boolean {
    return this.#template?.bucket === bucket && !this.#disabled;
  }

  /** Stop using the direct path (for example when the SDK succeeded where it failed). */
  disable(reason: string): void {
    this.#disabled ??= reason;
  }

  get disabledReason(): string | undefined {
    return this.#disabled;
  }

  /** PUT `body` at `key` (prefix included) with `headers` (lower-case names); resolves to the ETag. */
  async put(key: string, body: Buffer, sha256Hex: string, headers: Record<string, string>, signal?: AbortSignal): Promise<string> {
    const template = this.#template;
    if (!template) throw new Error('DirectPut used before an SDK PutObject was recorded');
    const path = template.basePath + encodeKey(key);
    const unsigned = {
      method: 'PUT',
      protocol: template.protocol,
      hostname: template.hostname,
      port: template.port,
      path,
      query: {},
      headers: {
        ...template.headers,
        ...headers,
        'content-length': String(body.length),
        // The payload hash is signed (it is known already), and S3 checks the body against it.
        'x-amz-content-sha256': sha256Hex,
        'x-amz-checksum-sha256': Buffer.from(sha256Hex, 'hex').toString('base64'),
      },
    };
    const signer = await this.#client.config.signer();
    const signed = await signer.sign(unsigned, {
      signingRegion: template.region,
      signingService: template.service,
      // The SDK's correction for a skewed clock (learnt from an earlier RequestTimeTooSkewed), as its own requests use.
      signingDate: new Date(Date.now() + (this.#client.config.systemClockOffset ?? 0)),
    });
    this.sent++;
    const send = template.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<string>((resolve, reject) => {
      const req = send(
        {
          agent: template.protocol === 'https:' ? this.#agents.https : this.#agents.http,
          method: 'PUT',
          host: template.hostname,
          port: template.port,
          path,
          headers: signed.headers,
          signal,
        },
        (res) => {
          if (res.statusCode === 200) {
            res.resume();
            res.on('end', () => resolve(unquote(String(res.headers.etag ?? ''))));
            res.on('error', reject);
          } else readError(res).then(reject, reject);
        },
      );
      // Silence on the socket (connecting, sending or waiting): a TimeoutError, retried like the SDK's.
      req.setTimeout(this.#idleMs, () =>
        req.destroy(
          Object.assign(new Error(`the request socket was silent for ${this.#idleMs} ms (no answer)`), {
            name: 'TimeoutError',
            code: 'ETIMEDOUT',
          }),
        ),
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

interface SentRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, unknown>;
  headers: Record<string, string>;
}

interface Template {
  bucket: string;
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  /** The path before the encoded key: `/` (virtual-hosted) or `/bucket/` (path style). */
  basePath: string;
  region: string;
  service: string;
  /** Sent unchanged with every request: host and the user-agent headers. */
  headers: Record<string, string>;
}

/** A key as the SDK puts it in a path: each segment URI-encoded, `/` kept. */
export function encodeKey(key: string): string {
  return key.split('/').map(extendedEncodeURIComponent).join('/');
}

const CREDENTIAL_SCOPE = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,/;

/** What later PUTs can reuse from one the SDK signed, or undefined when it cannot be reused safely. */
export function templateFrom(request: SentRequest, input: { Bucket?: string; Key?: string }): Template | undefined {
  const { Bucket: bucket, Key: key } = input;
  const headers = lowerCase(request.headers);
  const scope = CREDENTIAL_SCOPE.exec(headers.authorization ?? '');
  if (!scope || !bucket || !key || headers['x-amz-s3session-token']) return undefined;
  if (request.protocol !== 'http:' && request.protocol !== 'https:') return undefined;
  if (Object.keys(request.query ?? {}).some((name) => name !== 'x-id')) return undefined;
  const encoded = encodeKey(key);
  if (!request.path.endsWith(`/${encoded}`)) return undefined;
  const basePath = request.path.slice(0, request.path.length - encoded.length);
  const kept: Record<string, string> = { host: headers.host ?? request.hostname };
  for (const name of ['user-agent', 'x-amz-user-agent']) if (headers[name]) kept[name] = headers[name];
  return {
    bucket,
    protocol: request.protocol,
    hostname: request.hostname,
    port: request.port,
    basePath,
    region: scope[1] as string,
    service: scope[2] as string,
    headers: kept,
  };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/** S3's error document, as an error shaped like the SDK's (name = S3's code, $metadata.httpStatusCode). */
async function readError(res: IncomingMessage): Promise<Error> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) if (chunks.length < 64) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  return Object.assign(new Error(message || `HTTP ${res.statusCode}`), {
    name: code ?? `Http${res.statusCode}`,
    $metadata: { httpStatusCode: res.statusCode, requestId: res.headers['x-amz-request-id'] },
  });
}
