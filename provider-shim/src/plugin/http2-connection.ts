// The server side of one HTTP/2 connection (RFC 9113), as much of it as a gRPC server needs: framing, SETTINGS,
// PING, flow control both ways, HPACK-decoded request headers, streams opened by the client, RST_STREAM and
// GOAWAY. No server push, no priorities (PRIORITY frames and fields are read and ignored, as RFC 9113 allows).
//
// Why not node:http2: a terraform plan of 1,000 resources makes ~4,000 calls on one connection, and node:http2
// builds a Duplex stream, header objects and several event turns for each; that was about half of the provider's
// CPU per call (bench/README.md). Here a call is a small object whose request bytes and end are handed to one
// listener, and the frames of every answer ready by the end of an event-loop iteration (setImmediate: after the
// I/O callbacks of that iteration, the engine's answers included) leave in one write, one wakeup for terraform.

import type { Duplex } from 'node:stream';
import { HpackDecoder, HpackError, type HeaderField } from './hpack';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const FRAME_HEADER = 9;

const enum FrameType {
  DATA = 0x0,
  HEADERS = 0x1,
  PRIORITY = 0x2,
  RST_STREAM = 0x3,
  SETTINGS = 0x4,
  PUSH_PROMISE = 0x5,
  PING = 0x6,
  GOAWAY = 0x7,
  WINDOW_UPDATE = 0x8,
  CONTINUATION = 0x9,
}

const enum Flag {
  END_STREAM = 0x1,
  ACK = 0x1,
  END_HEADERS = 0x4,
  PADDED = 0x8,
  PRIORITY = 0x20,
}

const enum Setting {
  HEADER_TABLE_SIZE = 0x1,
  ENABLE_PUSH = 0x2,
  MAX_CONCURRENT_STREAMS = 0x3,
  INITIAL_WINDOW_SIZE = 0x4,
  MAX_FRAME_SIZE = 0x5,
}

/** Error codes (RFC 9113 7). */
export const enum H2Error {
  NO_ERROR = 0x0,
  PROTOCOL_ERROR = 0x1,
  INTERNAL_ERROR = 0x2,
  FLOW_CONTROL_ERROR = 0x3,
  STREAM_CLOSED = 0x5,
  FRAME_SIZE_ERROR = 0x6,
  REFUSED_STREAM = 0x7,
  CANCEL = 0x8,
  COMPRESSION_ERROR = 0x9,
  ENHANCE_YOUR_CALM = 0xb,
}

const DEFAULT_WINDOW = 65_535;
const MAX_WINDOW = 2 ** 31 - 1;
const DEFAULT_MAX_FRAME = 16_384;
/**
 * What this side lets a client send ahead, per stream and for the connection. Terraform sends states of tens of
 * MiB; a large window lets them arrive without waiting for WINDOW_UPDATEs. Each is topped up once half is used.
 */
const RECEIVE_WINDOW = 16 * 1024 * 1024;
/** Largest frame this side accepts: the default; a bigger one is a FRAME_SIZE_ERROR. */
const MAX_RECEIVE_FRAME = DEFAULT_MAX_FRAME;
/** Largest header block (HEADERS and its CONTINUATIONs) this side collects; gRPC's are a few hundred bytes. */
export const MAX_HEADER_BLOCK = 1024 * 1024;

/** A connection-level failure: the connection is closed with GOAWAY carrying `code`. */
class ConnectionError extends Error {
  constructor(
    readonly code: H2Error,
    message: string,
  ) {
    super(message);
  }
}

/** What a stream's owner hears. Each is called at most once except `data`; none after `reset`. */
export interface StreamListener {
  /** Request body bytes, in order. */
  data(chunk: Buffer): void;
  /** The client finished sending (END_STREAM). */
  end(): void;
  /** The stream ended without an answer: the client reset it or the connection closed. */
  reset(): void;
}

/** One request stream. The answer is: headers, then any number of data chunks, then trailers (which end it). */
export class Http2Stream {
  listener: StreamListener | undefined;
  /** Bytes the client may still send before this side tops the window up. */
  private receiveCredit = RECEIVE_WINDOW;
  private unacked = 0;
  /** Bytes this side may still send on the stream (the client's window for it). */
  sendWindow: number;
  /** DATA waiting for window, then the trailers block that follows it. */
  private pending: Buffer[] = [];
  private pendingTrailers: Buffer | undefined;
  remoteClosed = false;
  localClosed = false;

  constructor(
    private readonly connection: Http2Connection,
    readonly id: number,
    /** The request's header fields, in order. */
    readonly headers: readonly HeaderField[],
  ) {
    this.sendWindow = connection.peerInitialWindow;
  }

  /** The value of the first field named `name` (lower case). */
  header(name: string): string | undefined {
    for (const [n, v] of this.headers) if (n === name) return v;
    return undefined;
  }

  /** Sends the response headers (an encoded header block). */
  respond(block: Buffer): void {
    if (this.localClosed) return;
    this.connection.writeHeaders(this.id, block, false);
  }

  /** Sends body bytes, as the client's flow-control windows allow. */
  write(data: Buffer): void {
    if (this.localClosed || data.length === 0) return;
    this.pending.push(data);
    this.flush();
  }

  /** Sends the trailers block (or, with no headers sent before, the whole answer) and ends the stream. */
  end(block: Buffer): void {
    if (this.localClosed) return;
    this.localClosed = true;
    if (this.pending.length > 0) this.pendingTrailers = block;
    else this.sendTrailers(block);
  }

  /** Ends the stream with RST_STREAM (the client hears `code`). */
  cancel(code: H2Error = H2Error.CANCEL): void {
    if (this.localClosed && this.remoteClosed) return;
    this.localClosed = this.remoteClosed = true;
    this.pending = [];
    this.pendingTrailers = undefined;
    this.connection.writeRstStream(this.id, code);
    this.connection.forget(this);
  }

  /** Sends what flow control now allows; true when nothing is left waiting. */
  flush(): boolean {
    while (this.pending.length > 0) {
      const data = this.pending.shift()!;
      const sent = this.connection.sendData(this, data);
      if (sent < data.length) {
        this.pending.unshift(data.subarray(sent));
        return false;
      }
    }
    if (this.pendingTrailers) {
      const block = this.pendingTrailers;
      this.pendingTrailers = undefined;
      this.sendTrailers(block);
    }
    return true;
  }

  /**
   * The last frame of the answer. A client still sending then is told to stop with RST_STREAM NO_ERROR (RFC 9113
   * 8.1: a server may answer before the request is complete), which also closes the stream here.
   */
  private sendTrailers(block: Buffer): void {
    this.connection.writeHeaders(this.id, block, true);
    if (!this.remoteClosed) {
      this.remoteClosed = true;
      this.connection.writeRstStream(this.id, H2Error.NO_ERROR);
    }
    this.closeIfDone();
  }

  /** Counts received DATA against the stream's window; returns the credit to hand back, if it is time. */
  received(length: number): number {
    this.receiveCredit -= length;
    this.unacked += length;
    if (this.receiveCredit < 0) throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, `stream ${this.id} sent beyond its window`);
    if (this.unacked < RECEIVE_WINDOW / 2 || this.remoteClosed) return 0;
    const credit = this.unacked;
    this.receiveCredit += credit;
    this.unacked = 0;
    return credit;
  }

  /** The client is done sending. */
  remoteEnd(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.listener?.end();
    this.closeIfDone();
  }

  /** The client reset the stream, or the connection went away. */
  remoteReset(): void {
    const wasOpen = !(this.localClosed && this.remoteClosed);
    this.localClosed = this.remoteClosed = true;
    this.pending = [];
    this.pendingTrailers = undefined;
    if (wasOpen) this.listener?.reset();
  }

  private closeIfDone(): void {
    if (this.localClosed && this.remoteClosed && this.pending.length === 0 && !this.pendingTrailers) this.connection.forget(this);
  }
}

/**
 * One client connection over `socket` (TLS, or plaintext in the provider's debug mode). `onStream` is called for
 * each request stream once its headers are decoded; it sets the stream's listener before returning.
 */
export class Http2Connection {
  /** The client's SETTINGS_INITIAL_WINDOW_SIZE: each new stream's send window. */
  peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = DEFAULT_MAX_FRAME;
  /** The connection-level send window. */
  private sendWindow = DEFAULT_WINDOW;
  private receiveUnacked = 0;
  private readonly streams = new Map<number, Http2Stream>();
  /** Streams holding DATA until a WINDOW_UPDATE. */
  private readonly blocked = new Set<Http2Stream>();
  private readonly decoder = new HpackDecoder();
  private lastStreamId = 0;
  private input: Buffer = Buffer.alloc(0);
  private prefaceSeen = false;
  /** A header block being continued: stream id, END_STREAM, fragments. */
  private continuing: { id: number; endStream: boolean; fragments: Buffer[]; size: number } | undefined;
  private output: Buffer[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly onStream: (stream: Http2Stream) => void,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    // The server's preface: SETTINGS, then the extra connection window (only WINDOW_UPDATE can raise it).
    this.writeFrame(FrameType.SETTINGS, 0, 0, settingsPayload([[Setting.ENABLE_PUSH, 0], [Setting.INITIAL_WINDOW_SIZE, RECEIVE_WINDOW]]));
    this.writeWindowUpdate(0, RECEIVE_WINDOW - DEFAULT_WINDOW);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.teardown());
    socket.on('end', () => this.teardown());
    socket.on('error', (err: Error) => {
      this.onError(err);
      this.teardown();
    });
  }

  /** Closes the connection now: every open stream is reset. */
  destroy(): void {
    this.teardown();
    this.socket.destroy();
  }

  // ---- input ----

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    try {
      let pos = 0;
      if (!this.prefaceSeen) {
        if (this.input.length < PREFACE.length) return;
        if (!this.input.subarray(0, PREFACE.length).equals(PREFACE)) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'not an HTTP/2 connection preface');
        this.prefaceSeen = true;
        pos = PREFACE.length;
      }
      const input = this.input;
      while (input.length - pos >= FRAME_HEADER) {
        const length = (input[pos] << 16) | (input[pos + 1] << 8) | input[pos + 2];
        if (length > MAX_RECEIVE_FRAME) throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, `frame of ${length} bytes`);
        if (input.length - pos < FRAME_HEADER + length) break;
        const type = input[pos + 3];
        const flags = input[pos + 4];
        const id = input.readUInt32BE(pos + 5) & 0x7fffffff;
        const payload = input.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + length);
        pos += FRAME_HEADER + length;
        this.frame(type, flags, id, payload);
        if (this.closed) return;
      }
      this.input = pos === input.length ? Buffer.alloc(0) : input.subarray(pos);
    } catch (err) {
      if (err instanceof ConnectionError) return this.fail(err.code, err.message);
      if (err instanceof HpackError) return this.fail(H2Error.COMPRESSION_ERROR, err.message);
      throw err;
    }
  }

  private frame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.continuing && type !== FrameType.CONTINUATION) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'header block interrupted');
    switch (type) {
      case FrameType.DATA:
        return this.onData(flags, id, payload);
      case FrameType.HEADERS:
        return this.onHeaders(flags, id, payload);
      case FrameType.CONTINUATION:
        return this.onContinuation(flags, id, payload);
      case FrameType.RST_STREAM:
        if (id === 0 || payload.length !== 4) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'malformed RST_STREAM');
        return this.onRstStream(id);
      case FrameType.SETTINGS:
        return this.onSettings(flags, id, payload);
      case FrameType.PING:
        if (id !== 0 || payload.length !== 8) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'malformed PING');
        if (!(flags & Flag.ACK)) this.writeFrame(FrameType.PING, Flag.ACK, 0, payload);
        return;
      case FrameType.GOAWAY:
        // The client sends no new streams; those open finish, then it closes the connection.
        return;
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(id, payload);
      case FrameType.PUSH_PROMISE:
        throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'PUSH_PROMISE from a client');
      default:
        // PRIORITY and unknown frame types are ignored (RFC 9113 5.5).
        return;
    }
  }

  /** The frame's payload without its padding (PADDED flag: a pad-length byte first, that many bytes at the end). */
  private unpadded(flags: number, payload: Buffer, skip = 0): Buffer {
    if (!(flags & Flag.PADDED)) return payload.subarray(skip);
    const pad = payload[0];
    if (payload.length < 1 + skip + pad) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'padding longer than the frame');
    return payload.subarray(1 + skip, payload.length - pad);
  }

  private onData(flags: number, id: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'DATA on stream 0');
    // Flow control counts the whole payload, padding included, whatever the stream's state.
    this.receiveUnacked += payload.length;
    if (this.receiveUnacked >= RECEIVE_WINDOW / 2) {
      this.writeWindowUpdate(0, this.receiveUnacked);
      this.receiveUnacked = 0;
    }
    const stream = this.streams.get(id);
    if (!stream || stream.remoteClosed) {
      if (id > this.lastStreamId) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `DATA on idle stream ${id}`);
      return; // a stream this side already ended or reset: the data is dropped
    }
    const credit = stream.received(payload.length);
    if (credit > 0) this.writeWindowUpdate(id, credit);
    const data = this.unpadded(flags, payload);
    if (data.length > 0) stream.listener?.data(data);
    if (flags & Flag.END_STREAM) stream.remoteEnd();
  }

  private onHeaders(flags: number, id: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'HEADERS on stream 0');
    const fragment = this.unpadded(flags, payload, flags & Flag.PRIORITY ? 5 : 0);
    const endStream = (flags & Flag.END_STREAM) !== 0;
    if (flags & Flag.END_HEADERS) return this.headerBlock(id, endStream, fragment);
    this.continuing = { id, endStream, fragments: [Buffer.from(fragment)], size: fragment.length };
  }

  private onContinuation(flags: number, id: number, payload: Buffer): void {
    const c = this.continuing;
    if (!c || c.id !== id) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'CONTINUATION without a header block');
    c.fragments.push(Buffer.from(payload));
    c.size += payload.length;
    if (c.size > MAX_HEADER_BLOCK) throw new ConnectionError(H2Error.ENHANCE_YOUR_CALM, `header block over ${MAX_HEADER_BLOCK} bytes`);
    if (!(flags & Flag.END_HEADERS)) return;
    this.continuing = undefined;
    this.headerBlock(id, c.endStream, Buffer.concat(c.fragments));
  }

  private headerBlock(id: number, endStream: boolean, block: Buffer): void {
    // Decoded whatever happens next: the HPACK state is the connection's.
    const fields = this.decoder.decode(block);
    const existing = this.streams.get(id);
    if (existing) {
      // Trailers from the client: they must end the stream; gRPC puts nothing in them that matters here.
      if (!endStream) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `second header block without END_STREAM on stream ${id}`);
      existing.remoteEnd();
      return;
    }
    if (id % 2 === 0 || id <= this.lastStreamId) {
      if (id % 2 === 0) throw new ConnectionError(H2Error.PROTOCOL_ERROR, `client opened even stream ${id}`);
      return; // headers on a stream already closed: ignored
    }
    this.lastStreamId = id;
    const stream = new Http2Stream(this, id, fields);
    this.streams.set(id, stream);
    this.onStream(stream);
    if (endStream && !this.closed) stream.remoteEnd();
  }

  private onRstStream(id: number): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    this.blocked.delete(stream);
    stream.remoteReset();
  }

  private onSettings(flags: number, id: number, payload: Buffer): void {
    if (id !== 0) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'SETTINGS on a stream');
    if (flags & Flag.ACK) return;
    if (payload.length % 6 !== 0) throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, 'SETTINGS length');
    for (let i = 0; i < payload.length; i += 6) {
      const key = payload.readUInt16BE(i);
      const value = payload.readUInt32BE(i + 2);
      if (key === Setting.INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW) throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, 'INITIAL_WINDOW_SIZE above 2^31-1');
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const stream of this.streams.values()) stream.sendWindow += delta;
      } else if (key === Setting.MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME || value > 16_777_215) throw new ConnectionError(H2Error.PROTOCOL_ERROR, 'MAX_FRAME_SIZE out of range');
        this.peerMaxFrame = value;
      }
      // HEADER_TABLE_SIZE bounds the client's decoder table, which this side never adds to; the rest do not
      // concern a server that answers each request on its own stream.
    }
    this.writeFrame(FrameType.SETTINGS, Flag.ACK, 0, Buffer.alloc(0));
    this.unblock();
  }

  private onWindowUpdate(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, 'WINDOW_UPDATE length');
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      if (increment === 0 || this.sendWindow + increment > MAX_WINDOW) throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, 'bad connection WINDOW_UPDATE');
      this.sendWindow += increment;
    } else {
      const stream = this.streams.get(id);
      if (!stream) return;
      if (increment === 0 || stream.sendWindow + increment > MAX_WINDOW) return stream.cancel(H2Error.FLOW_CONTROL_ERROR);
      stream.sendWindow += increment;
    }
    this.unblock();
  }

  // ---- output ----

  /** Sends what the windows allow of `data` on `stream`, and returns that count; a stream left with more waits for a WINDOW_UPDATE. */
  sendData(stream: Http2Stream, data: Buffer): number {
    let sent = 0;
    while (sent < data.length) {
      const n = Math.min(data.length - sent, this.sendWindow, stream.sendWindow, this.peerMaxFrame);
      if (n <= 0) break;
      this.writeFrame(FrameType.DATA, 0, stream.id, data.subarray(sent, sent + n));
      this.sendWindow -= n;
      stream.sendWindow -= n;
      sent += n;
    }
    if (sent < data.length) this.blocked.add(stream);
    return sent;
  }

  private unblock(): void {
    for (const stream of this.blocked) {
      if (this.sendWindow <= 0) return;
      if (stream.flush()) this.blocked.delete(stream);
    }
  }

  /** A header block as HEADERS plus CONTINUATIONs when it is larger than the client's frame size. */
  writeHeaders(id: number, block: Buffer, endStream: boolean): void {
    const endFlag = endStream ? Flag.END_STREAM : 0;
    if (block.length <= this.peerMaxFrame) return this.writeFrame(FrameType.HEADERS, endFlag | Flag.END_HEADERS, id, block);
    this.writeFrame(FrameType.HEADERS, endFlag, id, block.subarray(0, this.peerMaxFrame));
    for (let pos = this.peerMaxFrame; pos < block.length; pos += this.peerMaxFrame) {
      const last = pos + this.peerMaxFrame >= block.length;
      this.writeFrame(FrameType.CONTINUATION, last ? Flag.END_HEADERS : 0, id, block.subarray(pos, pos + this.peerMaxFrame));
    }
  }

  writeRstStream(id: number, code: H2Error): void {
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(code, 0);
    this.writeFrame(FrameType.RST_STREAM, 0, id, payload);
  }

  forget(stream: Http2Stream): void {
    this.streams.delete(stream.id);
    this.blocked.delete(stream);
  }

  private writeWindowUpdate(id: number, increment: number): void {
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(increment, 0);
    this.writeFrame(FrameType.WINDOW_UPDATE, 0, id, payload);
  }

  /** Queues a frame; every frame queued in this iteration of the event loop leaves in one write. */
  private writeFrame(type: FrameType, flags: number, id: number, payload: Buffer): void {
    if (this.closed) return;
    const header = Buffer.allocUnsafe(FRAME_HEADER);
    header[0] = payload.length >>> 16;
    header[1] = (payload.length >>> 8) & 0xff;
    header[2] = payload.length & 0xff;
    header[3] = type;
    header[4] = flags;
    header.writeUInt32BE(id, 5);
    this.output.push(header);
    if (payload.length > 0) this.output.push(payload);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushOutput());
    }
  }

  private flushOutput(): void {
    this.flushScheduled = false;
    if (this.output.length === 0 || this.closed) return;
    const out = this.output.length === 1 ? this.output[0] : Buffer.concat(this.output);
    this.output = [];
    this.socket.write(out);
  }

  /** Ends the connection for a protocol violation: GOAWAY with `code`, then close. */
  private fail(code: H2Error, message: string): void {
    const payload = Buffer.allocUnsafe(8 + Buffer.byteLength(message));
    payload.writeUInt32BE(this.lastStreamId, 0);
    payload.writeUInt32BE(code, 4);
    payload.write(message, 8);
    this.writeFrame(FrameType.GOAWAY, 0, 0, payload);
    this.flushOutput();
    this.onError(new Error(`HTTP/2 connection error ${code}: ${message}`));
    this.socket.end();
    this.teardown();
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    const open = [...this.streams.values()];
    this.streams.clear();
    this.blocked.clear();
    for (const stream of open) stream.remoteReset();
  }
}

function settingsPayload(settings: [Setting, number][]): Buffer {
  const payload = Buffer.allocUnsafe(settings.length * 6);
  settings.forEach(([key, value], i) => {
    payload.writeUInt16BE(key, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });
  return payload;
}
