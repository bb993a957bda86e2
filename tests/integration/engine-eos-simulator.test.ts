// The engine daemon driving the EOS SSH simulator with the real CLI driver: apply, read back, drift, release, host-key pinning.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApiError, EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

const QUARANTINE = 999;
const web: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 9000, description: 'web-1 eth0', adminState: 'up' };
const uplink: PortConfig = { mode: 'trunk', accessVlan: null, allowedVlans: [10, 20, 30], nativeVlan: 20, mtu: 9214, description: 'uplink', adminState: 'up' };

let dir: string;
let sim: SwitchSimulator;
let daemon: Daemon;
let client: EngineClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-eos-'));
  sim = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4'], username: 'admin', password: 'sim-pass', quarantineVlan: QUARANTINE });
  const inventory = `
credentials:
  leaf-admin: { username: admin, password: sim-pass }
segments:
  quarantine: { vlan: ${QUARANTINE} }
switches:
  - { id: leaf1, dialect: eos, endpoint: "127.0.0.1:${sim.port}", credentials: leaf-admin, host_key: "${sim.hostKeyFingerprint}", ports: [Ethernet1-4] }
  - { id: impostor, dialect: eos, endpoint: "127.0.0.1:${sim.port}", credentials: leaf-admin, host_key: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ports: [Ethernet1] }
`;
  writeFileSync(join(dir, 'inventory.yaml'), inventory);
  daemon = await startDaemon({
    dataDir: join(dir, 'engine'), listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }),
  });
  client = EngineClient.fromDataDir(join(dir, 'engine'));
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('ApplyPortConfig configures and saves the simulated switch, and GetPort reads it back', async () => {
  const applied = await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' });
  expect(applied.port).toEqual({ switchId: 'leaf1', port: 'Ethernet3', config: web, owner: 'terraform:web' });
  expect(sim.state.port('Ethernet3')).toEqual(web);
  expect(sim.state.vlans()).toContain(10);
  expect(sim.state.savedMatchesRunning()).toBe(true);
  expect(await client.getPort({ switchId: 'leaf1', port: 'Ethernet3' })).toEqual(applied.port);
  const job = await client.getJob(applied.jobId);
  expect(job.steps.every((s) => s.state === 'done')).toBe(true);
});

test('a trunk with a native VLAN round-trips', async () => {
  await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet4', config: uplink, owner: 'terraform:uplink' });
  expect(sim.state.port('Ethernet4')).toEqual(uplink);
  expect((await client.getPort({ switchId: 'leaf1', port: 'Ethernet4' })).config).toEqual(uplink);
});

test('a change made on the switch behind the engine\'s back shows in GetPort', async () => {
  await sim.runCommands(['enable', 'configure', 'interface Ethernet3', 'shutdown', 'description changed by hand', 'end']);
  expect((await client.getPort({ switchId: 'leaf1', port: 'Ethernet3' })).config).toEqual({ ...web, adminState: 'down', description: 'changed by hand' });
});

test('ReleasePort puts the port back in quarantine on the switch', async () => {
  const released = await client.releasePort({ switchId: 'leaf1', port: 'Ethernet3' });
  expect(released.port.owner).toBe('');
  expect(sim.state.port('Ethernet3')).toEqual(quarantineConfig(QUARANTINE));
});

test('a switch whose host key differs from the pinned one is refused, naming both fingerprints', async () => {
  const err = await client.getPort({ switchId: 'impostor', port: 'Ethernet1' }).catch((e) => e);
  expect(err).toBeInstanceOf(EngineApiError);
  expect(err.message).toContain('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  expect(err.message).toContain(sim.hostKeyFingerprint);
});
