// The daemon and the `maestro` CLI in-process: data dir bootstrap, engine.json, inventory import, client subcommands.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../engine/src/api/auth';
import { EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { main } from '../../engine/src/cli/main';
import { openSqliteStore } from '../../engine/src/store/sqlite';
import { FakeSwitch } from '../unit/engine-fake-switch';
import { INVENTORY, QUARANTINE, testDialects } from '../unit/engine-fixture';

let dir: string;
let inventoryFile: string;
const leaf = () => new FakeSwitch('leaf1', ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4', 'Ethernet49/1'], QUARANTINE);
let fake: FakeSwitch;
let logs: string[];

const start = () => startDaemon({
  dataDir: dir, listen: '127.0.0.1:0', inventoryFile, connect: (e) => fake.connect(e), dialects: testDialects,
  logger: jsonLogger({ write: (l: string) => logs.push(l) }),
});

/** Runs the CLI in-process, capturing its output. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-engine-'));
  inventoryFile = join(dir, 'inventory.yaml');
  writeFileSync(inventoryFile, INVENTORY.replace('dialect: tiny', 'dialect: eos'));
  fake = leaf();
  logs = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('startDaemon', () => {
  let daemon: Daemon | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
  });

  test('creates master.key, admin.token (0600) and TLS files, stores only the token hash, and writes engine.json', async () => {
    const running = (daemon = await start());
    const mode = (f: string) => statSync(join(dir, f)).mode & 0o777;
    expect(readFileSync(join(dir, 'master.key'))).toHaveLength(32);
    expect([mode('master.key'), mode('admin.token'), mode('tls/key.pem')]).toEqual([0o600, 0o600, 0o600]);
    const token = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
    const info = JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8'));
    expect(info).toEqual({ endpoint: running.endpoint, pid: process.pid, ca_cert_file: join(dir, 'tls', 'ca.pem'), token_file: join(dir, 'admin.token') });
    expect(running.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(JSON.parse(logs.find((l) => l.includes('engine listening'))!)).toMatchObject({ level: 'info', endpoint: running.endpoint });

    const db = openSqliteStore(join(dir, 'maestro.db'));
    const rows = db.db.prepare('SELECT name, sha256 FROM api_tokens').all();
    await db.close();
    expect(rows).toEqual([{ name: 'admin', sha256: sha256Hex(token) }]);
    expect(readFileSync(join(dir, 'maestro.db')).includes(Buffer.from(token))).toBe(false);
  });

  test('a client built from the data dir reaches it; stop removes engine.json', async () => {
    const running = await start();
    const client = EngineClient.fromDataDir(dir);
    expect((await client.listSwitches()).map((s) => s.id)).toEqual(['leaf1', 'leaf2']);
    client.close();
    await running.stop();
    expect(existsSync(join(dir, 'engine.json'))).toBe(false);
  });

  test('a restart keeps the key, token and certificate', async () => {
    await (await start()).stop();
    const files = ['master.key', 'admin.token', 'tls/ca.pem', 'tls/key.pem'].map((f) => readFileSync(join(dir, f)));
    daemon = await start();
    expect(['master.key', 'admin.token', 'tls/ca.pem', 'tls/key.pem'].map((f) => readFileSync(join(dir, f)))).toEqual(files);
    const client = EngineClient.fromDataDir(dir);
    await expect(client.listJobs()).resolves.toEqual([]);
    client.close();
  });

  test('a data dir another live process serves is refused; a stale engine.json is not', async () => {
    const info = (pid: number) => JSON.stringify({ endpoint: '127.0.0.1:1', pid, ca_cert_file: 'x', token_file: 'y' });
    writeFileSync(join(dir, 'engine.json'), info(process.ppid));
    await expect(start()).rejects.toThrow(`another engine (pid ${process.ppid}) is serving ${dir}`);
    writeFileSync(join(dir, 'engine.json'), info(2 ** 22 + 1));
    daemon = await start();
    expect(JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8')).pid).toBe(process.pid);
  });

  test('a bad inventory stops the start with every problem and leaves no engine.json', async () => {
    writeFileSync(inventoryFile, INVENTORY.replace('credentials: leaf-admin\n    host_key', 'credentials: nobody\n    host_key'));
    await expect(start()).rejects.toThrow('switches[0].credentials: credentials "nobody" are not defined');
    expect(existsSync(join(dir, 'engine.json'))).toBe(false);
  });
});

describe('maestro CLI', () => {
  test('--help lists every command; no arguments prints usage on stderr with exit 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const c of ['engine serve', 'inventory import', 'switches list', 'ports get', 'jobs list', 'jobs get']) expect(help.stdout).toContain(`maestro ${c}`);
    const none = await cli();
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toContain('usage:');
  });

  test.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['switches', 'delete'], 'unknown command "switches delete"'],
    [['ports', 'get', 'leaf1'], 'expected <switch> <port>, got leaf1'],
    [['jobs', 'list', '--bogus'], "Unknown option '--bogus'"],
    [['engine', 'serve'], '--data-dir is required'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const res = await cli(...argv);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
  });

  test('inventory import lists every problem, imports nothing and exits 1', async () => {
    writeFileSync(inventoryFile, INVENTORY.replace('dialect: tiny', 'dialect: junos').replace('[Ethernet1-2]', '[Ethernet1-2, Ethernet1]'));
    const res = await cli('inventory', 'import', inventoryFile, '--data-dir', dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('switches[1].dialect: unknown dialect "junos"');
    expect(res.stderr).toContain('switches[1].ports[1]: duplicate port "Ethernet1"');
    expect(res.stderr).toContain('nothing was imported');
    const store = openSqliteStore(join(dir, 'maestro.db'));
    expect(await store.listSwitches()).toEqual([]);
    await store.close();
  });

  test('inventory import works offline, and client commands then read through the API', async () => {
    writeFileSync(inventoryFile, INVENTORY.replace(/  - id: leaf2[\s\S]*$/, ''));
    const imported = await cli('inventory', 'import', inventoryFile, '--data-dir', dir);
    expect(imported).toEqual({ code: 0, stdout: 'imported 1 switch(es), 5 port(s), 1 credential(s), 2 segment(s)\n', stderr: '' });
    inventoryFile = '';
    const daemon = await startDaemon({ dataDir: dir, listen: '127.0.0.1:0', connect: fake.connect, dialects: testDialects, logger: jsonLogger({ write: () => 0 }) });
    try {
      const list = await cli('switches', 'list', '--data-dir', dir);
      expect(list.stdout).toBe('ID     DIALECT  ENDPOINT        PORTS  OWNED\nleaf1  eos      127.0.0.1:2201  5      0\n');
      const port = await cli('ports', 'get', 'leaf1', 'Ethernet49/1', '--json', '--data-dir', dir);
      expect(JSON.parse(port.stdout)).toMatchObject({ switchId: 'leaf1', port: 'Ethernet49/1', owner: '', config: { accessVlan: QUARANTINE } });
      const row = await cli('ports', 'get', 'leaf1', 'Ethernet49/1', '--data-dir', dir);
      expect(row.stdout.split('\n')[1].split(/\s+/)).toEqual(['leaf1', 'Ethernet49/1', 'access', String(QUARANTINE), '1500', 'up', '-']);
      const missing = await cli('ports', 'get', 'leaf1', 'Ethernet9', '--data-dir', dir);
      expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('switch "leaf1" has no port "Ethernet9"') });
      expect(JSON.parse((await cli('jobs', 'list', '--json', '--data-dir', dir)).stdout)).toEqual([]);
    } finally {
      await daemon.stop();
    }
  });

  test('client commands without a running engine say how to start one', async () => {
    const res = await cli('jobs', 'list', '--data-dir', dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`start one with \`maestro engine serve --data-dir ${dir}\``);
  });
});
