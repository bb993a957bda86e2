// The gRPC glue for engine.proto: per call, authenticate -> from wire -> handler -> to wire, errors -> status + violations.

import * as grpc from '@grpc/grpc-js';
import type { ApiTokenRecord } from '../store/store';
import { EngineApiError } from './api-error';
import { authenticate } from './auth';
import { doctorRpcs } from './doctor-handlers';
import type { EngineContext } from './engine-context';
import { listAudit } from './audit-handlers';
import { instanceRpcs } from './instance-handlers';
import { cancelJob, getJob, listJobs, startJob, watchJob } from './job-handlers';
import { applyPortConfig, getPort, getPorts, releasePort, validatePortConfig } from './port-handlers';
import { engineProto } from './proto';
import { plannerRpcs } from './planner-handlers';
import { serverRpcs } from './server-handlers';
import { errorTrailer, grpcStatusOf } from './status';
import { getSwitch, listSwitches } from './switch-handlers';
import { tenancyRpcs } from './tenancy-handlers';
import { tenancyResourceRpcs } from './tenancy-resource-handlers';
import type { JobState } from './types';
import { auditToWire, CLIENT_ID_KEY, jobToWire, portRequestFromWire, portToWire, type WirePortRequest } from './wire';

/** `cancelled` aborts when the client cancels the call (or its deadline passes); `client` is its CLIENT_ID_KEY metadata, if any. */
type Rpc = (ctx: EngineContext, req: any, caller: ApiTokenRecord, cancelled: AbortSignal, client: string | undefined) => Promise<object>;
/** A server-streaming RPC: `send` writes one message; resolving ends the stream. */
type StreamRpc = (ctx: EngineContext, req: any, caller: ApiTokenRecord, cancelled: AbortSignal, send: (msg: object) => void) => Promise<void>;

const applyResult = ({ jobId, port }: { jobId: string; port: Parameters<typeof portToWire>[0] }) => ({ jobId, port: portToWire(port) });

/** Every RPC of the Engine service, by its proto method name. */
const rpcs: Record<string, Rpc> = {
  ListSwitches: async (ctx) => ({ switches: await listSwitches(ctx) }),
  GetSwitch: (ctx, req: { id: string }) => getSwitch(ctx, req.id),
  ValidatePortConfig: async (ctx, req: WirePortRequest) => ({ violations: await validatePortConfig(ctx, portRequestFromWire(req)) }),
  // One port, always read from the device now (a `maestro ports get` must see a change made a moment ago);
  // GetPorts is the call that shares a client's whole-switch snapshot.
  GetPort: async (ctx, req: { switchId: string; port: string }) => portToWire(await getPort(ctx, req.switchId, req.port)),
  GetPorts: async (ctx, req: { switchId: string; ports: string[]; wholeSwitch: boolean }, _caller, _cancelled, client) =>
    ({ ports: (await getPorts(ctx, req.switchId, req.ports, req.wholeSwitch, client)).map(portToWire) }),
  ApplyPortConfig: async (ctx, req: WirePortRequest, caller, cancelled) => applyResult(await applyPortConfig(ctx, portRequestFromWire(req), caller, cancelled)),
  ReleasePort: async (ctx, req: { switchId: string; port: string }, caller, cancelled) => applyResult(await releasePort(ctx, req.switchId, req.port, caller, cancelled)),
  GetJob: async (ctx, req: { id: string }) => jobToWire(await getJob(ctx, req.id)),
  ListJobs: async (ctx, req: { limit: number; kind: string; state: string; who: string }) =>
    ({ jobs: (await listJobs(ctx, { ...req, state: req.state as JobState })).map(jobToWire) }),
  CancelJob: async (ctx, req: { id: string; reason: string }, caller) => jobToWire(await cancelJob(ctx, req.id, req.reason, caller)),
  ListAudit: async (ctx, req: { limit: number; device: string; jobId: string; who: string }) => ({ entries: (await listAudit(ctx, req)).map(auditToWire) }),
  StartJob: async (ctx, req: { kind: string; inputJson: string; timeoutSeconds: number }, caller) => jobToWire(await startJob(ctx, req, caller)),
  ...serverRpcs,
  ...tenancyRpcs,
  ...tenancyResourceRpcs,
  ...instanceRpcs,
  ...doctorRpcs,
  ...plannerRpcs,
};

/** Every server-streaming RPC, by its proto method name. */
const streams: Record<string, StreamRpc> = {
  WatchJob: (ctx, req: { id: string }, _caller, cancelled, send) => watchJob(ctx, req.id, (job) => send(jobToWire(job)), cancelled),
};

/** A gRPC status for any thrown error; unexpected errors become INTERNAL with their message. */
function toStatus(err: unknown): Partial<grpc.StatusObject> {
  const apiErr = err instanceof EngineApiError ? err : new EngineApiError('internal', `internal error: ${(err as Error)?.message ?? String(err)}`);
  return { code: grpcStatusOf(apiErr.code), details: apiErr.message, metadata: errorTrailer(apiErr.code, apiErr.violations) };
}

/** An AbortSignal that fires when the client cancels `call` (terraform interrupted, deadline passed). */
function cancellation(call: grpc.ServerUnaryCall<any, any> | grpc.ServerWritableStream<any, any>): AbortSignal {
  const ctrl = new AbortController();
  call.on('cancelled', () => ctrl.abort());
  return ctrl.signal;
}

/** Authenticates, runs `work`, logs one line and reports the outcome to `done` (a status on failure). */
function serve(ctx: EngineContext, name: string, metadata: grpc.Metadata, work: (caller: ApiTokenRecord) => Promise<object | void>,
  done: (status: Partial<grpc.StatusObject> | null, res?: object | void) => void): void {
  const started = Date.now();
  let who = '-';
  authenticate(ctx.store, metadata)
    .then((caller) => {
      who = caller.name;
      return work(caller);
    })
    .then(
      (res) => {
        ctx.logger.info('rpc', { rpc: name, who, code: 'ok', ms: Date.now() - started });
        done(null, res);
      },
      (err) => {
        const status = toStatus(err);
        const level = status.code === grpc.status.INTERNAL ? 'error' : 'info';
        ctx.logger[level]('rpc', { rpc: name, who, code: grpc.status[status.code!], error: status.details, ms: Date.now() - started });
        done(status);
      },
    );
}

function unary(ctx: EngineContext, name: string, rpc: Rpc): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    const cancelled = cancellation(call);
    const [client] = call.metadata.get(CLIENT_ID_KEY);
    serve(ctx, name, call.metadata, (caller) => rpc(ctx, call.request, caller, cancelled, typeof client === 'string' ? client : undefined), (status, res) => (status ? callback(status) : callback(null, res)));
  };
}

function serverStream(ctx: EngineContext, name: string, rpc: StreamRpc): grpc.handleServerStreamingCall<any, any> {
  return (call) => {
    const cancelled = cancellation(call);
    const send = (msg: object) => void call.write(msg);
    serve(ctx, name, call.metadata, (caller) => rpc(ctx, call.request, caller, cancelled, send), (status) => (status ? call.emit('error', status) : call.end()));
  };
}

export interface TlsIdentity {
  certPem: string;
  keyPem: string;
}

export interface RunningServer {
  /** The bound port (useful when listening on port 0). */
  port: number;
  /** Stops accepting calls and waits up to `graceMs` for running ones before cutting them off. */
  close(graceMs?: number): Promise<void>;
}

/** Serves the Engine API over TLS on `listen` (`host:port`, port 0 = ephemeral). */
export async function startEngineServer(ctx: EngineContext, listen: string, tls: TlsIdentity): Promise<RunningServer> {
  const { service } = engineProto();
  const server = new grpc.Server();
  const impl = Object.fromEntries(Object.keys(service).map((name) => {
    const handler = service[name].responseStream ? streams[name] && serverStream(ctx, name, streams[name]) : rpcs[name] && unary(ctx, name, rpcs[name]);
    if (!handler) throw new Error(`engine.proto method ${name} has no handler`);
    return [name, handler];
  }));
  server.addService(service, impl);
  const creds = grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }], false);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(listen, creds, (err, bound) => (err ? reject(new Error(`cannot listen on ${listen}: ${err.message}`)) : resolve(bound))),
  );
  return { port, close: (graceMs = 5000) => shutdown(server, graceMs) };
}

function shutdown(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
