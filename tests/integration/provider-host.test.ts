// The provider host (provider-shim/src/plugin/host.ts) through the installed launcher, as terraform
// runs it: sessions from one warm process, each with its launcher's environment and working
// directory, logs on the launcher's stderr, and every way the launcher falls back to a plain start.

import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { encode } from '@msgpack/msgpack';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installProvider } from '../../provider-shim/src/install';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { MAGIC_COOKIE_VALUE } from '../../provider-shim/src/plugin/handshake';
import { processStartTime } from '../../provider-shim/src/plugin/host';
import { loadProtos } from '../../provider-shim/src/plugin/load-protos';
import { cleanEnv, REPO } from '../unit/plugin-child-process';

jest.setTimeout(60_000);

const protos = loadProtos();
const terraformCert = createSelfSignedCertificate({ commonName: 'terraform', dnsNames: ['localhost'] });

let root: string;
let executable: string;
/** XDG_RUNTIME_DIR of one test: each test has its own host directory, so its own host. */
let runtimeDir: string;
let hostDir: string;
const launched: ChildProcess[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'maestro-host-test-'));
  ({ executable } = installProvider({ pluginDir: join(root, 'plugins'), distDir: join(REPO, 'dist'), repoDir: REPO }));
});

beforeEach(() => {
  runtimeDir = mkdtempSync(join(root, 'run-'));
  const hostName = /host-[0-9a-f]+/.exec(readFileSync(executable, 'utf8'))![0];
  hostDir = join(runtimeDir, 'maestro', hostName);
});

afterEach(() => {
  for (const child of launched.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const host = hostPid();
  if (host !== null) killQuietly(host);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

function hostPid(): number | null {
  try {
    return Number(readFileSync(join(hostDir, 'pid'), 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/** What the launcher became: cat when the host serves it, node when it runs directly (waits out the shell's last steps). */
async function becomes(l: Launch): Promise<string> {
  for (;;) {
    const command = readFileSync(`/proc/${l.child.pid}/comm`, 'utf8').trim();
    if (!command.startsWith('terraform-prov')) return command;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const commandOf = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

interface Launch {
  child: ChildProcess;
  socket: string;
  serverCertPem: string;
  /** Milliseconds from spawn to the handshake line. */
  ms: number;
  stderr: () => string;
}

/** Runs the launcher with terraform's plugin environment plus `extra`; resolves at the handshake line. */
async function launch(extra: Record<string, string> = {}, opts: { cwd?: string; drop?: string[] } = {}): Promise<Launch> {
  const env = cleanEnv({
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '6',
    PLUGIN_CLIENT_CERT: terraformCert.certPem,
    XDG_RUNTIME_DIR: runtimeDir,
    ...extra,
  });
  for (const key of ['MAESTRO_ENDPOINT', 'MAESTRO_TOKEN', 'MAESTRO_TOKEN_FILE', 'MAESTRO_CA_CERT_FILE', 'MAESTRO_PROVIDER_HOST', ...(opts.drop ?? [])]) {
    if (!(key in extra)) delete env[key];
  }
  const started = Date.now();
  const child = spawn(executable, [], { env, cwd: opts.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'] });
  launched.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  while (!stdout.includes('\n')) {
    if (child.exitCode !== null) throw new Error(`launcher exited ${child.exitCode}: ${stderr}`);
    await Promise.race([once(child.stdout!, 'data'), once(child, 'exit')]);
  }
  const ms = Date.now() - started;
  const [core, app, network, socket, protocol, cert] = stdout.trim().split('|');
  expect([core, app, network, protocol]).toEqual(['1', '6', 'unix', 'grpc']);
  return { child, socket, serverCertPem: new X509Certificate(Buffer.from(cert, 'base64')).toString(), ms, stderr: () => stderr };
}

type Unary = (req: object, cb: (err: ServiceError | null, res: any) => void) => void;

function call(l: Launch, service: 'provider' | 'controller', rpc: string, req: object): Promise<any> {
  const Ctor = makeGenericClientConstructor(protos[service], service);
  const creds = credentials.createSsl(Buffer.from(l.serverCertPem), Buffer.from(terraformCert.keyPem), Buffer.from(terraformCert.certPem));
  const c = new Ctor(`unix:${l.socket}`, creds, { 'grpc.ssl_target_name_override': 'localhost' }) as Client & Record<string, Unary>;
  return new Promise((resolve, reject) =>
    c[rpc](req, (err, res) => {
      c.close();
      if (err) reject(err);
      else resolve(res);
    }),
  );
}

/** ConfigureProvider with an empty provider block: the settings come from the session's environment. */
async function configureSummaries(l: Launch): Promise<string[]> {
  const config = { msgpack: Buffer.from(encode({ endpoint: null, token: null, ca_cert_file: null })) };
  const res = await call(l, 'provider', 'ConfigureProvider', { terraform_version: '1.11.4', config });
  return (res.diagnostics as { summary: string }[]).map((d) => d.summary);
}

async function shutdown(l: Launch): Promise<number | null> {
  await call(l, 'controller', 'Shutdown', {});
  if (l.child.exitCode === null) await once(l.child, 'exit');
  return l.child.exitCode;
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('provider host', () => {
  test('serves one launch after another from one process; each launcher is a shell that became cat, and exits 0 at Shutdown', async () => {
    const first = await launch();
    const host = hostPid();
    expect(host).not.toBeNull();
    expect(commandOf(host!)).toBe('node');
    expect(await becomes(first)).toBe('cat');
    const schema = await call(first, 'provider', 'GetProviderSchema', {});
    expect(Object.keys(schema.resource_schemas)).toEqual(expect.arrayContaining(['maestro_switch_port', 'maestro_tenancy', 'maestro_server_instance']));
    expect(await shutdown(first)).toBe(0);
    expect(existsSync(first.socket)).toBe(false);

    const second = await launch();
    expect(hostPid()).toBe(host);
    expect(await becomes(second)).toBe('cat');
    expect(second.socket).not.toBe(first.socket);
    await call(second, 'provider', 'GetProviderSchema', {});
    expect(await shutdown(second)).toBe(0);
    // Requests and claims are cleaned up: the directory holds the pid file only.
    await until('the host directory is clean', () => readdirSync(hostDir).join() === 'pid');
  });

  test("each session configures from its own launcher's environment and working directory", async () => {
    const work = mkdtempSync(join(root, 'work-'));
    writeFileSync(join(work, 'token'), 'secret\n');
    // The host starts with an endpoint in its environment...
    const a = await launch({ MAESTRO_ENDPOINT: '127.0.0.1:1' });
    const summaries = await configureSummaries(a);
    expect(summaries).toContain('Missing engine token');
    expect(summaries).not.toContain('Missing engine endpoint');
    await shutdown(a);
    // ...the next session has none, and a token file relative to its own working directory.
    const b = await launch({ MAESTRO_TOKEN_FILE: 'token' }, { cwd: work });
    expect(await becomes(b)).toBe('cat');
    const next = await configureSummaries(b);
    expect(next).toContain('Missing engine endpoint');
    expect(next).not.toContain('Missing engine token');
    expect(next).not.toContain('Cannot read token');
    await shutdown(b);
  });

  test("a session's provider logs reach its launcher's stderr as hclog JSON, at its TF_LOG level", async () => {
    const quiet = await launch();
    expect(await becomes(quiet)).toBe('cat');
    await call(quiet, 'provider', 'GetProviderSchema', {});
    await shutdown(quiet);
    expect(quiet.stderr()).toBe('');
    const loud = await launch({ TF_LOG: 'debug' });
    expect(await becomes(loud)).toBe('cat');
    await call(loud, 'provider', 'GetProviderSchema', {});
    await shutdown(loud);
    const lines = loud.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l['@message'])).toEqual(expect.arrayContaining(['plugin server listening', 'plugin session ended']));
    expect(lines.every((l) => l['@module'] === 'maestro' && typeof l['@timestamp'] === 'string')).toBe(true);
  });

  test('a launch while another session is active runs as a node process of its own', async () => {
    const first = await launch();
    const second = await launch();
    expect(await becomes(first)).toBe('cat');
    expect(await becomes(second)).toBe('node');
    await Promise.all([call(first, 'provider', 'GetProviderSchema', {}), call(second, 'provider', 'GetProviderSchema', {})]);
    expect(await shutdown(second)).toBe(0);
    expect(await shutdown(first)).toBe(0);
  });

  test("Ctrl-C (SIGINT to terraform's process group: the launcher and the host) ends nothing; StopProvider is terraform's word", async () => {
    const l = await launch();
    expect(await becomes(l)).toBe('cat');
    const host = hostPid()!;
    l.child.kill('SIGINT');
    process.kill(host, 'SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    expect(l.child.exitCode).toBeNull();
    expect(processStartTime(host)).not.toBeNull();
    expect(await call(l, 'provider', 'StopProvider', {})).toEqual(expect.objectContaining({ Error: '' }));
    await call(l, 'provider', 'GetProviderSchema', {});
    expect(await shutdown(l)).toBe(0);
  });

  test('a launcher killed without Shutdown ends its session: the next launch is served by the host', async () => {
    const first = await launch();
    const host = hostPid();
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    await until('the session socket is gone', () => !existsSync(first.socket), 5_000);
    const next = await launch();
    expect(hostPid()).toBe(host);
    expect(await becomes(next)).toBe('cat');
    await shutdown(next);
  });

  test('a pid file naming a live process that is not a host: the launcher claims its own request after 3 s and runs directly', async () => {
    const impostor = spawn('sleep', ['60']);
    launched.push(impostor);
    await launch().then(shutdown); // creates the directory (and a host we stop)
    killQuietly(hostPid()!);
    await until('the host is gone', () => processStartTime(hostPid()!) === null);
    writeFileSync(join(hostDir, 'pid'), `${impostor.pid} ${processStartTime(impostor.pid!)}\n`);
    const l = await launch();
    expect(l.ms).toBeGreaterThanOrEqual(3000);
    expect(await becomes(l)).toBe('node');
    await call(l, 'provider', 'GetProviderSchema', {});
    expect(await shutdown(l)).toBe(0);
    expect(readdirSync(hostDir).filter((n) => n.startsWith('s.'))).toEqual([]);
  });

  test('a stale pid file (a reused pid with another start time) does not stop a new host from starting', async () => {
    await launch().then(shutdown);
    const old = hostPid()!;
    killQuietly(old);
    await until('the host is gone', () => processStartTime(old) === null);
    // Our own pid, alive, but not with the start time the file records.
    writeFileSync(join(hostDir, 'pid'), `${process.pid} 1\n`);
    const l = await launch();
    expect(l.ms).toBeLessThan(3000);
    expect(await becomes(l)).toBe('cat');
    expect([process.pid, old]).not.toContain(hostPid());
    await shutdown(l);
  });

  test('an idle host exits and removes its pid file; the next launch starts a new one', async () => {
    const l = await launch({ MAESTRO_PROVIDER_HOST_IDLE_SECONDS: '1' });
    const host = hostPid()!;
    await shutdown(l);
    await until('the idle host exits', () => processStartTime(host) === null, 5_000);
    expect(existsSync(join(hostDir, 'pid'))).toBe(false);
    const next = await launch({ MAESTRO_PROVIDER_HOST_IDLE_SECONDS: '1' });
    expect(hostPid()).not.toBe(host);
    await shutdown(next);
  });

  test('a host older than its maximum age exits when its session ends; the next launch starts a new one', async () => {
    const l = await launch({ MAESTRO_PROVIDER_HOST_MAX_AGE_SECONDS: '1' });
    const host = hostPid()!;
    await new Promise((r) => setTimeout(r, 1200));
    expect(processStartTime(host)).not.toBeNull(); // busy: a session is never cut short
    await call(l, 'provider', 'GetProviderSchema', {});
    await shutdown(l);
    await until('the old host exits', () => processStartTime(host) === null, 5_000);
    const next = await launch();
    expect(await becomes(next)).toBe('cat');
    expect(hostPid()).not.toBe(host);
    await shutdown(next);
  });

  test('a launch with other NODE_OPTIONS, or whose PATH finds another node, runs directly (as it would have without a host)', async () => {
    const first = await launch();
    expect(await becomes(first)).toBe('cat');
    await shutdown(first);
    const options = await launch({ NODE_OPTIONS: '--max-old-space-size=512' });
    expect(await becomes(options)).toBe('node');
    expect(readFileSync(`/proc/${options.child.pid}/environ`, 'utf8')).toContain('NODE_OPTIONS=--max-old-space-size=512');
    await shutdown(options);
    // A node of its own on PATH: a script that runs this node, and says so.
    const bin = mkdtempSync(join(root, 'bin-'));
    const marker = join(bin, 'ran');
    writeFileSync(join(bin, 'node'), `#!/bin/sh\ntouch '${marker}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const other = await launch({ PATH: `${bin}:${process.env.PATH}` });
    await call(other, 'provider', 'GetProviderSchema', {});
    expect(existsSync(marker)).toBe(true);
    await shutdown(other);
    const again = await launch();
    expect(await becomes(again)).toBe('cat');
    await shutdown(again);
  });

  test('MAESTRO_PROVIDER_HOST=off, no directory for a host, or a launch that is not terraform’s: the host is never asked', async () => {
    const off = await launch({ MAESTRO_PROVIDER_HOST: 'off' });
    expect(await becomes(off)).toBe('node');
    expect(existsSync(hostDir)).toBe(false);
    await shutdown(off);
    // No directory to keep a host in: neither XDG_RUNTIME_DIR, XDG_CACHE_HOME nor HOME.
    const nowhere = await launch({ XDG_RUNTIME_DIR: '', MAESTRO_PROVIDER_CODE_CACHE: 'off' }, { drop: ['HOME', 'XDG_CACHE_HOME'] });
    expect(await becomes(nowhere)).toBe('node');
    await shutdown(nowhere);
    expect(existsSync('/.cache/maestro')).toBe(false);
    const env = cleanEnv({ XDG_RUNTIME_DIR: runtimeDir });
    const child = spawn(executable, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toMatch(/terraform/i);
    expect(existsSync(hostDir)).toBe(false);
  });
});
