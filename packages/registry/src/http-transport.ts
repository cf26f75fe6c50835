import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** One HTTP exchange with the registry. A stream body is sent once (it cannot be replayed). */
export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer | Readable;
  signal?: AbortSignal;
}

/** The answer, body read whole (registry answers to a push are small JSON, or empty). */
export interface HttpResponse {
  status: number;
  /** Lower-case names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export interface HttpTransport {
  send: Transport;
  /** Close the kept-alive connections. */
  close(): void;
}

/** Registry answers are small; anything beyond this is dropped (only the start of an error body is shown). */
const MAX_BODY = 1024 * 1024;
/** How long a connection may take to open, and how long it may carry nothing before it is given up (and the operation retried). */
export interface TransportTimeouts {
  connectMs: number;
  idleMs: number;
}

/**
 * A registry answers a request in well under a second, and a blob upload keeps the socket busy
 * while it flows; the longest silence is a registry checking a large blob's digest after its last
 * byte, hence a minute (not the AWS APIs' 20 s).
 */
export const REGISTRY_TIMEOUTS: TransportTimeouts = { connectMs: 10_000, idleMs: 60_000 };

const networkError = (message: string, code: string): Error => Object.assign(new Error(message), { code });

/**
 * HTTP/1.1 over node:http / node:https with one keep-alive agent per scheme, at most
 * `connections` sockets per host. Stream bodies are piped into the request as they are read
 * (no copies); the response body is collected.
 */
export function httpTransport(connections: number, timeouts: TransportTimeouts = REGISTRY_TIMEOUTS): HttpTransport {
  const options = { keepAlive: true, maxSockets: Math.max(1, connections) };
  const agents = { 'http:': new HttpAgent(options), 'https:': new HttpsAgent(options) };
  const send: Transport = ({ method, url, headers, body, signal }) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const stream = body && !Buffer.isBuffer(body) ? body : undefined;
      const fail = (error: Error): void => {
        stream?.destroy();
        reject(signal?.aborted ? signal.reason : error); // as fetch does: the abort's own reason (e.g. the job's cancellation)
      };
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        fail(new Error(`Cannot send ${method} to ${url.origin}: only http and https are supported`));
        return;
      }
      const open = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = open(url, { method, headers, agent: agents[url.protocol], signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', fail);
        res.on('end', () => {
          // An answer before the whole body was sent (e.g. 401, 413): stop reading the file, drop the connection.
          if (stream && !req.writableFinished) {
            stream.destroy();
            req.destroy();
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      req.on('error', fail);
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () =>
            req.destroy(
              networkError(
                `Could not connect to ${url.host} within ${timeouts.connectMs / 1000} s (${method} ${url.pathname})`,
                'ETIMEDOUT',
              ),
            ),
          timeouts.connectMs,
        );
        socket.once('connect', () => clearTimeout(timer));
        req.once('close', () => clearTimeout(timer));
      });
      req.setTimeout(timeouts.idleMs, () =>
        req.destroy(networkError(`No data from ${url.host} for ${timeouts.idleMs / 1000} s (${method} ${url.pathname})`, 'ETIMEDOUT')),
      );
      if (stream) {
        stream.on('error', (error) => req.destroy(error));
        stream.pipe(req);
      } else {
        req.end(body);
      }
    });
  return {
    send,
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** A header's value (the first, when repeated). */
export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
