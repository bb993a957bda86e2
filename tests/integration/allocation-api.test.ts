// Allocation over the engine API with the example data-center inventory: servers spread per tenancy, capacity errors
// naming the pool, requested values, lifecycle refusals, and BMC credentials never in an answer.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApiError, EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';

let dir: string;
let daemon: Daemon;
let client: EngineClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-alloc-api-'));
  daemon = await startDaemon({
    dataDir: dir, listen: '127.0.0.1:0', inventoryFile: join(__dirname, '../../examples/inventory/datacenter.yaml'),
    connect: async () => { throw new Error('no switch access in this test'); }, logger: jsonLogger({ write: () => 0 }),
  });
  client = EngineClient.fromDataDir(dir);
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e) => e);

test('ListServers shows the inventory without credentials; filters narrow it', async () => {
  const servers = await client.listServers();
  expect(servers).toHaveLength(12);
  expect(servers[0].bmc).toEqual({ driver: 'redfish', endpoint: expect.stringMatching(/^https:\/\/10\.1\./) });
  expect(JSON.stringify(servers)).not.toContain('change-me');
  expect(await client.listServers({ profile: 'gpu-large', state: 'available' })).toHaveLength(8);
  expect((await client.listProfiles()).map((p) => p.name)).toEqual(['general', 'gpu-large']);
});

test('a tenancy network with unset optional values gets the pool\'s lowest; requested ones are honoured', async () => {
  expect(await client.allocateTenancyNetwork({ tenancyId: 'web' })).toEqual({
    tenancyId: 'web', pool: 'tenants', vlan: 100, vni: 10100, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500,
  });
  expect(await client.allocateTenancyNetwork({ tenancyId: 'db', vlan: 150, cidr: '10.64.9.0/24', mtu: 9000 }))
    .toMatchObject({ vlan: 150, vni: 10101, cidr: '10.64.9.0/24', mtu: 9000 });
  const err = await failure(client.allocateTenancyNetwork({ tenancyId: 'x', vlan: 150 }));
  expect(err).toBeInstanceOf(EngineApiError);
  expect(err).toMatchObject({ code: 'failed_precondition', message: '150 from VLAN pool tenants 100-199 is already allocated to db [conflict]' });
  expect((await client.listTenancyNetworks()).map((n) => n.tenancyId)).toEqual(['db', 'web']);
});

test('servers of one tenancy alternate racks; the ninth gpu-large allocation names the pool', async () => {
  const racks = [];
  for (let i = 0; i < 8; i++) racks.push((await client.allocateServer({ profile: 'gpu-large', owner: `web-${i}`, tenancyId: 'web' })).rack);
  expect(racks).toEqual(['r01', 'r02', 'r01', 'r02', 'r01', 'r02', 'r01', 'r02']);
  const err = await failure(client.allocateServer({ profile: 'gpu-large', owner: 'web-8', tenancyId: 'web' }));
  expect(err).toMatchObject({ code: 'failed_precondition', message: 'no available server of profile "gpu-large" (8 of 8 allocated) [capacity_exhausted]' });
});

test('lifecycle over the API: provisioning, active, a forbidden jump, release to maintenance', async () => {
  const s = await client.allocateServer({ profile: 'general', owner: 'db-0', tenancyId: 'db' });
  await client.setServerState({ serverId: s.id, state: 'provisioning' });
  expect(await client.setServerState({ serverId: s.id, state: 'active' })).toMatchObject({ state: 'active', owner: 'db-0' });
  const err = await failure(client.setServerState({ serverId: s.id, state: 'available' }));
  expect(err.code).toBe('failed_precondition');
  expect(err.message).toContain('cannot go from active to available');
  expect(await client.releaseServer({ serverId: s.id, cleaned: false, reason: 'erase failed' }))
    .toMatchObject({ state: 'maintenance', stateReason: 'erase failed', owner: null, needsCleaning: true });
});

test('IPs over the API: lowest host first, a reserved address refused as out of pool', async () => {
  expect(await client.allocateIp({ tenancyId: 'web', owner: 'web-0' })).toEqual({ tenancyId: 'web', address: '10.64.0.2', owner: 'web-0' });
  const err = await failure(client.allocateIp({ tenancyId: 'web', owner: 'web-1', address: '10.64.0.255' }));
  expect(err).toMatchObject({ code: 'invalid_argument' });
  expect(err.message).toContain('network, gateway or broadcast');
  await client.releaseIp({ tenancyId: 'web', address: '10.64.0.2' });
});
