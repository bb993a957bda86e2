// Serves a terraform provider as a go-plugin gRPC plugin: handshake, AutoMTLS, unix socket, lifecycle.

import { mkdtempSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate, type SelfSignedCertificate } from './certificate';
import { brokerService, controllerService, healthService, stdioService, type PluginHost } from './go-plugin-services';
import { GrpcServer, type ServiceImplementation } from './grpc-server';
import { checkMagicCookie, handshakeLine, HandshakeError, negotiateProtocolVersion } from './handshake';
import { loadProtos } from './load-protos';
import { levelFromEnv, logger } from './logger';

export interface ServeOptions {
  /** The tfplugin6.Provider implementation (see tfplugin6/server.ts). */
  provider: ServiceImplementation;
  /** Provider source address, used in the debug-mode reattach line. */
  providerAddress: string;
  /**
   * Debug mode: no cookie check, plaintext, prints a TF_REATTACH_PROVIDERS line
   * for the developer and serves every terraform run until Ctrl-C.
   */
  debug?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the plugin server and prints the handshake line on stdout, the only
 * thing ever printed there. Never returns control to a failed start: a wrong
 * launch prints a message on stderr and exits 1.
 */
export async function serve(opts: ServeOptions): Promise<void> {
  guardStdout();
  const env = opts.env ?? process.env;
  const debug = opts.debug ?? false;
  if (debug) logger.setLevel(levelFromEnv(env, 'info'));
  try {
    if (!debug) checkPluginEnvironment(env);
  } catch (err) {
    if (!(err instanceof HandshakeError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  installSignalHandlers(debug);
  const session = await startSession({ provider: opts.provider, env: debug ? {} : env, host: pluginHost(debug) });
  process.on('exit', () => session.removeSocket());
  if (debug) printReattachInstructions(opts.providerAddress, session.socket);
  else writeSync(1, session.handshake);
}

/** Throws a HandshakeError when `env` is not terraform's: no magic cookie, or no protocol version both speak. */
export function checkPluginEnvironment(env: NodeJS.ProcessEnv): void {
  checkMagicCookie(env);
  negotiateProtocolVersion(env);
}

export interface SessionOptions {
  provider: ServiceImplementation;
  /** The plugin environment terraform set: PLUGIN_CLIENT_CERT turns on mutual TLS. */
  env: NodeJS.ProcessEnv;
  /** What Shutdown and a cancelled StreamStdio do. */
  host: PluginHost;
  /** The server certificate to present (one is made when absent). */
  certificate?: SelfSignedCertificate;
}

/** One terraform connection's plugin server: a unix socket in a fresh directory, with its handshake line. */
export interface PluginSession {
  socket: string;
  /** go-plugin's handshake line, newline included. */
  handshake: string;
  /** Stops listening, drops the connection, removes the socket directory. */
  close(): Promise<void>;
  /** Removes the socket directory synchronously (for process exit paths). */
  removeSocket(): void;
}

/** Listens for one terraform connection with the go-plugin services and `provider` behind mutual TLS (when terraform asked for it). */
export async function startSession(opts: SessionOptions): Promise<PluginSession> {
  const clientCert = opts.env.PLUGIN_CLIENT_CERT;
  const tls = clientCert ? (opts.certificate ?? pluginCertificate()) : undefined;
  const socketDir = mkdtempSync(join(tmpdir(), 'maestro-plugin-'));
  const socket = join(socketDir, 'plugin.sock');
  const removeSocket = () => rmSync(socketDir, { recursive: true, force: true });
  const server = new GrpcServer();
  const protos = loadProtos();
  server.addService(protos.provider, opts.provider);
  server.addService(protos.controller, controllerService(opts.host));
  server.addService(protos.stdio, stdioService(opts.host));
  server.addService(protos.broker, brokerService());
  server.addService(protos.health, healthService());
  try {
    await server.listen(socket, tls && clientCert ? { keyPem: tls.keyPem, certPem: tls.certPem, clientCertPem: clientCert } : undefined);
  } catch (err) {
    removeSocket();
    throw err;
  }
  logger.debug('plugin server listening', { network: 'unix', address: socket, tls: Boolean(tls) });
  return {
    socket,
    handshake: handshakeLine({ network: 'unix', address: socket }, tls?.certDer),
    close: async () => {
      await server.close();
      removeSocket();
    },
    removeSocket,
  };
}

/** The certificate a plugin server presents; terraform pins it from the handshake line. */
export function pluginCertificate(): SelfSignedCertificate {
  return createSelfSignedCertificate({ commonName: 'maestro provider', dnsNames: ['localhost'], days: 30 });
}

/**
 * go-plugin reads stdout as protocol: anything but the handshake line breaks it
 * ("Unrecognized remote plugin message"). Route every other stdout write to stderr.
 */
function guardStdout(): void {
  const toStderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = toStderr as typeof process.stdout.write;
  console.log = console.info = console.debug = console.error;
}

function pluginHost(debug: boolean): PluginHost {
  const exit = (reason: string) => {
    logger.debug('plugin exiting', { reason });
    process.exit(0);
  };
  // A debug-mode provider outlives each terraform run; only Ctrl-C ends it.
  if (debug) return { onShutdown: () => undefined, onHostGone: () => undefined };
  return { onShutdown: () => exit('shutdown requested'), onHostGone: () => exit('terraform closed the connection') };
}

/**
 * Terraform's Ctrl-C reaches the whole process group; terraform then sends
 * StopProvider and waits for in-flight work, so SIGINT is ignored (except in
 * debug mode, where Ctrl-C is how the developer stops the provider).
 */
function installSignalHandlers(debug: boolean): void {
  process.on('SIGINT', () => (debug ? process.exit(0) : logger.debug('SIGINT ignored: waiting for terraform to send StopProvider')));
  process.on('SIGTERM', () => process.exit(143));
  const fatal = (err: unknown) => {
    logger.error('provider crashed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

function printReattachInstructions(providerAddress: string, socket: string): void {
  const reattach = { [providerAddress]: { Protocol: 'grpc', ProtocolVersion: 6, Pid: process.pid, Test: true, Addr: { Network: 'unix', String: socket } } };
  writeSync(
    1,
    'Provider started in debug mode. In another shell, set this variable and run terraform as usual;\n' +
      'terraform will use this process instead of starting the installed provider:\n\n' +
      `TF_REATTACH_PROVIDERS='${JSON.stringify(reattach)}'\n\n` +
      'Logs appear here. Press Ctrl-C to stop the provider.\n',
  );
}
