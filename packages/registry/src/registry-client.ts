import { digestOf } from './digest.js';
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
  fetch?: typeof fetch;
  userAgent?: string;
  signal?: AbortSignal;
}

/** A request body: bytes, or a stream of them (sent once: it cannot be replayed after an auth challenge). */
type Body = Buffer | AsyncIterable<Uint8Array>;
type Init = { method: string; headers?: Record<string, string>; body?: Body };

/**
 * The part of the OCI distribution API a push needs, over fetch. Authenticates with Basic auth
 * (ECR's token is a user and password); a registry that answers with a Bearer challenge gets
 * a token from its realm, cached per scope.
 */
export class RegistryClient {
  readonly endpoint: URL;
  private readonly basic: string;
  private readonly fetch: typeof fetch;
  private readonly tokens = new Map<string, string>();
  private bearer = false;

  constructor(private readonly options: RegistryClientOptions) {
    this.endpoint = new URL(options.endpoint);
    this.basic = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** `host[:port]`, as image references name the registry. */
  get host(): string {
    return this.endpoint.host;
  }

  url(path: string): URL {
    return new URL(path, this.endpoint);
  }

  private authorization(scope: string): string {
    return (this.bearer && this.tokens.get(scope)) || this.basic;
  }

  async request(url: URL, init: Init, scope: string): Promise<Response> {
    const send = () =>
      this.fetch(url, {
        method: init.method,
        headers: { 'User-Agent': this.options.userAgent ?? 'baepo', ...init.headers, Authorization: this.authorization(scope) },
        body: init.body as RequestInit['body'],
        redirect: 'follow',
        signal: this.options.signal,
        ...(init.body && !Buffer.isBuffer(init.body) ? { duplex: 'half' } : {}),
      } as RequestInit);
    let response = await send();
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      if (/^bearer\s/i.test(challenge) && (init.body === undefined || Buffer.isBuffer(init.body))) {
        await response.arrayBuffer();
        await this.fetchToken(challenge, scope);
        response = await send();
      }
    }
    return response;
  }

  private async fetchToken(challenge: string, scope: string): Promise<void> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!params.realm) return;
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set('scope', params.scope && !scope ? params.scope : scope);
    const response = await this.fetch(realm, { headers: { Authorization: this.basic }, signal: this.options.signal });
    if (!response.ok) throw await registryError(response, 'Getting a registry token');
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (token) {
      this.bearer = true;
      this.tokens.set(scope, `Bearer ${token}`);
    }
  }

  /** GET /v2/: checks that the credentials are accepted. */
  async ping(): Promise<void> {
    const response = await this.request(this.url('/v2/'), { method: 'GET' }, '');
    await response.arrayBuffer();
    if (!response.ok) throw await registryError(response, `Logging in to ${this.host}`);
  }

  /** The size of a blob in a repository, or undefined when it is not there. */
  async headBlob(repository: string, digest: string): Promise<number | undefined> {
    const response = await this.request(this.url(`/v2/${repository}/blobs/${digest}`), { method: 'HEAD' }, pull(repository));
    if (response.status === 404) return undefined;
    if (!response.ok) throw await registryError(response, `Checking blob ${digest} in ${repository}`);
    return Number(response.headers.get('content-length') ?? 0);
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
    await response.arrayBuffer();
    if (response.status === 201) {
      const reported = response.headers.get('docker-content-digest');
      if (reported && reported !== digest) throw new Error(`The registry mounted ${reported} when asked for ${digest}`);
      return { mounted: true };
    }
    if (response.status === 202) return { mounted: false, location: this.location(response) };
    throw await registryError(response, `Mounting ${digest} from ${from} into ${repository}`);
  }

  /** Open an upload session. */
  async startUpload(repository: string): Promise<URL> {
    const response = await this.request(
      this.url(`/v2/${repository}/blobs/uploads/`),
      { method: 'POST', headers: { 'Content-Length': '0' } },
      push(repository),
    );
    await response.arrayBuffer();
    if (response.status !== 202) throw await registryError(response, `Starting an upload to ${repository}`);
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
    await response.arrayBuffer();
    if (response.status !== 202) throw await registryError(response, `Uploading bytes ${range} to ${repository}`);
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
    await response.arrayBuffer();
    if (response.status !== 201) throw await registryError(response, `Completing the upload of ${digest} to ${repository}`);
    return response.headers.get('docker-content-digest') ?? digest;
  }

  /** The digest a tag (or digest) resolves to, or undefined when it does not exist. */
  async headManifest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.request(
      this.url(`/v2/${repository}/manifests/${reference}`),
      { method: 'HEAD', headers: { Accept: MANIFEST_TYPES.join(', ') } },
      pull(repository),
    );
    if (response.status === 404) return undefined;
    if (!response.ok) throw await registryError(response, `Checking ${repository}:${reference}`);
    return response.headers.get('docker-content-digest') ?? undefined;
  }

  /** PUT a manifest or index under a tag or its digest; fails when the registry computes another digest. */
  async putManifest(repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const response = await this.request(
      this.url(`/v2/${repository}/manifests/${reference}`),
      { method: 'PUT', headers: { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) }, body: bytes },
      push(repository),
    );
    await response.arrayBuffer();
    if (response.status !== 201) throw await registryError(response, `Pushing the manifest ${repository}:${reference}`);
    const expected = digestOf(bytes);
    const reported = response.headers.get('docker-content-digest');
    if (reported && reported !== expected)
      throw new Error(`The registry stored ${repository}:${reference} as ${reported}, expected ${expected}`);
    return expected;
  }

  /** Drop an upload session we will not use (best effort). */
  async cancelUpload(repository: string, location: URL): Promise<void> {
    const response = await this.request(location, { method: 'DELETE' }, push(repository)).catch(() => undefined);
    await response?.arrayBuffer().catch(() => undefined);
  }

  private location(response: Response): URL {
    const location = response.headers.get('location');
    if (!location) throw new Error(`The registry answered HTTP ${response.status} without a Location header`);
    return new URL(location, this.endpoint);
  }
}

const pull = (repository: string): string => `repository:${repository}:pull`;
const push = (repository: string): string => `repository:${repository}:pull,push`;
