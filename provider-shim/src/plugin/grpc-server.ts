// The plugin's gRPC server: gRPC's HTTP/2 mapping for the services a plugin process serves, on this package's own
// HTTP/2 connection (http2-connection.ts) over node:tls (or node:net in debug mode).
//
// Hand-written instead of grpc-js's Server, then instead of node:http2 too, because terraform pays for it per call
// and per process: a 1,000-resource plan makes ~4,000 calls and starts the provider three times. Measured on the
// plan of 1,000 maestro_switch_port (bench/README.md): grpc-js -> node:http2 took the provider's CPU for the plan
// from ~1.1 s to ~0.8 s; node:http2 -> http2-connection.ts is measured there too. What a plugin needs is small:
// one client (go-plugin's, over a unix socket, mutual TLS), messages never compressed, no deadlines that matter
// to us, unary calls plus one server stream (stdio) and one bidi stream (broker) that carry nothing.
//
// The mapping (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md): the method is the :path
// /<package.Service>/<Method>; each message is framed as a 1-byte compression flag and a 4-byte big-endian length;
// the outcome travels in trailers (grpc-status, percent-encoded grpc-message), or in the headers alone when no
// message was sent.

import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { indexed, literal, literalWithIndexedName, STATIC_INDEX } from './hpack';
import { Http2Connection, type Http2Stream } from './http2-connection';
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

/** :status 200, content-type application/grpc: the headers of every answer. */
const RESPONSE_HEADERS = Buffer.concat([indexed(STATIC_INDEX.status200), literalWithIndexedName(STATIC_INDEX.contentType, 'application/grpc')]);
const OK_TRAILERS = literal('grpc-status', '0');

/** The trailers block for status `code` and message `details`. */
function trailers(code: number, details: string): Buffer {
  if (code === GrpcStatus.OK && details === '') return OK_TRAILERS;
  const status = literal('grpc-status', String(code));
  return details === '' ? status : Buffer.concat([status, literal('grpc-message', percentEncode(details))]);
}

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
    private readonly stream: Http2Stream,
    private readonly method: MethodDefinition<unknown, unknown> | undefined,
  ) {
    super();
  }

  /** The stream ended before the answer did. */
  reset(): void {
    if (this.finished) return;
    this.finished = true;
    this.emit('cancelled');
  }

  write(message: unknown): void {
    if (this.finished) return;
    this.sendHeaders();
    this.stream.write(frame(this.method!.responseSerialize(message)));
  }

  end(): void {
    this.finish(GrpcStatus.OK, '');
  }

  /** Ends the call with `code`, after `response` when given; nothing happens once the call is over. */
  finish(code: number, details: string, response?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.headersSent && response === undefined) return this.stream.end(Buffer.concat([RESPONSE_HEADERS, trailers(code, details)]));
    this.sendHeaders();
    if (response !== undefined) this.stream.write(frame(this.method!.responseSerialize(response)));
    this.stream.end(trailers(code, details));
  }

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.stream.respond(RESPONSE_HEADERS);
  }
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class GrpcServer {
  private readonly methods = new Map<string, { method: MethodDefinition<unknown, unknown>; handler: Handler }>();
  private server: net.Server | undefined;
  private readonly connections = new Set<Http2Connection>();

  /** Serves every method of `service` that `implementation` has (by name); the others answer UNIMPLEMENTED. */
  addService(service: ServiceDefinition, implementation: ServiceImplementation): void {
    for (const [name, method] of Object.entries(service)) {
      const handler = implementation[name];
      if (handler) this.methods.set(method.path, { method: method as MethodDefinition<unknown, unknown>, handler });
    }
  }

  /** Listens on the unix socket `path`: HTTP/2 over TLS that requires `tls.clientCertPem`, or plaintext without `tls`. */
  listen(path: string, tlsOptions?: ServerTls): Promise<void> {
    const accept = (socket: net.Socket) => {
      const connection = new Http2Connection(
        socket,
        (stream) => this.serve(stream),
        (err) => logger.debug('plugin connection failed', { error: describe(err) }),
      );
      this.connections.add(connection);
      socket.on('close', () => this.connections.delete(connection));
    };
    const server = tlsOptions
      ? tls.createServer(
          { key: tlsOptions.keyPem, cert: tlsOptions.certPem, ca: tlsOptions.clientCertPem, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
          accept,
        )
      : net.createServer(accept);
    server.on('tlsClientError', (err: Error) => logger.debug('plugin connection refused', { error: describe(err) }));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err) => reject(new Error(`cannot listen on unix socket ${path}: ${err.message}`)));
      server.listen(path, () => resolve());
    });
  }

  /** Stops listening and drops every connection (the process normally just exits; tests close). */
  close(): Promise<void> {
    for (const connection of this.connections) connection.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(stream: Http2Stream): void {
    const path = stream.header(':path') ?? '';
    const entry = this.methods.get(path);
    const call = new Call(stream, entry?.method);
    if (!entry) {
      stream.listener = { data: () => undefined, end: () => undefined, reset: () => call.reset() };
      return call.finish(GrpcStatus.UNIMPLEMENTED, `unknown method ${path}`);
    }
    const { method, handler } = entry;
    const deframer = new Deframer();
    const received: unknown[] = [];
    const onMessage = (bytes: Buffer) => {
      const message = method.requestDeserialize(bytes);
      if (method.requestStream) call.emit('data', message);
      else received.push(message);
    };
    const run = () => {
      try {
        handler(call, (err, response) => (err ? call.finish(err.code, err.details) : call.finish(GrpcStatus.OK, '', response)));
      } catch (err) {
        call.finish(GrpcStatus.INTERNAL, `${path}: ${describe(err)}`);
      }
    };
    stream.listener = {
      data: (chunk) => {
        try {
          deframer.push(chunk, onMessage);
        } catch (err) {
          call.finish(GrpcStatus.INVALID_ARGUMENT, `${path}: ${describe(err)}`);
        }
      },
      end: () => {
        if (method.requestStream) return void call.emit('end');
        if (received.length !== 1 || !deframer.empty) return call.finish(GrpcStatus.INVALID_ARGUMENT, `${path}: expected one request message, got ${received.length}`);
        call.request = received[0];
        run();
      },
      reset: () => call.reset(),
    };
    if (method.requestStream) run();
  }
}
