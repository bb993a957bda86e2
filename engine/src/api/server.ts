// The gRPC glue for engine.proto: per call, authenticate -> from wire -> handler -> to wire, errors -> status + violations.

import * as grpc from '@grpc/grpc-js';
import type { ApiTokenRecord } from '../store/store';
import { EngineApiError } from './api-error';
import { authenticate } from './auth';
import type { EngineContext } from './engine-context';
import { getJob, listJobs } from './job-handlers';
import { applyPortConfig, getPort, releasePort, validatePortConfig } from './port-handlers';
import { engineProto } from './proto';
import { errorTrailer, grpcStatusOf } from './status';
import { getSwitch, listSwitches } from './switch-handlers';
import { jobToWire, portRequestFromWire, portToWire, type WirePortRequest } from './wire';

type Rpc = (ctx: EngineContext, req: any, caller: ApiTokenRecord) => Promise<object>;

const applyResult = ({ jobId, port }: { jobId: string; port: Parameters<typeof portToWire>[0] }) => ({ jobId, port: portToWire(port) });

/** Every RPC of the Engine service, by its proto method name. */
const rpcs: Record<string, Rpc> = {
  ListSwitches: async (ctx) => ({ switches: await listSwitches(ctx) }),
  GetSwitch: (ctx, req: { id: string }) => getSwitch(ctx, req.id),
  ValidatePortConfig: async (ctx, req: WirePortRequest) => ({ violations: await validatePortConfig(ctx, portRequestFromWire(req)) }),
  GetPort: async (ctx, req: { switchId: string; port: string }) => portToWire(await getPort(ctx, req.switchId, req.port)),
  ApplyPortConfig: async (ctx, req: WirePortRequest, caller) => applyResult(await applyPortConfig(ctx, portRequestFromWire(req), caller)),
  ReleasePort: async (ctx, req: { switchId: string; port: string }, caller) => applyResult(await releasePort(ctx, req.switchId, req.port, caller)),
  GetJob: async (ctx, req: { id: string }) => jobToWire(await getJob(ctx, req.id)),
  ListJobs: async (ctx, req: { limit: number }) => ({ jobs: (await listJobs(ctx, req.limit)).map(jobToWire) }),
};

/** A gRPC status for any thrown error; unexpected errors become INTERNAL with their message. */
function toStatus(err: unknown): Partial<grpc.StatusObject> {
  const apiErr = err instanceof EngineApiError ? err : new EngineApiError('internal', `internal error: ${(err as Error)?.message ?? String(err)}`);
  return { code: grpcStatusOf(apiErr.code), details: apiErr.message, metadata: errorTrailer(apiErr.code, apiErr.violations) };
}

function unary(ctx: EngineContext, name: string, rpc: Rpc): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    const started = Date.now();
    let who = '-';
    authenticate(ctx.store, call.metadata)
      .then((caller) => {
        who = caller.name;
        return rpc(ctx, call.request, caller);
      })
      .then(
        (res) => {
          ctx.logger.info('rpc', { rpc: name, who, code: 'ok', ms: Date.now() - started });
          callback(null, res);
        },
        (err) => {
          const status = toStatus(err);
          const level = status.code === grpc.status.INTERNAL ? 'error' : 'info';
          ctx.logger[level]('rpc', { rpc: name, who, code: grpc.status[status.code!], error: status.details, ms: Date.now() - started });
          callback(status);
        },
      );
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
    const rpc = rpcs[name];
    if (!rpc) throw new Error(`engine.proto method ${name} has no handler`);
    return [name, unary(ctx, name, rpc)];
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
