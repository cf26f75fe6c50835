import type { Readable } from 'node:stream';
import { digestOf } from './digest.js';
import { type HttpResponse, header, httpTransport, type Transport, type TransportTimeouts } from './http-transport.js';
import { MANIFEST_TYPES } from './media-types.js';
import { registryError } from './registry-error.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** `https://123456789012.dkr.ecr.eu-west-1.amazonaws.com` or `http://127.0.0.1:5000`. */
  endpoint: string;
  credentials: Credentials;
  /** Connections kept open to the registry (default 8): about the number of blobs sent at once. */
  connections?: number;
  /** Replaces node:http (tests). */
  transport?: Transport;
  userAgent?: string;
  signal?: AbortSignal;
  /** Connect and idle limits of the node:http transport (default REGISTRY_TIMEOUTS). */
  timeouts?: TransportTimeouts;
}

/** A request body: bytes, or a stream of them (sent once: it cannot be replayed after an auth challenge). */
type Body = Buffer | Readable;
type Init = { method: string; headers?: Record<string, string>; body?: Body };

const ok = (response: HttpResponse): boolean => response.status >= 200 && response.status < 300;

/**
 * The part of the OCI distribution API a push needs, over node:http(s) with kept-alive
 * connections. Authenticates with Basic auth (ECR's token is a user and password); a registry
 * that answers with a Bearer challenge gets a token from its realm, cached per scope.
 */
export class RegistryClient {
  readonly endpoint: URL;
  private readonly basic: string;
  private readonly userAgent: string;
  private readonly transport: Transport;
  private readonly closeTransport: () => void = () => {};
  private readonly tokens = new Map<string, string>();
  private bearer = false;

  constructor(private readonly options: RegistryClientOptions) {
    this.endpoint = new URL(options.endpoint);
    this.userAgent = options.userAgent ?? 'baepo';
    this.basic = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
    if (options.transport) {
      this.transport = options.transport;
    } else {
      const http = httpTransport(options.connections ?? 8, options.timeouts);
      this.transport = http.send;
      this.closeTransport = http.close;
    }
  }

  /** `host[:port]`, as image references name the registry. */
  get host(): string {
    return this.endpoint.host;
  }

  url(path: string): URL {
    return new URL(path, this.endpoint);
  }

  /** Close the connections kept open to the registry. */
  close(): void {
    this.closeTransport();
  }

  private authorization(scope: string): string {
    return (this.bearer && this.tokens.get(scope)) || this.basic;
  }

  async request(url: URL, init: Init, scope: string): Promise<HttpResponse> {
    const replayable = init.body === undefined || Buffer.isBuffer(init.body);
    const send = (target: URL, authorize = true) =>
      this.transport({
        method: init.method,
        url: target,
        headers: {
          'User-Agent': this.userAgent,
          ...init.headers,
          ...(authorize ? { Authorization: this.authorization(scope) } : {}),
        },
        body: init.body,
        signal: this.options.signal,
      });
    let response = await send(url);
    if (response.status === 401 && replayable) {
      const challenge = header(response, 'www-authenticate') ?? '';
      if (/^bearer\s/i.test(challenge)) {
        await this.fetchToken(challenge, scope);
        response = await send(url);
      }
    }
    if (response.status === 307 || response.status === 308) {
      const location = header(response, 'location');
      const target = location ? new URL(location, url) : undefined;
      if (!target || !replayable) {
        throw new Error(
          `The registry answered ${init.method} ${url.pathname} with a redirect (HTTP ${response.status}) to ${location ?? 'nowhere'}; ` +
            `${target ? 'a streamed upload cannot be sent again' : 'there is no Location header'}. Check 'registry-endpoint': it must be the registry itself, not a proxy that redirects.`,
        );
      }
      // Followed once (a second redirect is reported by the caller as an unexpected status), with the
      // credentials only when it stays on the same origin, as fetch does.
      response = await send(target, target.origin === url.origin);
    }
    return response;
  }

  private async fetchToken(challenge: string, scope: string): Promise<void> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!params.realm) return;
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set('scope', params.scope && !scope ? params.scope : scope);
    const response = await this.transport({
      method: 'GET',
      url: realm,
      headers: { 'User-Agent': this.userAgent, Authorization: this.basic },
      signal: this.options.signal,
    });
    if (!ok(response)) throw registryError(response, 'Getting a registry token');
    const body = JSON.parse(response.body.toString('utf8')) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (token) {
      this.bearer = true;
      this.tokens.set(scope, `Bearer ${token}`);
    }
  }

  /** GET /v2/: checks that the credentials are accepted. */
  async ping(): Promise<void> {
    const response = await this.request(this.url('/v2/'), { method: 'GET' }, '');
    if (!ok(response)) throw registryError(response, `Logging in to ${this.host}`);
  }

  /** The size of a blob in a repository, or undefined when it is not there. */
  async headBlob(repository: string, digest: string): Promise<number | undefined> {
    const response = await this.request(this.url(`/v2/${repository}/blobs/${digest}`), { method: 'HEAD' }, pull(repository));
    if (response.status === 404) return undefined;
    if (!ok(response)) throw registryError(response, `Checking blob ${digest} in ${repository}`);
    return Number(header(response, 'content-length') ?? 0);
  }

  /**
   * Mount a blob from another repository of the same registry. Returns 'mounted', or the upload
   * session the registry opened instead (202), which the caller can upload into.
   */
  async mountBlob(repository: string, digest: string, from: string): Promise<{ mounted: true } | { mounted: false; location: URL }> {
    const url = this.url(`/v2/${repository}/blobs/uploads/`);
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', from);
    const response = await this.request(url, { method: 'POST', headers: { 'Content-Length': '0' } }, `${push(repository)} ${pull(from)}`);
    if (response.status === 201) {
      const reported = header(response, 'docker-content-digest');
      if (reported && reported !== digest) throw new Error(`The registry mounted ${reported} when asked for ${digest}`);
      return { mounted: true };
    }
    if (response.status === 202) return { mounted: false, location: this.location(response) };
    throw registryError(response, `Mounting ${digest} from ${from} into ${repository}`);
  }

  /** Open an upload session. */
  async startUpload(repository: string): Promise<URL> {
    const response = await this.request(
      this.url(`/v2/${repository}/blobs/uploads/`),
      { method: 'POST', headers: { 'Content-Length': '0' } },
      push(repository),
    );
    if (response.status !== 202) throw registryError(response, `Starting an upload to ${repository}`);
    return this.location(response);
  }

  /** Send `length` bytes from `offset` (PATCH), streamed; returns where the next request goes. */
  async uploadChunk(repository: string, location: URL, offset: number, length: number, chunk: Body): Promise<URL> {
    const range = `${offset}-${offset + length - 1}`;
    const response = await this.request(
      location,
      {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': range, 'Content-Length': String(length) },
        body: chunk,
      },
      push(repository),
    );
    if (response.status !== 202) throw registryError(response, `Uploading bytes ${range} to ${repository}`);
    return this.location(response);
  }

  /** Close an upload (PUT ?digest=), with the last (or only) bytes; returns the digest the registry reports. */
  async completeUpload(repository: string, location: URL, digest: string, body: Buffer = Buffer.alloc(0)): Promise<string> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const response = await this.request(
      url,
      { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) }, body },
      push(repository),
    );
    if (response.status !== 201) throw registryError(response, `Completing the upload of ${digest} to ${repository}`);
    return header(response, 'docker-content-digest') ?? digest;
  }

  /** The digest a tag (or digest) resolves to, or undefined when it does not exist. */
  async headManifest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.request(
      this.url(`/v2/${repository}/manifests/${reference}`),
      { method: 'HEAD', headers: { Accept: MANIFEST_TYPES.join(', ') } },
      pull(repository),
    );
    if (response.status === 404) return undefined;
    if (!ok(response)) throw registryError(response, `Checking ${repository}:${reference}`);
    return header(response, 'docker-content-digest') ?? undefined;
  }

  /** PUT a manifest or index under a tag or its digest; fails when the registry computes another digest. */
  async putManifest(repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const response = await this.request(
      this.url(`/v2/${repository}/manifests/${reference}`),
      { method: 'PUT', headers: { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) }, body: bytes },
      push(repository),
    );
    if (response.status !== 201) throw registryError(response, `Pushing the manifest ${repository}:${reference}`);
    const expected = digestOf(bytes);
    const reported = header(response, 'docker-content-digest');
    if (reported && reported !== expected)
      throw new Error(`The registry stored ${repository}:${reference} as ${reported}, expected ${expected}`);
    return expected;
  }

  /** Drop an upload session we will not use (best effort). */
  async cancelUpload(repository: string, location: URL): Promise<void> {
    await this.request(location, { method: 'DELETE' }, push(repository)).catch(() => undefined);
  }

  private location(response: HttpResponse): URL {
    const location = header(response, 'location');
    if (!location) throw new Error(`The registry answered HTTP ${response.status} without a Location header`);
    return new URL(location, this.endpoint);
  }
}

const pull = (repository: string): string => `repository:${repository}:pull`;
const push = (repository: string): string => `repository:${repository}:pull,push`;
