// The plugin's hand-written gRPC server against grpc-js's client (what go-plugin speaks): unary answers and
// statuses, unknown methods, streams both ways, cancellation, many calls at once, and mutual TLS.

import { credentials, makeGenericClientConstructor, type Client, type ClientReadableStream, type ClientDuplexStream, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { GrpcServer, GrpcStatus, type ServerCall, type ServiceImplementation, type UnaryCallback } from '../../provider-shim/src/plugin/grpc-server';

/** Messages are UTF-8 text. */
const text = { serialize: (s: string) => Buffer.from(s), deserialize: (b: Buffer) => b.toString() };
const method = (name: string, requestStream: boolean, responseStream: boolean): MethodDefinition<string, string> => ({
  path: `/test.Echo/${name}`, requestStream, responseStream, originalName: name[0].toLowerCase() + name.slice(1),
  requestSerialize: text.serialize, requestDeserialize: text.deserialize, responseSerialize: text.serialize, responseDeserialize: text.deserialize,
});
const SERVICE = { Say: method('Say', false, false), Count: method('Count', false, true), Chat: method('Chat', true, true), Missing: method('Missing', false, false) };

const dir = mkdtempSync(join(tmpdir(), 'maestro-grpc-server-'));
const servers: GrpcServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});
const cancelled: string[] = [];

const IMPLEMENTATION: ServiceImplementation = {
  Say(call: ServerCall, callback: UnaryCallback) {
    if (call.request === 'fail') return callback({ code: GrpcStatus.NOT_FOUND, details: 'no such thing: «fail» 100%' });
    if (call.request === 'hang') return void call.on('cancelled', () => cancelled.push('Say'));
    callback(null, `said ${call.request}`);
  },
  Count(call: ServerCall) {
    for (let i = 1; i <= Number(call.request); i++) call.write(String(i));
    call.end();
  },
  Chat(call: ServerCall) {
    call.on('data', (m: string) => call.write(`echo ${m}`));
    call.on('end', () => call.end());
  },
};

async function serve(tls?: { server: ReturnType<typeof createSelfSignedCertificate>; client: ReturnType<typeof createSelfSignedCertificate> }): Promise<string> {
  const socket = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
  const server = new GrpcServer();
  servers.push(server);
  server.addService(SERVICE, IMPLEMENTATION);
  await server.listen(socket, tls && { keyPem: tls.server.keyPem, certPem: tls.server.certPem, clientCertPem: tls.client.certPem });
  return socket;
}

type Echo = Client & Record<string, (...args: any[]) => any>;
function client(socket: string, tls?: { server: { certPem: string }; as: { keyPem: string; certPem: string } }): Echo {
  const Ctor = makeGenericClientConstructor(SERVICE, 'Echo');
  const creds = tls ? credentials.createSsl(Buffer.from(tls.server.certPem), Buffer.from(tls.as.keyPem), Buffer.from(tls.as.certPem)) : credentials.createInsecure();
  return new Ctor(`unix:${socket}`, creds, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 }) as Echo;
}
const say = (c: Echo, request: string): Promise<string> => new Promise((resolve, reject) => c.Say(request, (err: ServiceError | null, res: string) => (err ? reject(err) : resolve(res))));
const collect = <T>(stream: NodeJS.EventEmitter): Promise<T[]> => new Promise((resolve, reject) => {
  const got: T[] = [];
  stream.on('data', (m: T) => got.push(m));
  stream.on('error', reject);
  stream.on('end', () => resolve(got));
});

describe('plaintext (debug mode)', () => {
  let c: Echo;
  beforeAll(async () => (c = client(await serve())));
  afterAll(() => c.close());

  test('a unary call gets its answer', async () => {
    expect(await say(c, 'hello')).toBe('said hello');
  });

  test('an empty request message (a message with no fields set) is a message too', async () => {
    expect(await say(c, '')).toBe('said ');
  });

  test('an error answers its status code and message, non-ASCII included', async () => {
    await expect(say(c, 'fail')).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND, details: 'no such thing: «fail» 100%' });
  });

  test('an unknown method answers UNIMPLEMENTED, naming it', async () => {
    const missing = new Promise((resolve) => c.Missing('x', (err: ServiceError) => resolve(err)));
    expect(await missing).toMatchObject({ code: GrpcStatus.UNIMPLEMENTED, details: 'unknown method /test.Echo/Missing' });
  });

  test('a server stream delivers every message, then ends OK', async () => {
    expect(await collect<string>(c.Count('3') as ClientReadableStream<string>)).toEqual(['1', '2', '3']);
  });

  test('a bidi stream gets its messages and ends when the client does', async () => {
    const chat = c.Chat() as ClientDuplexStream<string, string>;
    const answers = collect<string>(chat);
    chat.write('a');
    chat.write('b');
    chat.end();
    expect(await answers).toEqual(['echo a', 'echo b']);
  });

  test('a call the client cancels is reported to its handler as cancelled', async () => {
    const call = c.Say('hang', () => undefined);
    await new Promise((r) => setTimeout(r, 100));
    call.cancel();
    for (let i = 0; i < 50 && cancelled.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(cancelled).toEqual(['Say']);
  });

  test('a thousand concurrent calls are each answered with their own result', async () => {
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => say(c, String(i))));
    expect(answers).toEqual(Array.from({ length: 1000 }, (_, i) => `said ${i}`));
  });

  test('a 20 MiB message goes through both ways', async () => {
    const big = 'x'.repeat(20 * 1024 * 1024);
    expect((await say(c, big)).length).toBe(big.length + 5);
  });
});

describe('mutual TLS (go-plugin AutoMTLS)', () => {
  const server = createSelfSignedCertificate({ commonName: 'plugin', dnsNames: ['localhost'] });
  const terraform = createSelfSignedCertificate({ commonName: 'terraform', dnsNames: ['localhost'] });
  let socket: string;
  beforeAll(async () => (socket = await serve({ server, client: terraform })));

  test('the announced client certificate is served', async () => {
    const c = client(socket, { server, as: terraform });
    expect(await say(c, 'over tls')).toBe('said over tls');
    c.close();
  });

  test('any other client certificate is refused', async () => {
    const c = client(socket, { server, as: createSelfSignedCertificate({ commonName: 'stranger', dnsNames: ['localhost'] }) });
    await expect(say(c, 'hi')).rejects.toMatchObject({ code: 14 });
    c.close();
  });
});
