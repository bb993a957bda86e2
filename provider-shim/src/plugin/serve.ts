// Serves a terraform provider as a go-plugin gRPC plugin: handshake, AutoMTLS, unix socket, lifecycle.

import { mkdtempSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate } from './certificate';
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
    if (!debug) {
      checkMagicCookie(env);
      negotiateProtocolVersion(env);
    }
  } catch (err) {
    if (!(err instanceof HandshakeError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const clientCert = debug ? undefined : env.PLUGIN_CLIENT_CERT;
  const tls = clientCert ? createSelfSignedCertificate({ commonName: 'maestro provider', dnsNames: ['localhost'], days: 30 }) : undefined;
  const socketDir = mkdtempSync(join(tmpdir(), 'maestro-plugin-'));
  const socket = join(socketDir, 'plugin.sock');
  process.on('exit', () => rmSync(socketDir, { recursive: true, force: true }));
  installSignalHandlers(debug);

  const server = new GrpcServer();
  const protos = loadProtos();
  const host = pluginHost(debug);
  server.addService(protos.provider, opts.provider);
  server.addService(protos.controller, controllerService(host));
  server.addService(protos.stdio, stdioService(host));
  server.addService(protos.broker, brokerService());
  server.addService(protos.health, healthService());

  await server.listen(socket, tls && clientCert ? { keyPem: tls.keyPem, certPem: tls.certPem, clientCertPem: clientCert } : undefined);
  logger.debug('plugin server listening', { network: 'unix', address: socket, tls: Boolean(tls) });
  if (debug) printReattachInstructions(opts.providerAddress, socket);
  else writeSync(1, handshakeLine({ network: 'unix', address: socket }, tls?.certDer));
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
