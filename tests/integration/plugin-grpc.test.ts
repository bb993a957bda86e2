// The plugin process over its real transport: go-plugin's AutoMTLS on a unix socket, the side
// services, message size limits, and the process lifecycle (Shutdown, stdio cancel, SIGINT, debug mode).

import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { encode } from '@msgpack/msgpack';
import type { ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { MAGIC_COOKIE_VALUE } from '../../provider-shim/src/plugin/handshake';
import { loadProtos } from '../../provider-shim/src/plugin/load-protos';
import { cleanEnv, REPO, spawnTs } from '../unit/plugin-child-process';

const protos = loadProtos();
const terraformCert = createSelfSignedCertificate({ commonName: 'terraform', dnsNames: ['localhost'] });

/** The plugin server with the test double, as main.ts would start it. */
const SCRIPT = `
const { serve } = require(${JSON.stringify(join(REPO, 'provider-shim/src/plugin/serve.ts'))});
const { createProviderService } = require(${JSON.stringify(join(REPO, 'provider-shim/src/tfplugin6/server.ts'))});
const { createProvider } = require(${JSON.stringify(join(REPO, 'tests/integration/plugin-provider-double.ts'))});
serve({ provider: createProviderService(createProvider()), providerAddress: 'registry.terraform.io/maestro/maestro', debug: process.env.MAESTRO_PROVIDER_DEBUG === '1' });
`;

interface Plugin {
  child: ChildProcess;
  socket: string;
  stdout: () => string;
  stderr: () => string;
  serverCertPem?: string;
}

async function start(mode: 'tls' | 'debug'): Promise<Plugin> {
  const env = mode === 'tls'
    ? cleanEnv({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: terraformCert.certPem })
    : cleanEnv({ MAESTRO_PROVIDER_DEBUG: '1' });
  const child = spawnTs(['-e', SCRIPT], env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const ready = mode === 'tls' ? /\n/ : /Ctrl-C/;
  while (!ready.test(stdout)) {
    if (child.exitCode !== null) throw new Error(`plugin exited: ${stderr}`);
    await once(child.stdout!, 'data');
  }
  if (mode === 'debug') return { child, socket: /"String":"([^"]+)"/.exec(stdout)![1], stdout: () => stdout, stderr: () => stderr };
  const [, , , socket, , cert] = stdout.trim().split('|');
  const serverCertPem = new X509Certificate(Buffer.from(cert, 'base64')).toString();
  return { child, socket, stdout: () => stdout, stderr: () => stderr, serverCertPem };
}

type Unary = (req: object, cb: (err: ServiceError | null, res: any) => void) => void;

function client(plugin: Plugin, service: keyof typeof protos, clientCert = terraformCert): Client & Record<string, Unary> {
  const Ctor = makeGenericClientConstructor(protos[service], service);
  const creds = plugin.serverCertPem
    ? credentials.createSsl(Buffer.from(plugin.serverCertPem), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem))
    : credentials.createInsecure();
  return new Ctor(`unix:${plugin.socket}`, creds, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.max_send_message_length': -1 }) as Client & Record<string, Unary>;
}

function unary(c: Client & Record<string, Unary>, rpc: string, req: object): Promise<any> {
  return new Promise((resolve, reject) => c[rpc](req, (err, res) => (err ? reject(err) : resolve(res))));
}

async function exitWithin(child: ChildProcess, ms: number): Promise<number | null> {
  const started = Date.now();
  if (child.exitCode === null) await once(child, 'exit');
  expect(Date.now() - started).toBeLessThan(ms);
  return child.exitCode;
}

const config = (message: string) => ({ msgpack: Buffer.from(encode({ id: null, message })) });

describe('plugin server over AutoMTLS', () => {
  let plugin: Plugin;
  beforeAll(async () => {
    plugin = await start('tls');
  });
  afterAll(() => plugin.child.kill('SIGKILL'));

  test('health reports service "plugin" SERVING', async () => {
    expect(await unary(client(plugin, 'health'), 'Check', { service: 'plugin' })).toEqual({ status: 'SERVING' });
  });

  test('GetProviderSchema answers the double schema, types as JSON bytes', async () => {
    const res = await unary(client(plugin, 'provider'), 'GetProviderSchema', {});
    const attrs = res.resource_schemas.maestro_echo.block.attributes;
    expect(attrs.map((a: { name: string }) => a.name)).toEqual(['id', 'message']);
    expect(attrs[1].type.toString()).toBe('"string"');
    expect(attrs[1].required).toBe(true);
  });

  test('a provider that throws answers an error diagnostic, not a gRPC error', async () => {
    const res = await unary(client(plugin, 'provider'), 'ValidateResourceConfig', { type_name: 'maestro_echo', config: config('boom') });
    expect(res.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', summary: 'Provider error in ValidateResourceConfig' })]);
    expect(res.diagnostics[0].detail).toContain('for maestro_echo: the double was asked to fail');
  });

  test('accepts messages far above the 4 MiB grpc-js default', async () => {
    const res = await unary(client(plugin, 'provider'), 'ValidateResourceConfig', { type_name: 'maestro_echo', config: config('x'.repeat(20 * 1024 * 1024)) });
    expect(res.diagnostics).toEqual([]);
  });

  test('refuses a client that does not present the certificate terraform announced', async () => {
    const stranger = createSelfSignedCertificate({ commonName: 'stranger', dnsNames: ['localhost'] });
    await expect(unary(client(plugin, 'health', stranger), 'Check', { service: 'plugin' })).rejects.toMatchObject({ code: 14 });
  });

  test('ignores SIGINT (terraform sends StopProvider instead) and keeps serving', async () => {
    plugin.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    expect(plugin.child.exitCode).toBeNull();
    expect(await unary(client(plugin, 'provider'), 'StopProvider', {})).toEqual({ Error: '' });
  });

  test('exits promptly after answering Shutdown, removing its socket directory', async () => {
    await unary(client(plugin, 'controller'), 'Shutdown', {});
    expect(await exitWithin(plugin.child, 1000)).toBe(0);
    expect(existsSync(dirname(plugin.socket))).toBe(false);
    expect(plugin.stdout().split('\n').filter(Boolean)).toHaveLength(1);
  });
});

test('exits promptly when terraform cancels the stdio stream', async () => {
  const plugin = await start('tls');
  const stdio = client(plugin, 'stdio');
  const stream = (stdio as unknown as { StreamStdio(req: object): NodeJS.EventEmitter & { cancel(): void } }).StreamStdio({});
  stream.on('error', () => undefined); // the cancellation itself
  await new Promise((r) => setTimeout(r, 100));
  stream.cancel();
  expect(await exitWithin(plugin.child, 1000)).toBe(0);
  expect(existsSync(dirname(plugin.socket))).toBe(false);
});

test('debug mode prints TF_REATTACH_PROVIDERS, serves plaintext across Shutdowns, and stops on Ctrl-C', async () => {
  const plugin = await start('debug');
  const line = plugin.stdout().split('\n').find((l) => l.startsWith('TF_REATTACH_PROVIDERS='))!;
  const reattach = JSON.parse(line.replace(/^TF_REATTACH_PROVIDERS='|'$/g, ''));
  expect(reattach).toEqual({
    'registry.terraform.io/maestro/maestro': { Protocol: 'grpc', ProtocolVersion: 6, Pid: plugin.child.pid, Test: true, Addr: { Network: 'unix', String: plugin.socket } },
  });
  await unary(client(plugin, 'controller'), 'Shutdown', {});
  await new Promise((r) => setTimeout(r, 100));
  expect(await unary(client(plugin, 'health'), 'Check', { service: '' })).toEqual({ status: 'SERVING' });
  plugin.child.kill('SIGINT');
  expect(await exitWithin(plugin.child, 1000)).toBe(0);
  expect(existsSync(dirname(plugin.socket))).toBe(false);
});
