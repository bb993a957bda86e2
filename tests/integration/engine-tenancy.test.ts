// Tenancies over the engine API against two EOS leaf simulators: allocation and named VLANs on every leaf, clashes and
// exhaustion as field violations with no device command, updates, delete refused while attached (naming what is),
// delete removing every VLAN, and a leaf failing mid-create undoing the other leaf and the network.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApiError, EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

jest.setTimeout(60_000);

let dir: string;
let daemon: Daemon;
let client: EngineClient;
const sims: Record<string, SwitchSimulator> = {};
const leaves = () => Object.values(sims);
const commands = () => leaves().reduce((n, s) => n + s.commandLog.length, 0);

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e) => e as EngineApiError);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-tenancy-'));
  for (const id of ['leaf1', 'leaf2']) {
    sims[id] = await startSwitchSimulator({ dialect: 'eos', hostname: id, ports: ['Ethernet1', 'Ethernet2'], username: 'admin', password: 'sim-pass', quarantineVlan: 999 });
  }
  const sw = (id: string, rack: string) =>
    `  - { id: ${id}, dialect: eos, endpoint: "127.0.0.1:${sims[id].port}", credentials: leaf-admin, host_key: "${sims[id].hostKeyFingerprint}", rack: ${rack}, role: leaf, ports: [Ethernet1-2] }`;
  writeFileSync(join(dir, 'inventory.yaml'), [
    'credentials:',
    '  leaf-admin: { username: admin, password: sim-pass }',
    '  bmc-admin: { username: root, password: bmc-pass }',
    'sites: [{ id: dc1, racks: [r1, r2] }]',
    'profiles:',
    '  small: { cpu_cores: 4, memory_gib: 16, nics: 1 }',
    'segments:',
    '  quarantine: { vlan: 999 }',
    '  pools: [{ name: tenants, vlan_range: [100, 102], vni_range: [10100, 10199], supernet: 10.64.0.0/16, tenancy_prefix: 24 }]',
    'switches:',
    sw('leaf1', 'r1'),
    sw('leaf2', 'r2'),
    'servers:',
    '  - { id: s1, serial: SN1, profile: small, rack: r1, bmc: { driver: redfish, endpoint: "https://127.0.0.1:1", credentials: bmc-admin }, nics: [{ name: eth0, mac: "52:54:00:00:00:01", switch: leaf1, port: Ethernet1 }] }',
    '',
  ].join('\n'));
  daemon = await startDaemon({
    dataDir: join(dir, 'engine'), listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }),
    workflow: { retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 } },
  });
  client = EngineClient.fromDataDir(join(dir, 'engine'));
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  for (const sim of leaves()) await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

test('CreateTenancy allocates the lowest free network and names the VLAN on every leaf, saved', async () => {
  const { jobId, tenancy } = await client.createTenancy({ name: 'web', description: 'web tier' });
  expect(jobId).toMatch(/-/);
  expect(tenancy).toMatchObject({
    id: expect.stringMatching(/^tn-[0-9a-f]{12}$/), name: 'web', description: 'web tier', state: 'active',
    network: { pool: 'tenants', vlan: 100, vni: 10100, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500 },
  });
  for (const sim of leaves()) {
    expect(sim.state.vlanName(100)).toBe('tenancy-web');
    expect(sim.state.savedMatchesRunning()).toBe(true);
  }
  expect(await client.getTenancy(tenancy.id)).toEqual(tenancy);
  expect(await client.findTenancy('web')).toEqual(tenancy);
});

test('requested vlan and cidr are honoured', async () => {
  const { tenancy } = await client.createTenancy({ name: 'db', vlan: 102, cidr: '10.64.9.0/24', mtu: 9000 });
  expect(tenancy.network).toMatchObject({ vlan: 102, vni: 10101, cidr: '10.64.9.0/24', gateway: '10.64.9.1', mtu: 9000 });
  for (const sim of leaves()) expect(sim.state.vlanName(102)).toBe('tenancy-db');
  expect((await client.listTenancies()).map((t) => t.name)).toEqual(['db', 'web']);
});

describe('clashes, bad values and exhaustion are field violations, refused before any device command', () => {
  test.each([
    ['a taken name', { name: 'web' }, 'name', /the name "web" is taken by tenancy "web" \(tn-/],
    ['a malformed name', { name: 'Web_1' }, 'name', /lowercase letters, digits and dashes/],
    ['a VLAN another tenancy holds', { name: 'x', vlan: 102 }, 'vlan_id', /102 from VLAN pool tenants 100-102 is already allocated to tenancy "db"/],
    ['a VLAN outside the pool', { name: 'x', vlan: 500 }, 'vlan_id', /500 is outside VLAN pool tenants 100-102/],
    ['a VNI another tenancy holds', { name: 'x', vni: 10100 }, 'vni', /already allocated to tenancy "web"/],
    ['an overlapping CIDR', { name: 'x', cidr: '10.64.9.0/25' }, 'cidr', /overlaps 10.64.9.0\/24, which another tenancy holds/],
    ['a CIDR outside the supernet', { name: 'x', cidr: '192.168.0.0/24' }, 'cidr', /not inside supernet 10.64.0.0\/16/],
    ['an MTU too small', { name: 'x', mtu: 20 }, 'mtu', /from 68 to 9216/],
  ])('%s', async (_case, req, field, reason) => {
    const before = commands();
    const { violations } = await client.validateTenancy(req);
    expect(violations).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    const err = await failure(client.createTenancy(req));
    expect(err.violations).toEqual(violations);
    expect(['invalid_argument', 'failed_precondition']).toContain(err.code);
    expect(commands()).toBe(before);
  });

  test('a tenancy being replaced does not clash with itself', async () => {
    const web = await client.findTenancy('web');
    expect((await client.validateTenancy({ id: web.id, name: 'web', vlan: 100, cidr: '10.64.0.0/23' })).violations).toEqual([]);
  });

  test('the last VLAN goes; then the pool is exhausted on vlan_id', async () => {
    const { tenancy } = await client.createTenancy({ name: 'cache' });
    expect(tenancy.network?.vlan).toBe(101);
    const { violations } = await client.validateTenancy({ name: 'more' });
    expect(violations).toEqual([{ field: 'vlan_id', reason: 'VLAN pool tenants 100-102 is exhausted (3 of 3 allocated)' }]);
    await client.deleteTenancy(tenancy.id);
  });
});

test('UpdateTenancy changes the description in the store; an MTU change is refused while a server is attached', async () => {
  const web = await client.findTenancy('web');
  const before = commands();
  expect(await client.updateTenancy({ id: web.id, description: 'web tier v2' })).toMatchObject({ description: 'web tier v2', network: { mtu: 1500 } });
  expect(commands()).toBe(before);
  await client.allocateServer({ profile: 'small', owner: 'instance:i-1', tenancyId: web.id, serverId: 's1' });
  const ip = await client.allocateIp({ tenancyId: web.id, owner: 'instance:i-1' });
  const mtuErr = await failure(client.updateTenancy({ id: web.id, mtu: 9000 }));
  expect(mtuErr).toMatchObject({ code: 'failed_precondition', message: expect.stringContaining('instance i-1 (server s1)') });

  const delErr = await failure(client.deleteTenancy(web.id));
  expect(delErr.code).toBe('failed_precondition');
  expect(delErr.message).toContain(`cannot delete tenancy "web" (${web.id}): it is still used by instance i-1 (server s1), IP ${ip.address} (owner instance:i-1)`);
  for (const sim of leaves()) expect(sim.state.vlans()).toContain(100);

  await client.releaseIp({ tenancyId: web.id, owner: 'instance:i-1' });
  await client.releaseServer({ serverId: 's1', cleaned: true });
  expect(await client.updateTenancy({ id: web.id, mtu: 9000 })).toMatchObject({ network: { mtu: 9000 } });
});

test('DeleteTenancy removes the VLAN from every leaf and frees the network; the id is then unknown', async () => {
  const web = await client.findTenancy('web');
  await client.deleteTenancy(web.id);
  for (const sim of leaves()) {
    expect(sim.state.vlans()).not.toContain(100);
    expect(sim.state.savedMatchesRunning()).toBe(true);
  }
  expect(await failure(client.getTenancy(web.id))).toMatchObject({ code: 'not_found', violations: [{ field: 'id', reason: expect.any(String) }] });
  expect((await client.listTenancyNetworks()).map((n) => n.vlan)).toEqual([102]);
});

test('a leaf failing mid-create undoes the VLAN on the other leaf and releases the network', async () => {
  sims.leaf2.setFaults({ disconnectOnCommand: /^vlan 100$/ });
  try {
    const err = await failure(client.createTenancy({ name: 'flaky' }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/step "segment leaf2" on leaf2 failed: .*\(undone: segment leaf2, segment leaf1, allocate-network, record\)/);
  } finally {
    sims.leaf2.setFaults({});
  }
  expect(sims.leaf1.state.vlans()).not.toContain(100);
  expect(sims.leaf1.commandLog.map((c) => c.command)).toEqual(expect.arrayContaining(['vlan 100', 'name tenancy-flaky', 'no vlan 100']));
  expect((await client.listTenancyNetworks()).map((n) => n.vlan)).toEqual([102]);
  expect(await failure(client.findTenancy('flaky'))).toMatchObject({ code: 'not_found' });
  expect((await client.listTenancies()).map((t) => t.name)).toEqual(['db']);
});
