import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './errors.js';
import type { Faults } from './faults.js';
import { uuid } from './ids.js';
import type { RecordedCall } from './types.js';

/** One AWS service behind the endpoint, chosen by the X-Amz-Target prefix. */
export interface ServiceBinding {
  /** X-Amz-Target prefix, e.g. `AmazonEC2ContainerServiceV20141113`. */
  targetPrefix: string;
  /** Short name recorded in calls, e.g. `ecs`. */
  service: string;
  /** Answer an operation in a region; throw AwsError for AWS errors. Undefined: unknown operation. */
  handle(operation: string, input: unknown, region: string): unknown;
  has(operation: string): boolean;
}

export interface JsonServerOptions {
  port?: number;
  /** The region of requests that are not signed (SigV4 names the region of every signed one). */
  defaultRegion: string;
  bindings: ServiceBinding[];
  faults: Faults;
  calls: RecordedCall[];
}

export interface JsonServer {
  endpoint: string;
  stop(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': uuid(),
  });
  res.end(text);
}

const sendError = (res: ServerResponse, error: AwsError): void => send(res, error.status, { __type: error.type, message: error.message });

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
}

/**
 * An HTTP server on 127.0.0.1 speaking AWS JSON 1.1: POST with
 * `X-Amz-Target: <prefix>.<Operation>`, JSON in and out, errors as
 * `{"__type", "message"}` (400; 500 for ServerException). SigV4 is accepted, not verified.
 */
export async function startJsonServer(options: JsonServerOptions): Promise<JsonServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, new AwsError('ServerException', message, 500));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The region a request is signed for: SigV4's credential scope
 * (`Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/ecs/aws4_request, ...`).
 * AWS endpoints are regional: a request only ever sees its region's resources
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
function signedRegion(req: IncomingMessage): string | undefined {
  const match = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(req.headers.authorization ?? ''));
  return match?.[1];
}

async function handle(req: IncomingMessage, res: ServerResponse, options: JsonServerOptions): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const dot = target.lastIndexOf('.');
  const binding = options.bindings.find((b) => b.targetPrefix === target.slice(0, dot));
  const operation = target.slice(dot + 1);
  if (req.method !== 'POST' || !binding || !binding.has(operation)) {
    req.resume();
    sendError(res, new AwsError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`));
    return;
  }
  options.calls.push({ operation, service: binding.service, at: Date.now() });
  let input: unknown;
  try {
    input = await readBody(req);
  } catch (error) {
    sendError(res, error as AwsError);
    return;
  }
  const fault = options.faults.take(operation);
  if (fault === 'throttle') return sendError(res, new AwsError('ThrottlingException', 'Rate exceeded'));
  if (fault === 'server-error') return sendError(res, new AwsError('ServerException', 'Service Unavailable', 500));
  try {
    send(res, 200, binding.handle(operation, input, signedRegion(req) ?? options.defaultRegion) ?? {});
  } catch (error) {
    if (error instanceof AwsError) return sendError(res, error);
    throw error;
  }
}
