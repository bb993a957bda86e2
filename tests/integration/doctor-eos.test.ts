// `maestro doctor` against the EOS simulator and a temp engine: a clean lab has no findings; each planted orphan is
// reported alone, by the RPC and by the CLI (one line per finding, exit code 1, --json).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { main } from '../../engine/src/cli/main';
import type { PortConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

const QUARANTINE = 999;
const instancePort: PortConfig = { mode: 'access', accessVlan: 100, allowedVlans: null, nativeVlan: null, mtu: 1500, description: 'inst-1 eth0', adminState: 'up' };

let dir: string;
let engineDir: string;
let sim: SwitchSimulator;
let daemon: Daemon;
let client: EngineClient;
let db: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-doctor-'));
  engineDir = join(dir, 'engine');
  sim = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4'], username: 'admin', password: 'sim-pass', quarantineVlan: QUARANTINE });
  writeFileSync(join(dir, 'inventory.yaml'), `
credentials:
  leaf-admin: { username: admin, password: sim-pass }
  bmc-admin: { username: root, password: bmc-pass }
sites: [{ id: dc1, racks: [r1] }]
profiles:
  small: { cpu_cores: 4, memory_gib: 16, nics: 1 }
segments:
  quarantine: { vlan: ${QUARANTINE} }
  pools: [{ name: tenants, vlan_range: [100, 199], vni_range: [10100, 10199], supernet: 10.64.0.0/16, tenancy_prefix: 24 }]
switches:
  - { id: leaf1, dialect: eos, endpoint: "127.0.0.1:${sim.port}", credentials: leaf-admin, host_key: "${sim.hostKeyFingerprint}", rack: r1, role: leaf, ports: [Ethernet1-4] }
servers:
  - { id: s1, serial: SN1, profile: small, rack: r1, bmc: { driver: redfish, endpoint: "https://127.0.0.1:1", credentials: bmc-admin }, nics: [{ name: eth0, mac: "52:54:00:00:00:01", switch: leaf1, port: Ethernet1 }] }
  - { id: s2, serial: SN2, profile: small, rack: r1, bmc: { driver: redfish, endpoint: "https://127.0.0.1:2", credentials: bmc-admin }, nics: [{ name: eth0, mac: "52:54:00:00:00:02", switch: leaf1, port: Ethernet2 }] }
`);
  daemon = await startDaemon({
    dataDir: engineDir, listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }),
  });
  client = EngineClient.fromDataDir(engineDir);
  db = new Database(daemon.dataDir.database);
});

afterAll(async () => {
  db?.close();
  client?.close();
  await daemon?.stop();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `maestro doctor` in-process; resolves with its exit code and output. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['doctor', '--data-dir', engineDir, ...args], {
    stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {},
  });
  return { code, stdout, stderr };
}

test('a freshly imported lab has no findings, and the CLI exits 0', async () => {
  const report = await client.runDoctor();
  expect(report.findings).toEqual([]);
  expect(report.checked).toEqual({ switches: 1, ports: 4, servers: 2, tenancies: 0, ips: 0 });
  expect(await cli()).toMatchObject({ code: 0, stdout: '' });
});

test('a tenancy with its instance (server, IP, switch port) in place has no findings', async () => {
  const net = await client.allocateTenancyNetwork({ tenancyId: 't1' });
  expect(net).toMatchObject({ vlan: 100, vni: 10100, cidr: '10.64.0.0/24', gateway: '10.64.0.1' });
  expect(await client.allocateServer({ profile: 'small', owner: 'inst-1', tenancyId: 't1', serverId: 's1' })).toMatchObject({ state: 'allocated' });
  expect((await client.allocateIp({ tenancyId: 't1', owner: 'inst-1' })).address).toBe('10.64.0.2');
  await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet1', config: instancePort, owner: 'inst-1' });
  expect(sim.state.vlans()).toContain(100);
  expect((await client.runDoctor()).findings).toEqual([]);
});

const plants: [string, () => Promise<unknown>, () => Promise<unknown>, { kind: string; object: string }][] = [
  ['a VLAN on the switch that no tenancy holds',
    () => sim.runCommands(['enable', 'configure', 'vlan 300', 'end']),
    () => sim.runCommands(['enable', 'configure', 'no vlan 300', 'end']),
    { kind: 'orphan_vlan', object: 'leaf1 VLAN 300' }],
  ['an unowned port put in the tenancy\'s VLAN by hand',
    () => sim.runCommands(['enable', 'configure', 'interface Ethernet3', 'switchport access vlan 100', 'end']),
    () => sim.runCommands(['enable', 'configure', 'interface Ethernet3', `switchport access vlan ${QUARANTINE}`, 'end']),
    { kind: 'orphan_port', object: 'leaf1/Ethernet3' }],
  ['an IP whose owner holds no server',
    () => client.allocateIp({ tenancyId: 't1', owner: 'inst-gone' }),
    () => client.releaseIp({ tenancyId: 't1', owner: 'inst-gone' }),
    { kind: 'orphan_ip', object: 'tenancy t1 10.64.0.3' }],
  ['a server allocated for a tenancy that has no network',
    () => client.allocateServer({ profile: 'small', owner: 'inst-2', tenancyId: 't9' }),
    () => client.releaseServer({ serverId: 's2', cleaned: true }),
    { kind: 'orphan_server', object: 'server s2' }],
  ['a server available although never cleaned after use',
    async () => db.prepare("UPDATE servers SET needs_cleaning = 1 WHERE id = 's2'").run(),
    async () => db.prepare("UPDATE servers SET needs_cleaning = 0 WHERE id = 's2'").run(),
    { kind: 'uncleaned_server', object: 'server s2' }],
];

test.each(plants)('%s is the one finding; repaired, the lab is clean again', async (_name, plant, repair, expected) => {
  await plant();
  const { findings } = await client.runDoctor();
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject(expected);
  const run = await cli();
  expect(run.code).toBe(1);
  expect(run.stdout).toBe(`${findings[0].kind}\t${findings[0].object}\t${findings[0].why}\n`);
  expect(JSON.parse((await cli('--json')).stdout).findings).toEqual(findings);
  await repair();
  expect((await client.runDoctor()).findings).toEqual([]);
});

test('a switch that cannot be reached is a finding, not a silent pass', async () => {
  sim.setFaults({ disconnectAfterCommands: 0 });
  try {
    const { findings } = await client.runDoctor();
    expect(findings.map((f) => f.kind)).toEqual(['switch_unreachable']);
  } finally {
    sim.setFaults({});
  }
});
