// PlanTenancyChanges against three EOS simulators (two leaves, a spine): the fabric operations for members on two
// leaves, leavers back to quarantine, refusals; planning reads the switches and configures nothing.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApiError, EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import type { DeviceOperation } from '../../engine/src/planner';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

const QUARANTINE = 999;
const LEAF_PORTS = ['Ethernet1', 'Ethernet2', 'Ethernet49'];
const SPINE_PORTS = ['Ethernet1', 'Ethernet2'];

let dir: string;
let sims: Record<'leaf1' | 'leaf2' | 'spine1', SwitchSimulator>;
let daemon: Daemon;
let client: EngineClient;

const start = (hostname: string, ports: string[]) =>
  startSwitchSimulator({ dialect: 'eos', hostname, ports, username: 'admin', password: 'sim-pass', quarantineVlan: QUARANTINE });
const switchLine = (id: string, sim: SwitchSimulator, role: string, rack: string, ports: string) =>
  `  - { id: ${id}, dialect: eos, endpoint: "127.0.0.1:${sim.port}", credentials: admin, host_key: "${sim.hostKeyFingerprint}", rack: ${rack}, role: ${role}, ports: [${ports}] }`;
const serverLine = (id: string, n: number, leaf: string, rack: string) =>
  `  - { id: ${id}, serial: SN${n}, profile: small, rack: ${rack}, bmc: { driver: redfish, endpoint: "https://127.0.0.1:${n}", credentials: bmc }, nics: [{ name: eth0, mac: "52:54:00:00:00:0${n}", switch: ${leaf}, port: Ethernet1 }] }`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-planner-'));
  sims = { leaf1: await start('leaf1', LEAF_PORTS), leaf2: await start('leaf2', LEAF_PORTS), spine1: await start('spine1', SPINE_PORTS) };
  writeFileSync(join(dir, 'inventory.yaml'), [
    'credentials:', '  admin: { username: admin, password: sim-pass }', '  bmc: { username: root, password: bmc-pass }',
    'sites: [{ id: dc1, racks: [r1, r2] }]',
    'profiles:', '  small: { cpu_cores: 4, memory_gib: 16, nics: 1 }',
    'segments:', `  quarantine: { vlan: ${QUARANTINE} }`,
    '  pools: [{ name: tenants, vlan_range: [100, 199], vni_range: [10100, 10199], supernet: 10.64.0.0/16, tenancy_prefix: 24 }]',
    'switches:',
    switchLine('leaf1', sims.leaf1, 'leaf', 'r1', 'Ethernet1-2, Ethernet49'),
    switchLine('leaf2', sims.leaf2, 'leaf', 'r2', 'Ethernet1-2, Ethernet49'),
    switchLine('spine1', sims.spine1, 'spine', 'r1', 'Ethernet1-2'),
    'fabric_links:',
    '  - { a: { switch: leaf1, port: Ethernet49 }, b: { switch: spine1, port: Ethernet1 } }',
    '  - { a: { switch: leaf2, port: Ethernet49 }, b: { switch: spine1, port: Ethernet2 } }',
    'servers:', serverLine('s1', 1, 'leaf1', 'r1'), serverLine('s2', 2, 'leaf2', 'r2'),
    '',
  ].join('\n'));
  const engineDir = join(dir, 'engine');
  daemon = await startDaemon({
    dataDir: engineDir, listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }),
  });
  client = EngineClient.fromDataDir(engineDir);
  await client.allocateTenancyNetwork({ tenancyId: 't1' });
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  await Promise.all(Object.values(sims ?? {}).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const summary = (op: DeviceOperation) =>
  `${op.kind} ${op.device}${op.port ? `/${op.port}` : ''}${op.vlan ? ` ${op.vlan}` : ''}${op.config ? ` ${op.config.mode} ${op.config.accessVlan ?? op.config.allowedVlans}` : ''}`;

/** Every switch's configuration, and the configuration commands each received, while `fn` runs. */
async function untouched<T>(fn: () => Promise<T>): Promise<T> {
  const state = () => JSON.stringify(Object.values(sims).map((s) => [s.state.vlans(), s.state.portNames().map((p) => s.state.port(p))]));
  const before = state();
  const logged = Object.values(sims).map((s) => s.commandLog.length);
  const result = await fn();
  expect(state()).toBe(before);
  const sent = Object.values(sims).flatMap((s, i) => s.commandLog.slice(logged[i]).map((e) => e.command));
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((c) => /^(configure|conf t|vlan|no vlan|interface|switchport|copy|write)/.test(c))).toEqual([]);
  return result;
}

test('a tenancy with members on two leaves gets the VLAN on both leaves and the spine, trunks on both ends of each link, then the members; nothing is configured', async () => {
  const ops = await untouched(() => client.planTenancyChanges({ tenancyId: 't1', members: [{ serverId: 's1' }, { serverId: 's2' }] }));
  expect(ops.map(summary)).toEqual([
    'ensure_vlan leaf1 100', 'ensure_vlan leaf2 100', 'ensure_vlan spine1 100',
    'configure_port leaf1/Ethernet49 trunk 100', 'configure_port leaf2/Ethernet49 trunk 100',
    'configure_port spine1/Ethernet1 trunk 100', 'configure_port spine1/Ethernet2 trunk 100',
    'configure_port leaf1/Ethernet1 access 100', 'configure_port leaf2/Ethernet1 access 100',
  ]);
  expect(ops.find((op) => op.device === 'spine1' && op.kind === 'ensure_vlan')?.reason).toBe('tenancy t1 (VLAN 100) crosses spine1 between leaf1 and leaf2');
  expect(ops.at(-1)).toMatchObject({ config: { mode: 'access', accessVlan: 100, mtu: 1500, description: 's2 eth0', adminState: 'up' } });
});

test('a member applied already is not planned again; an owned member left out of the list goes back to quarantine', async () => {
  const member = { mode: 'access' as const, accessVlan: 100, allowedVlans: null, nativeVlan: null, mtu: 1500, description: 's1 eth0', adminState: 'up' as const };
  await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet1', config: member, owner: 'inst-1' });
  const both = await untouched(() => client.planTenancyChanges({ tenancyId: 't1', members: [{ serverId: 's1' }, { switchId: 'leaf2', port: 'Ethernet1', description: 's2 eth0' }] }));
  expect(both.map(summary)).not.toContain('configure_port leaf1/Ethernet1 access 100');
  expect(both.map(summary)).toContain('configure_port leaf2/Ethernet1 access 100');
  const none = await untouched(() => client.planTenancyChanges({ tenancyId: 't1', members: [] }));
  expect(none.map(summary)).toEqual([`configure_port leaf1/Ethernet1 access ${QUARANTINE}`, 'remove_vlan leaf1 100']);
  expect(none[0].reason).toMatch(/^owned by "inst-1", leaving tenancy t1: access_vlan 100 -> 999/);
});

test.each([
  ['an unknown server', { tenancyId: 't1', members: [{ serverId: 'nope' }] }, 'failed_precondition', 'unknown server "nope"'],
  ['a fabric port as a member', { tenancyId: 't1', members: [{ switchId: 'leaf1', port: 'Ethernet49' }] }, 'failed_precondition', 'leaf1/Ethernet49 is a fabric link end'],
  ['a tenancy with no network', { tenancyId: 't9', members: [] }, 'failed_precondition', 'tenancy "t9" has no network yet'],
  ['a member that is neither a server nor a port', { tenancyId: 't1', members: [{ switchId: 'leaf1' } as never] }, 'invalid_argument', 'members[0]: a member is either server_id, or switch_id and port'],
])('%s is refused with what to fix', async (_name, req, code, message) => {
  const err = await client.planTenancyChanges(req).then(() => null, (e) => e);
  expect(err).toBeInstanceOf(EngineApiError);
  expect(err).toMatchObject({ code });
  expect(err.message).toContain(message);
});
