// The Redfish BMC simulator: an HTTPS Redfish service (node:https) with sessions, Basic auth, fault injection and a request log.

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate } from '../../../provider-shim/src/plugin/certificate';
import { message } from './messages';
import { resolveOptions, type RedfishSimulatorOptions, type SimulatorConfig } from './options';
import { fail, SimRoutes, type SimReply, type SimRequest } from './routes';
import { BmcState } from './state';

export type { RedfishSimulatorOptions } from './options';
export type { InstallFault, SimBoot, SimInstall } from './state';

/** Misbehaviour to inject; `setFaults` replaces the whole set. Counters go down as requests consume them. */
export interface RedfishFaults {
  /** Answer the next N requests with `errorStatus`. */
  failNext?: number;
  /** Answer every request whose path matches with `errorStatus`. */
  failPath?: string | RegExp;
  /** Status for failNext/failPath (default 503, with a ServiceTemporarilyUnavailable message). */
  errorStatus?: number;
  /** Wait this long before answering each request. */
  delayMs?: number;
  /** Destroy the connection of the next N requests without answering. */
  dropNext?: number;
  /** The next N PATCHes with If-Match find the resource changed by "another client" first (so they get 412). */
  concurrentWrites?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** Request headers, lowercase names. */
  headers: Record<string, string>;
  /** Parsed JSON body, when there was one. */
  body?: unknown;
  /** Status answered; 0 when the connection was dropped. */
  status: number;
}

export interface RedfishSimulator {
  /** `https://127.0.0.1:<port>`. */
  endpoint: string;
  /** The served certificate (trust it as a CA) and its SHA-256 fingerprint (`AB:CD:...`). */
  certPem: string;
  fingerprintSha256: string;
  /** The simulated server; tests read and arrange it (`state.installs`, `state.installFault`). */
  state: BmcState;
  /** Every request received, in order. */
  requestLog: LoggedRequest[];
  setFaults(faults: RedfishFaults): void;
  /** Stops pending power changes and tasks, drops every connection, stops listening. */
  close(): Promise<void>;
}

/** The path that routes match: no query string, no trailing slash (`/redfish/v1/` and `/redfish/v1` are one resource). */
function routePath(path: string): string {
  return path.split('?')[0].replace(/\/+$/, '');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: SimReply): void {
  const headers = { 'OData-Version': '4.0', 'Cache-Control': 'no-cache', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply.body));
}

class Simulator {
  private faults: RedfishFaults = {};
  readonly requestLog: LoggedRequest[] = [];
  readonly routes: SimRoutes;

  constructor(
    private readonly config: SimulatorConfig,
    readonly state: BmcState,
  ) {
    this.routes = new SimRoutes(config, state);
  }

  setFaults(faults: RedfishFaults): void {
    this.faults = { ...faults };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], headers: {}, status: 0 };
    for (const [k, v] of Object.entries(req.headers)) entry.headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
      if (body !== undefined) entry.body = body;
    } catch {
      body = null;
    }
    this.requestLog.push(entry);
    if (this.faults.delayMs) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    if (this.consume('dropNext')) {
      req.socket.destroy();
      return;
    }
    const reply = body === null ? fail(400, message('MalformedJSON')) : this.answer({ method: entry.method, path: routePath(entry.path), body: (body ?? {}) as Record<string, unknown>, headers: req.headers });
    entry.status = reply.status;
    if (!res.destroyed) send(res, reply);
  }

  private answer(req: SimRequest): SimReply {
    if (this.injectedFailure(req.path)) {
      const status = this.faults.errorStatus ?? 503;
      return { ...fail(status, message('ServiceTemporarilyUnavailable', '1')), headers: { 'Retry-After': '1' } };
    }
    const found = this.routes.find(req.method, req.path);
    if (found === undefined) return fail(404, message('ResourceNotFound', 'resource', req.path));
    if (found === 'notAllowed') return fail(405, message('ActionNotSupported', `${req.method} ${req.path}`));
    if (!found.route.public && !this.authenticated(req)) return { ...fail(401, message('NoValidSession')), headers: { 'WWW-Authenticate': 'Basic realm="Redfish"' } };
    if (req.method === 'PATCH' && req.headers['if-match'] && this.consume('concurrentWrites')) this.state.touchSystem();
    return found.route.handler(req, found.param);
  }

  private authenticated(req: SimRequest): boolean {
    const token = req.headers['x-auth-token'];
    if (typeof token === 'string') return this.config.sessionService && this.state.useSession(token, this.config.sessionIdleTimeoutMs) !== undefined;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (!basic) return false;
    return Buffer.from(basic[1], 'base64').toString('utf8') === `${this.config.username}:${this.config.password}`;
  }

  private injectedFailure(path: string): boolean {
    const { failPath } = this.faults;
    if (failPath !== undefined && (typeof failPath === 'string' ? path === routePath(failPath) : failPath.test(path))) return true;
    return this.consume('failNext');
  }

  /** Uses up one count of a counted fault; true when one was left. */
  private consume(key: 'failNext' | 'dropNext' | 'concurrentWrites'): boolean {
    const left = this.faults[key] ?? 0;
    if (left <= 0) return false;
    this.faults[key] = left - 1;
    return true;
  }
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/** Starts a simulated BMC; resolves once it listens. */
export async function startRedfishSimulator(opts: RedfishSimulatorOptions = {}): Promise<RedfishSimulator> {
  const config = resolveOptions(opts);
  const tls = config.tls ?? createSelfSignedCertificate({ commonName: 'redfish-bmc-simulator', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const drives = config.drives.map((d) => ({ ...d, erased: false }));
  const volumes = config.volumes.map((v) => ({ ...v, initializations: [] }));
  const state = new BmcState(config.initialPowerState, drives, volumes, config);
  const sim = new Simulator(config, state);
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    sim.handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, fail(500, { ...message('InternalError'), Message: String(err) }));
    });
  });
  const address = await listen(server, config.listen?.host ?? '127.0.0.1', config.listen?.port ?? 0);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    endpoint: `https://${host}:${address.port}`,
    certPem: tls.certPem,
    fingerprintSha256: fingerprintOf(tls.certPem),
    state,
    requestLog: sim.requestLog,
    setFaults: (faults) => sim.setFaults(faults),
    close: () => {
      state.dispose();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** SHA-256 of the certificate's DER, as `AB:CD:...` (the form Node's fingerprint256 and openssl print). */
function fingerprintOf(certPem: string): string {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}
