import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that reached the proxy. */
export interface ProxiedCall {
  /** `GetParametersByPath`, `GetParameters`, ... (from X-Amz-Target). */
  operation: string;
  body: Record<string, unknown>;
  /** What the proxy answered with instead of forwarding, if anything. */
  fault?: Fault;
}

export interface Fault {
  status: number;
  /** AWS JSON 1.1 error type, e.g. ThrottlingException. */
  type: string;
  message: string;
}

export const THROTTLING: Fault = { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
export const INTERNAL_ERROR: Fault = { status: 500, type: 'InternalServerError', message: 'Internal failure' };
export const UNAVAILABLE: Fault = { status: 503, type: 'ServiceUnavailable', message: 'Service Unavailable' };

/** Decides, per request (0-based index among all requests), whether to answer with a fault instead of forwarding. */
export type FaultRule = (call: { index: number; operation: string; body: Record<string, unknown> }) => Fault | undefined;

export interface SsmProxy {
  endpoint: string;
  calls: ProxiedCall[];
  /** Calls that were forwarded to the upstream (not faulted), by operation. */
  forwarded(operation: string): ProxiedCall[];
  setFaults(rule: FaultRule | undefined): void;
  /** Hold every forwarded request this long first (a slow service), 0 for none. */
  setDelay(ms: number): void;
  reset(): void;
  stop(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A counting, fault-injecting HTTP proxy for the AWS JSON 1.1 protocol, in front of
 * moto: it records every call and can answer chosen ones with throttling, 5xx or
 * access-denied errors, exactly as Parameter Store would.
 */
export async function startSsmProxy(upstream: string): Promise<SsmProxy> {
  const calls: ProxiedCall[] = [];
  let rule: FaultRule | undefined;
  let delayMs = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const body = await readBody(request);
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      let parsed: Record<string, unknown> = {};
      try {
        parsed = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        // not JSON: forwarded as is
      }
      const fault = rule?.({ index: calls.length, operation, body: parsed });
      calls.push({ operation, body: parsed, ...(fault ? { fault } : {}) });
      if (fault) {
        const payload = JSON.stringify({ __type: fault.type, message: fault.message });
        response.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `fault-${calls.length}` });
        response.end(payload);
        return;
      }
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const headers = { ...request.headers };
      delete headers.host;
      delete headers['content-length'];
      const upstreamResponse = await fetch(`${upstream}${request.url ?? '/'}`, {
        method: request.method ?? 'POST',
        headers: headers as Record<string, string>,
        ...(body.length ? { body } : {}),
      });
      const answer = Buffer.from(await upstreamResponse.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      upstreamResponse.headers.forEach((value, key) => {
        if (!['content-length', 'transfer-encoding', 'content-encoding', 'connection'].includes(key)) outHeaders[key] = value;
      });
      response.writeHead(upstreamResponse.status, outHeaders);
      response.end(answer);
    })().catch((error: unknown) => {
      response.writeHead(502);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    forwarded: (operation) => calls.filter((c) => c.operation === operation && !c.fault),
    setFaults: (next) => {
      rule = next;
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    reset: () => {
      calls.length = 0;
      rule = undefined;
      delayMs = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
