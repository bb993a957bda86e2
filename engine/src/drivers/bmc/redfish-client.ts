// HTTP to one Redfish service: session or Basic auth, re-login on session expiry, ETag-guarded updates, errors as BmcError.

import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Agent } from 'node:https';
import { BmcError } from './bmc';
import { httpError, transportError } from './redfish-errors';

/** Any Redfish resource as JSON; drivers read the properties they know and check their types. */
export type RedfishResource = Record<string, any>;

export interface RedfishResponse {
  status: number;
  body: RedfishResource;
  /** Lowercase header names. */
  headers: Record<string, string>;
  /** The ETag header, else the body's @odata.etag. */
  etag?: string;
}

export interface RedfishClientOptions {
  endpoint: string;
  username: string;
  password: string;
  agent: Agent;
  requestTimeoutMs: number;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Service root path, the one path a client may know (DSP0266); every other path comes from a link. */
export const SERVICE_ROOT = '/redfish/v1/';

/** The `@odata.id` of a link property, or undefined when absent. */
export function linkOf(link: unknown): string | undefined {
  const id = (link as { '@odata.id'?: unknown } | undefined)?.['@odata.id'];
  return typeof id === 'string' ? id : undefined;
}

/**
 * A Redfish HTTP client. `open` decides the authentication: a session
 * (X-Auth-Token) when the service has a Sessions collection, HTTP Basic when it
 * has none or refuses to create sessions (404/405). Every method throws
 * BmcError for non-2xx answers and transport failures.
 */
export class RedfishClient {
  private readonly http: AxiosInstance;
  private sessionsUri?: string;
  private token?: string;
  private sessionUri?: string;
  private basic = false;

  constructor(private readonly opts: RedfishClientOptions) {
    this.http = axios.create({
      baseURL: opts.endpoint,
      httpsAgent: opts.agent,
      timeout: opts.requestTimeoutMs,
      proxy: false,
      maxRedirects: 0,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      headers: { Accept: 'application/json', 'OData-Version': '4.0' },
    });
  }

  /** Reads the service root (no authentication, per DSP0266) and logs in unless already logged in. Returns the service root. */
  async open(): Promise<RedfishResource> {
    const root = (await this.send('GET', SERVICE_ROOT, undefined, {})).body;
    if (this.token || this.basic) return root; // already logged in by an earlier, failed discovery
    this.sessionsUri = linkOf(root.Links?.Sessions) ?? (await this.sessionsFromService(root));
    if (this.sessionsUri) await this.login();
    else this.basic = true;
    return root;
  }

  get(path: string): Promise<RedfishResponse> {
    return this.request('GET', path);
  }

  post(path: string, body: object): Promise<RedfishResponse> {
    return this.request('POST', path, body);
  }

  /**
   * PATCHes `path` with the body `change` builds from the current resource,
   * sending If-Match when the resource has an ETag. On 412 (someone changed it
   * in between) it re-reads and tries once more. `change` returning undefined
   * means nothing to do; it may throw to refuse the change before anything is sent.
   */
  async update(path: string, change: (current: RedfishResource) => object | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(path);
      const body = change(current.body);
      if (!body) return;
      const headers: Record<string, string> = current.etag ? { 'If-Match': current.etag } : {};
      try {
        await this.request('PATCH', path, body, headers);
        return;
      } catch (err) {
        if (attempt > 1 || !(err instanceof BmcError) || err.status !== 412) throw err;
      }
    }
  }

  /** Deletes the session (best effort: it may already have expired) and closes connections. */
  async close(): Promise<void> {
    const session = this.sessionUri;
    this.sessionUri = undefined;
    if (session) await this.request('DELETE', session).catch(() => undefined);
    this.token = undefined;
    this.opts.agent.destroy();
  }

  /** A request with authentication; a 401 on a session token means it expired: log in again and retry once. */
  private async request(method: Method, path: string, body?: object, headers: Record<string, string> = {}): Promise<RedfishResponse> {
    try {
      return await this.send(method, path, body, { ...headers, ...this.authHeaders() });
    } catch (err) {
      if (!(err instanceof BmcError) || err.status !== 401 || !this.token) throw err;
      await this.login();
      return this.send(method, path, body, { ...headers, ...this.authHeaders() });
    }
  }

  private authHeaders(): Record<string, string> {
    if (this.token) return { 'X-Auth-Token': this.token };
    return this.basic ? this.basicHeader() : {};
  }

  private basicHeader(): Record<string, string> {
    return { Authorization: `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64')}` };
  }

  private async sessionsFromService(root: RedfishResource): Promise<string | undefined> {
    const service = linkOf(root.SessionService);
    if (!service) return undefined;
    // Reading the SessionService needs authentication; only the service root and session creation do not.
    return linkOf((await this.send('GET', service, undefined, this.basicHeader())).body.Sessions);
  }

  /** Creates a session; a service that cannot (404/405) gets Basic auth instead. */
  private async login(): Promise<void> {
    this.token = undefined;
    const credentials = { UserName: this.opts.username, Password: this.opts.password };
    const request = `POST ${this.sessionsUri} (login as ${this.opts.username})`;
    const res = await this.raw('POST', this.sessionsUri!, credentials, {}, request);
    if (res.status === 404 || res.status === 405) {
      this.basic = true;
      return;
    }
    if (res.status >= 300) throw httpError(this.opts.endpoint, request, res.status, res.data);
    const token = res.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') {
      throw new BmcError(`BMC ${this.opts.endpoint}: ${request} returned no X-Auth-Token header`, this.opts.endpoint, false, res.status);
    }
    this.token = token;
    this.sessionUri = this.pathOf(String(res.headers.location ?? linkOf(res.data) ?? '')) || undefined;
  }

  /** One request; non-2xx becomes BmcError. */
  private async send(method: Method, path: string, body: object | undefined, headers: Record<string, string>): Promise<RedfishResponse> {
    const request = `${method} ${path}`;
    const res = await this.raw(method, path, body, headers, request);
    if (res.status < 200 || res.status >= 300) throw httpError(this.opts.endpoint, request, res.status, res.data);
    const resource: RedfishResource = res.data && typeof res.data === 'object' ? res.data : {};
    const responseHeaders = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const etag = responseHeaders.etag ?? (typeof resource['@odata.etag'] === 'string' ? resource['@odata.etag'] : undefined);
    return { status: res.status, body: resource, headers: responseHeaders, etag };
  }

  private async raw(method: Method, path: string, body: object | undefined, headers: Record<string, string>, request: string): Promise<AxiosResponse> {
    const url = this.pathOf(path);
    try {
      return await this.http.request({ method, url, data: body, headers: body ? { ...headers, 'Content-Type': 'application/json' } : headers });
    } catch (err) {
      throw transportError(this.opts.endpoint, request, err, this.opts.requestTimeoutMs);
    }
  }

  /**
   * The path of a URI the service gave us (Location headers may be absolute).
   * A URI on another host is refused: following it would send our token there.
   */
  pathOf(uri: string): string {
    if (!/^https?:\/\//i.test(uri)) return uri;
    const url = new URL(uri);
    if (url.origin !== new URL(this.opts.endpoint).origin) {
      throw new BmcError(`BMC ${this.opts.endpoint}: refusing to follow ${url.origin}${url.pathname}, which is on another host`, this.opts.endpoint, false);
    }
    return url.pathname + url.search;
  }
}
