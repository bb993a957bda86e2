// go-plugin's side services: controller (Shutdown), stdio, broker, and gRPC health.

import { GrpcStatus, type ServerCall, type ServiceImplementation, type UnaryCallback } from './grpc-server';

/** What the services need from the process that hosts them. */
export interface PluginHost {
  /** Terraform asked the plugin to exit (after the reply has been sent). */
  onShutdown(): void;
  /** Terraform closed its stdio stream: it is done with this process. */
  onHostGone(): void;
}

/** Give the reply to Shutdown time to leave before the process exits. */
const REPLY_FLUSH_MS = 20;

export function controllerService(host: PluginHost): ServiceImplementation {
  return {
    Shutdown(_call: ServerCall, callback: UnaryCallback) {
      callback(null, {});
      setTimeout(() => host.onShutdown(), REPLY_FLUSH_MS);
    },
  };
}

/**
 * Stdio stays open and silent: our logs reach go-plugin on stderr directly. The
 * call's cancellation is the signal that terraform has let go of this process.
 */
export function stdioService(host: PluginHost): ServiceImplementation {
  return {
    StreamStdio(call: ServerCall) {
      call.on('cancelled', () => host.onHostGone());
    },
  };
}

/** Providers never broker extra connections: accept the stream and close it when the host does. */
export function brokerService(): ServiceImplementation {
  return {
    StartStream(call: ServerCall) {
      call.on('data', () => undefined);
      call.on('end', () => call.end());
    },
  };
}

/** go-plugin checks service "plugin"; "" is the whole server, by gRPC convention. */
const SERVED = new Set(['', 'plugin']);

export function healthService(): ServiceImplementation {
  return {
    Check(call: ServerCall, callback: UnaryCallback) {
      if (SERVED.has(call.request.service)) callback(null, { status: 'SERVING' });
      else callback({ code: GrpcStatus.NOT_FOUND, details: `unknown service "${call.request.service}"` });
    },
    Watch(call: ServerCall) {
      call.write({ status: SERVED.has(call.request.service) ? 'SERVING' : 'SERVICE_UNKNOWN' });
    },
  };
}
