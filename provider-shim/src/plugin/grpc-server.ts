// The plugin's gRPC server: gRPC's HTTP/2 mapping on node:http2 for the services a plugin process serves.
//
// Hand-written instead of grpc-js's Server because terraform pays for it per call and per process: a
// 1,000-resource plan makes ~4,000 calls and starts the provider three times. Measured on the plan of 1,000
// maestro_switch_port (bench/README.md): the provider's CPU for the plan went from ~1.1 s to ~0.8 s, and each
// process start no longer loads grpc-js (the engine client still does, at ConfigureProvider). What a plugin needs is
// small: one client (go-plugin's, over a unix socket, mutual TLS), messages never compressed, no deadlines that
// matter to us, unary calls plus one server stream (stdio) and one bidi stream (broker) that carry nothing.
//
// The mapping (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md): the method is the :path
// /<package.Service>/<Method>; each message is framed as a 1-byte compression flag and a 4-byte big-endian length;
// the outcome travels in trailers (grpc-status, percent-encoded grpc-message), or in the headers alone when no
// message was sent.

import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import * as http2 from 'node:http2';
import { logger } from './logger';

/** The gRPC status codes this server answers with. */
export const GrpcStatus = { OK: 0, INVALID_ARGUMENT: 3, NOT_FOUND: 5, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

/** A failure answered to the client: a gRPC status code and a message. */
export interface GrpcError {
  code: number;
  details: string;
}

export type UnaryCallback = (err: GrpcError | null, response?: unknown) => void;

/** A call as its handler sees it (the shape of grpc-js's calls, for the parts plugins use). */
export interface ServerCall {
  /** The request message (unary and server-streaming calls). */
  readonly request: any;
  /** Sends one message (streaming responses). */
  write(message: unknown): void;
  /** Ends the call with status OK. */
  end(): void;
  /** 'data' (request messages of a bidi call), 'end' (the client is done sending), 'cancelled' (the client went away). */
  on(event: 'data', listener: (message: any) => void): this;
  on(event: 'end' | 'cancelled', listener: () => void): this;
}

/** A unary handler answers through `callback`; a streaming one keeps the call and ends it when it is done. */
export type Handler = ((call: ServerCall, callback: UnaryCallback) => void) | ((call: ServerCall) => void);
/** Handlers by method name, as the service definition spells them. */
export type ServiceImplementation = Partial<Record<string, Handler>>;

export interface ServerTls {
  keyPem: string;
  certPem: string;
  /** The only certificate a client may present (go-plugin's AutoMTLS: the one terraform announced). */
  clientCertPem: string;
}

const HEADERS = { ':status': 200, 'content-type': 'application/grpc' };

/** grpc-message: '%' and every byte outside printable ASCII percent-encoded (UTF-8), the rest as is. */
function percentEncode(text: string): string {
  return text.replace(/[^\x20-\x24\x26-\x7e]+/g, (run) => [...Buffer.from(run)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

/** Splits a request body into messages as its chunks arrive (copying each byte once, however many chunks a message spans). */
class Deframer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Length of the message whose prefix was read, until it is complete. */
  private expected: number | undefined;

  /** Calls `onMessage` for each complete message; throws for a compressed one (never negotiated). */
  push(chunk: Buffer, onMessage: (message: Buffer) => void): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    for (;;) {
      if (this.expected === undefined) {
        if (this.size < 5) return;
        const prefix = this.take(5);
        if (prefix[0] !== 0) throw new Error('compressed messages are not supported');
        this.expected = prefix.readUInt32BE(1);
      }
      if (this.size < this.expected) return;
      const message = this.take(this.expected);
      this.expected = undefined;
      onMessage(message);
    }
  }

  /** Whether the body ended between messages. */
  get empty(): boolean {
    return this.size === 0 && this.expected === undefined;
  }

  /** The next `n` bytes (the caller checked they are there); joins chunks only when the first is shorter. */
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0];
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.size -= n;
    return first.subarray(0, n);
  }
}

/** One call on one HTTP/2 stream: answers once, and says 'cancelled' when the stream closes before that. */
class Call extends EventEmitter implements ServerCall {
  request: unknown;
  private headersSent = false;
  private finished = false;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly method: MethodDefinition<unknown, unknown> | undefined,
  ) {
    super();
    stream.on('close', () => {
      if (!this.finished) this.emit('cancelled');
    });
  }

  write(message: unknown): void {
    if (this.finished || this.stream.closed) return;
    this.sendHeaders();
    this.stream.write(frame(this.method!.responseSerialize(message)));
  }

  end(): void {
    this.finish(GrpcStatus.OK, '');
  }

  /** Ends the call with `code`, after `response` when given; nothing happens once the call is over. */
  finish(code: number, details: string, response?: unknown): void {
    if (this.finished || this.stream.closed || this.stream.destroyed) return;
    this.finished = true;
    const trailers = { 'grpc-status': String(code), 'grpc-message': percentEncode(details) };
    if (!this.headersSent && response === undefined) {
      this.stream.respond({ ...HEADERS, ...trailers }, { endStream: true });
      return;
    }
    this.sendHeaders();
    this.stream.once('wantTrailers', () => this.stream.sendTrailers(trailers));
    if (response === undefined) this.stream.end();
    else this.stream.end(frame(this.method!.responseSerialize(response)));
  }

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.stream.respond(HEADERS, { waitForTrailers: true });
  }
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class GrpcServer {
  private readonly methods = new Map<string, { method: MethodDefinition<unknown, unknown>; handler: Handler }>();
  private server: http2.Http2Server | http2.Http2SecureServer | undefined;
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  /** Serves every method of `service` that `implementation` has (by name); the others answer UNIMPLEMENTED. */
  addService(service: ServiceDefinition, implementation: ServiceImplementation): void {
    for (const [name, method] of Object.entries(service)) {
      const handler = implementation[name];
      if (handler) this.methods.set(method.path, { method: method as MethodDefinition<unknown, unknown>, handler });
    }
  }

  /** Listens on the unix socket `path`: HTTP/2 over TLS that requires `tls.clientCertPem`, or plaintext without `tls`. */
  listen(path: string, tls?: ServerTls): Promise<void> {
    // Terraform sends states of tens of MiB; node's default session memory (10 MB) would refuse them.
    const options = { maxSessionMemory: Number.MAX_SAFE_INTEGER };
    const server = tls
      ? http2.createSecureServer({ ...options, key: tls.keyPem, cert: tls.certPem, ca: tls.clientCertPem, requestCert: true, rejectUnauthorized: true })
      : http2.createServer(options);
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', (err) => logger.debug('plugin connection failed', { error: describe(err) }));
    });
    server.on('stream', (stream, headers) => this.serve(stream, headers[':path'] ?? ''));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err) => reject(new Error(`cannot listen on unix socket ${path}: ${err.message}`)));
      server.listen(path, () => resolve());
    });
  }

  /** Stops listening and drops every connection (the process normally just exits; tests close). */
  close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(stream: http2.ServerHttp2Stream, path: string): void {
    stream.on('error', (err) => logger.debug('plugin call failed', { path, error: describe(err) }));
    const entry = this.methods.get(path);
    const call = new Call(stream, entry?.method);
    if (!entry) return call.finish(GrpcStatus.UNIMPLEMENTED, `unknown method ${path}`);
    const { method, handler } = entry;
    const deframer = new Deframer();
    const received: unknown[] = [];
    const onMessage = (bytes: Buffer) => {
      const message = method.requestDeserialize(bytes);
      if (method.requestStream) call.emit('data', message);
      else received.push(message);
    };
    stream.on('data', (chunk: Buffer) => {
      try {
        deframer.push(chunk, onMessage);
      } catch (err) {
        call.finish(GrpcStatus.INVALID_ARGUMENT, `${path}: ${describe(err)}`);
      }
    });
    const run = () => {
      try {
        handler(call, (err, response) => (err ? call.finish(err.code, err.details) : call.finish(GrpcStatus.OK, '', response)));
      } catch (err) {
        call.finish(GrpcStatus.INTERNAL, `${path}: ${describe(err)}`);
      }
    };
    if (method.requestStream) {
      stream.on('end', () => call.emit('end'));
      return run();
    }
    stream.on('end', () => {
      if (received.length !== 1 || !deframer.empty) return call.finish(GrpcStatus.INVALID_ARGUMENT, `${path}: expected one request message, got ${received.length}`);
      call.request = received[0];
      run();
    });
  }
}
