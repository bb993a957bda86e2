// The plugin's own HTTP/2 server connection against node:http2's client (nghttp2: Huffman-coded, indexed headers,
// its own flow control): headers as sent, PING, flow control both ways, CONTINUATION, resets, protocol errors.

import * as http2 from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { literal } from '../../provider-shim/src/plugin/hpack';
import { Http2Connection, MAX_HEADER_BLOCK, type Http2Stream } from '../../provider-shim/src/plugin/http2-connection';

const dir = mkdtempSync(join(tmpdir(), 'maestro-h2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OK_HEADERS = Buffer.from([0x88]); // :status 200

/** What each test's server does with a stream. */
type Behaviour = (stream: Http2Stream, body: Buffer) => void;

interface Harness {
  client: http2.ClientHttp2Session;
  resets: string[];
  errors: string[];
  connections: Http2Connection[];
  close(): Promise<void>;
}

async function harness(behave: Behaviour, onOpen?: (stream: Http2Stream) => void): Promise<Harness> {
  const socketPath = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
  const resets: string[] = [];
  const errors: string[] = [];
  const connections: Http2Connection[] = [];
  const server = net.createServer((socket) => {
    connections.push(
      new Http2Connection(
        socket,
        (stream) => {
          const chunks: Buffer[] = [];
          onOpen?.(stream);
          stream.listener = {
            data: (chunk) => chunks.push(chunk),
            end: () => behave(stream, Buffer.concat(chunks)),
            reset: () => resets.push(stream.header(':path') ?? '?'),
          };
        },
        (err) => errors.push(err.message),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const client = http2.connect('http://localhost', { createConnection: () => net.connect(socketPath) });
  return {
    client,
    resets,
    errors,
    connections,
    close: async () => {
      client.close();
      for (const c of connections) c.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** One request; resolves with the response headers, body and trailers. */
function request(client: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: Buffer): Promise<{ headers: http2.IncomingHttpHeaders; body: Buffer; trailers: http2.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = client.request({ ':method': 'POST', ...headers });
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => (responseHeaders = h));
    req.on('trailers', (t) => (trailers = t));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve({ headers: responseHeaders, body: Buffer.concat(chunks), trailers }));
    req.on('error', reject);
    req.end(body);
  });
}

/** Answers with the request's decoded header fields as JSON. */
const echoHeaders: Behaviour = (stream) => {
  stream.respond(OK_HEADERS);
  stream.write(Buffer.from(JSON.stringify(stream.headers)));
  stream.end(literal('x-done', 'yes'));
};

test('decodes every header nghttp2 sends, over hundreds of requests that churn its dynamic table', async () => {
  const h = await harness(echoHeaders);
  try {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('').trim();
    for (let i = 0; i < 300; i++) {
      const sent = {
        ':path': `/svc.Test/Method${i % 7}`,
        'x-printable': printable,
        'x-counter': String(i),
        'x-long': `${'value-'.repeat(i % 50)}${i}`,
        [`x-name-${i % 13}`]: 'a'.repeat(i % 200),
      };
      const { body, trailers } = await request(h.client, sent);
      const got = new Map(JSON.parse(body.toString()) as [string, string][]);
      for (const [name, value] of Object.entries(sent)) expect(got.get(name)).toBe(value);
      expect(got.get(':method')).toBe('POST');
      expect(trailers['x-done']).toBe('yes');
    }
    expect(h.errors).toEqual([]);
  } finally {
    await h.close();
  }
});

test('answers PING', async () => {
  const h = await harness(echoHeaders);
  try {
    const payload = Buffer.from('12345678');
    await request(h.client, { ':path': '/first' }); // connected, settings exchanged
    const echoed = await new Promise<Buffer>((resolve, reject) => h.client.ping(payload, (err, _ms, p) => (err ? reject(err) : resolve(p))));
    expect(echoed).toEqual(payload);
  } finally {
    await h.close();
  }
});

test('sends a large body within a small client window, waiting for its WINDOW_UPDATEs', async () => {
  const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'z');
  const h = await harness((stream) => {
    stream.respond(OK_HEADERS);
    stream.write(big);
    stream.end(literal('x-size', String(big.length)));
  });
  try {
    h.client.settings({ initialWindowSize: 1000, maxFrameSize: 16_384 });
    const { body, trailers } = await request(h.client, { ':path': '/big' });
    expect(body.equals(big)).toBe(true);
    expect(trailers['x-size']).toBe(String(big.length));
  } finally {
    await h.close();
  }
});

test('receives a request body larger than its announced window', async () => {
  const big = Buffer.alloc(40 * 1024 * 1024, 'q');
  const h = await harness((stream, body) => {
    stream.respond(OK_HEADERS);
    stream.write(Buffer.from(String(body.length)));
    stream.end(literal('x-ok', body.equals(big) ? 'same' : 'different'));
  });
  try {
    const { body, trailers } = await request(h.client, { ':path': '/upload' }, big);
    expect(body.toString()).toBe(String(big.length));
    expect(trailers['x-ok']).toBe('same');
  } finally {
    await h.close();
  }
});

test('a header block larger than a frame goes out as HEADERS plus CONTINUATION', async () => {
  const long = 'm'.repeat(40_000);
  const h = await harness((stream) => stream.end(Buffer.concat([OK_HEADERS, literal('x-long', long)])));
  try {
    const { headers } = await request(h.client, { ':path': '/long' });
    expect(headers['x-long']).toBe(long);
  } finally {
    await h.close();
  }
});

test('a stream the client resets, and every open stream when the connection closes, is reported reset', async () => {
  const opened: Http2Stream[] = [];
  const h = await harness(() => undefined, (stream) => opened.push(stream));
  const req = h.client.request({ ':method': 'POST', ':path': '/hang' });
  req.on('error', () => undefined);
  req.end();
  await until(() => opened.length === 1);
  req.close(http2.constants.NGHTTP2_CANCEL);
  await until(() => h.resets.length === 1);
  const second = h.client.request({ ':method': 'POST', ':path': '/second' });
  second.on('error', () => undefined);
  second.end();
  await until(() => opened.length === 2);
  h.client.destroy();
  await until(() => h.resets.length === 2);
  expect(h.resets).toEqual(['/hang', '/second']);
  await h.close();
});

test('an answer sent before the request ended stops the client with RST_STREAM NO_ERROR', async () => {
  const h = await harness(() => undefined, (stream) => stream.end(Buffer.concat([OK_HEADERS, literal('x-early', '1')])));
  try {
    const req = h.client.request({ ':method': 'POST', ':path': '/early' });
    const response = await new Promise<http2.IncomingHttpHeaders>((resolve) => req.on('response', resolve));
    expect(response['x-early']).toBe('1');
    await new Promise((resolve) => req.on('close', resolve));
    expect(req.rstCode).toBe(http2.constants.NGHTTP2_NO_ERROR);
    expect(h.resets).toEqual([]);
  } finally {
    await h.close();
  }
});

/**
 * A raw client against one Http2Connection: `send` writes what it likes; resolves once the server closed the
 * connection, with the frames the server sent and the errors it reported.
 */
async function rawExchange(send: (socket: net.Socket) => void): Promise<{ frames: { type: number; payload: Buffer }[]; errors: string[] }> {
  const socketPath = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
  const errors: string[] = [];
  const server = net.createServer((socket) => new Http2Connection(socket, () => undefined, (err) => errors.push(err.message)));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  try {
    const socket = net.connect(socketPath);
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    send(socket);
    await closed;
    const all = Buffer.concat(received);
    const frames: { type: number; payload: Buffer }[] = [];
    for (let pos = 0; pos + 9 <= all.length; ) {
      const length = all.readUIntBE(pos, 3);
      frames.push({ type: all[pos + 3], payload: all.subarray(pos + 9, pos + 9 + length) });
      pos += 9 + length;
    }
    return { frames, errors };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

function frameOf(type: number, flags: number, id: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(id, 5);
  return Buffer.concat([header, payload]);
}

test('a client that does not speak HTTP/2 gets GOAWAY PROTOCOL_ERROR and is disconnected', async () => {
  const { frames, errors } = await rawExchange((socket) => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  // The server's SETTINGS and WINDOW_UPDATE, then GOAWAY (type 7) carrying PROTOCOL_ERROR (1).
  expect(frames.map((f) => f.type)).toEqual([4, 8, 7]);
  expect(frames[2].payload.readUInt32BE(4)).toBe(1);
  expect(errors.join()).toMatch('not an HTTP/2 connection preface');
});

test('a header block that never ends is refused with GOAWAY ENHANCE_YOUR_CALM past MAX_HEADER_BLOCK', async () => {
  const { frames, errors } = await rawExchange((socket) => {
    socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frameOf(4, 0, 0, Buffer.alloc(0)), frameOf(1, 0, 1, Buffer.from([0x83]))]));
    const filler = frameOf(9, 0, 1, Buffer.alloc(16_384, 0x83)); // CONTINUATION without END_HEADERS
    for (let sent = 0; sent <= MAX_HEADER_BLOCK && !socket.destroyed; sent += 16_384) socket.write(filler);
  });
  const goaway = frames.filter((f) => f.type === 7).pop();
  expect(goaway?.payload.readUInt32BE(4)).toBe(0xb);
  expect(errors.join()).toMatch('header block over');
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
