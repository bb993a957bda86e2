// Cold start of the installed provider as terraform starts it: exec -> handshake line, against `node -e 0`,
// plus what follows the handshake in every process: the first GetProviderSchema and Shutdown -> exit.

import { credentials, makeGenericClientConstructor, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createSelfSignedCertificate } from '../provider-shim/src/plugin/certificate';
import { HOST_SWITCH } from '../provider-shim/src/install';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../provider-shim/src/plugin/handshake';
import { loadProtos } from '../provider-shim/src/plugin/load-protos';
import { stopHostsUnder } from '../provider-shim/src/plugin/host';
import { benchDir, installForTerraform } from './provider-lab';
import { interleaved, median, since } from './provider-stats';

export interface ColdStartResult {
  runs: number;
  /** Medians in ms. */
  handshake: number;
  nodeBaseline: number;
  /** Handshake line -> first GetProviderSchema answered (TLS connect + lazy provider load + schema). */
  firstSchema: number;
  /** Shutdown sent -> process exited (the client closes its connection on the answer, as terraform does). */
  shutdownExit: number;
  ratio: number;
  /** The same three medians for starts the provider host serves (after one that starts the host). */
  host: { handshake: number; firstSchema: number; shutdownExit: number };
}

const protos = loadProtos();
const terraformCert = createSelfSignedCertificate({ commonName: 'terraform', dnsNames: ['localhost'] });

/** The environment terraform gives a provider it starts; the provider host off (a cold start is a node process of its own) unless `host`. */
export function pluginEnv(host?: { runtimeDir: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '25000', PLUGIN_CLIENT_CERT: terraformCert.certPem, [HOST_SWITCH]: 'off' };
  for (const key of ['TF_LOG', 'TF_LOG_PROVIDER', 'MAESTRO_PROVIDER_DEBUG']) delete env[key];
  if (host) {
    delete env[HOST_SWITCH];
    env.XDG_RUNTIME_DIR = host.runtimeDir;
  }
  return env;
}

type Unary = (req: object, cb: (err: ServiceError | null, res: unknown) => void) => void;

/** A client of `service`; pass `shareWith` to use its connection, as terraform uses one for every service. */
function client(service: 'provider' | 'controller' | 'stdio', socket: string, serverCertPem: string, shareWith?: Client): Client & Record<string, Unary> {
  const Ctor = makeGenericClientConstructor(protos[service], service);
  const creds = credentials.createSsl(Buffer.from(serverCertPem), Buffer.from(terraformCert.keyPem), Buffer.from(terraformCert.certPem));
  const options = { 'grpc.ssl_target_name_override': 'localhost', ...(shareWith ? { channelOverride: shareWith.getChannel() } : {}) };
  return new Ctor(`unix:${socket}`, creds, options) as Client & Record<string, Unary>;
}

const call = (c: Client & Record<string, Unary>, rpc: string): Promise<unknown> => new Promise((resolve, reject) => c[rpc]({}, (err, res) => (err ? reject(err) : resolve(res))));

interface ProviderSample {
  handshake: number;
  firstSchema: number;
  shutdownExit: number;
}

/** One provider life as terraform drives it: start, GetProviderSchema, Shutdown. */
export async function providerSample(executable: string, env: NodeJS.ProcessEnv): Promise<ProviderSample> {
  const started = performance.now();
  const child = spawn(executable, [], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  while (!stdout.includes('\n')) {
    const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit')])) as [Buffer | number];
    if (!Buffer.isBuffer(chunk)) throw new Error(`the provider exited (${chunk}) before its handshake`);
    stdout += chunk.toString();
  }
  const handshake = since(started);
  const [, , , socket, , cert] = stdout.trim().split('|');
  const serverCertPem = new X509Certificate(Buffer.from(cert, 'base64')).toString();
  const provider = client('provider', socket, serverCertPem);
  const controller = client('controller', socket, serverCertPem, provider);
  // As go-plugin does: hold the stdio stream open, and close the connection once Shutdown is answered.
  const stdio = client('stdio', socket, serverCertPem, provider) as unknown as Record<string, (req: object) => ClientReadableStream<unknown>>;
  const stdioStream = stdio.StreamStdio({}).on('error', () => undefined).resume();
  const schemaAsked = performance.now();
  await call(provider, 'GetProviderSchema');
  const firstSchema = since(schemaAsked);
  const exited = once(child, 'exit');
  const shutdownSent = performance.now();
  await call(controller, 'Shutdown');
  stdioStream.cancel(); // grpc-js' close() leaves open calls running; Go's conn.Close() cancels them
  provider.close();
  await exited;
  const shutdownExit = since(shutdownSent);
  return { handshake, firstSchema, shutdownExit };
}

async function nodeBaselineSample(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return since(started);
}

/** Installs the compiled provider and times `runs` starts of it interleaved with `runs` of `node -e 0`. */
export async function benchColdStart(runs: number): Promise<ColdStartResult> {
  const dir = benchDir('cold-start');
  const { executable } = installForTerraform(dir);
  const env = pluginEnv();
  const samples: ProviderSample[] = [];
  const timed = await interleaved(
    runs,
    async () => {
      const s = await providerSample(executable, env);
      samples.push(s);
      return s.handshake;
    },
    nodeBaselineSample,
  ).finally(() => rmSync(dir, { recursive: true, force: true }));
  const kept = samples.slice(1); // the warm-up
  const handshake = median(timed.subject);
  const nodeBaseline = median(timed.baseline);
  return {
    runs,
    handshake,
    nodeBaseline,
    firstSchema: median(kept.map((s) => s.firstSchema)),
    shutdownExit: median(kept.map((s) => s.shutdownExit)),
    ratio: handshake / nodeBaseline,
    host: await hostStarts(runs),
  };
}

/** `runs` starts served by the provider host, in a runtime directory of their own, after one that starts the host. */
async function hostStarts(runs: number): Promise<ColdStartResult['host']> {
  const dir = benchDir('host-start');
  const runtimeDir = `${dir}/run`;
  try {
    const { executable } = installForTerraform(dir);
    const env = pluginEnv({ runtimeDir });
    await providerSample(executable, env);
    const samples: ProviderSample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await providerSample(executable, env));
    return {
      handshake: median(samples.map((s) => s.handshake)),
      firstSchema: median(samples.map((s) => s.firstSchema)),
      shutdownExit: median(samples.map((s) => s.shutdownExit)),
    };
  } finally {
    await stopHostsUnder(runtimeDir);
    rmSync(dir, { recursive: true, force: true });
  }
}
