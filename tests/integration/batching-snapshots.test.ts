// GetPorts snapshots through the engine API against an EOS simulator: one client's reads of a switch share one
// `show running-config`; another client (another terraform run) reads the switch for itself; a port change drops
// them; GetPort always reads the device.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import type { PortConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

const PORTS = Array.from({ length: 24 }, (_, i) => `Ethernet${i + 1}`);
const WAVE = 10;
const access = (vlan: number, description: string): PortConfig => ({ mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu: 9000, description, adminState: 'up' });

let dir: string;
let sim: SwitchSimulator;
let daemon: Daemon;
const clients: EngineClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-snapshots-'));
  sim = await startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: PORTS, username: 'admin', password: 'sim-pass', quarantineVlan: 999, commandDelayMs: 1 });
  writeFileSync(join(dir, 'inventory.yaml'), [
    'credentials:', '  sw: { username: admin, password: sim-pass }', 'segments:', '  quarantine: { vlan: 999 }', 'switches:',
    `  - { id: leaf1, dialect: eos, endpoint: "127.0.0.1:${sim.port}", credentials: sw, host_key: "${sim.hostKeyFingerprint}", ports: [Ethernet1-24] }`, '',
  ].join('\n'));
  // Snapshots last a minute here, so that only the client id (not their age) decides who gets one.
  daemon = await startDaemon({
    dataDir: join(dir, 'engine'), listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }), workflow: { gateway: { idleMs: 60_000, snapshotMs: 60_000 } },
  });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await daemon?.stop();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A new API client: what each terraform run's provider process is. */
function newClient(): EngineClient {
  const client = EngineClient.fromDataDir(join(dir, 'engine'));
  clients.push(client);
  return client;
}

const drift = (port: string, description: string) => sim.state.setPort(port, { ...sim.state.port(port), description });
const readsSent = () => sim.commandLog.filter((c) => c.command.startsWith('show running-config')).map((c) => c.command);

/** One port through GetPorts, as a provider without its own cache would refresh it. */
async function readOne(client: EngineClient, port: string): Promise<PortConfig> {
  const [got] = await client.getPorts({ switchId: 'leaf1', ports: [port] });
  return got.config;
}

/** Reads every port in waves of WAVE, as terraform's refresh does; returns the descriptions. */
async function refresh(client: EngineClient): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  for (let i = 0; i < PORTS.length; i += WAVE) {
    const ports = PORTS.slice(i, i + WAVE);
    const wave = await Promise.all(ports.map((port) => readOne(client, port)));
    wave.forEach((config, j) => seen.set(ports[j], config.description));
  }
  return seen;
}

test("a client's refresh reads the switch once, and sees what was changed by hand before it started", async () => {
  drift('Ethernet5', 'changed before the refresh');
  const before = readsSent().length;
  const seen = await refresh(newClient());
  expect(readsSent().slice(before)).toEqual(['show running-config']);
  expect(seen.get('Ethernet5')).toBe('changed before the refresh');
  PORTS.forEach((port) => expect(seen.get(port)).toBe(sim.state.port(port).description));
});

test("a change made after one client's read shows in the next client's reads, never hidden by the first client's snapshot", async () => {
  const first = newClient();
  await refresh(first);
  drift('Ethernet6', 'changed between two plans');
  expect((await refresh(newClient())).get('Ethernet6')).toBe('changed between two plans');
  // The first client is still served its own snapshot: this is what the second client must not get.
  expect((await readOne(first, 'Ethernet6')).description).not.toBe('changed between two plans');
});

test("GetPort always reads the device, even right after the same client's snapshot", async () => {
  const client = newClient();
  await refresh(client);
  drift('Ethernet11', 'changed a moment ago');
  expect((await client.getPort({ switchId: 'leaf1', port: 'Ethernet11' })).config.description).toBe('changed a moment ago');
});

test("a port change through the engine drops every client's snapshot of the switch", async () => {
  const planning = newClient();
  await refresh(planning);
  drift('Ethernet8', 'changed by hand');
  await newClient().applyPortConfig({ switchId: 'leaf1', port: 'Ethernet7', config: access(120, 'web'), owner: 'tf:test' });
  const seen = await refresh(planning);
  expect(seen.get('Ethernet7')).toBe('web');
  expect(seen.get('Ethernet8')).toBe('changed by hand');
});

describe('GetPorts', () => {
  test('with whole_switch: the asked port and every other port of the switch from one show running-config, with owners', async () => {
    const client = newClient();
    await client.applyPortConfig({ switchId: 'leaf1', port: 'Ethernet9', config: access(130, 'db'), owner: 'tf:db' });
    drift('Ethernet10', 'changed by hand');
    const before = readsSent().length;
    const ports = await client.getPorts({ switchId: 'leaf1', ports: ['Ethernet3'], wholeSwitch: true });
    expect(readsSent().slice(before)).toEqual(['show running-config']);
    expect(ports.map((p) => p.port).sort()).toEqual([...PORTS].sort());
    expect(ports[0].port).toBe('Ethernet3'); // the asked ports come first
    const byName = new Map(ports.map((p) => [p.port, p]));
    expect(byName.get('Ethernet9')).toMatchObject({ config: access(130, 'db'), owner: 'tf:db' });
    expect(byName.get('Ethernet10')?.config.description).toBe('changed by hand');
    PORTS.forEach((port) => expect(byName.get(port)?.config).toEqual(sim.state.port(port)));
  });

  test('without whole_switch: only the asked ports', async () => {
    const ports = await newClient().getPorts({ switchId: 'leaf1', ports: ['Ethernet2', 'Ethernet4'] });
    expect(ports.map((p) => p.port)).toEqual(['Ethernet2', 'Ethernet4']);
  });

  test('a port the switch does not have fails as GetPort does, naming it; no port at all is refused on "ports"', async () => {
    const client = newClient();
    await expect(client.getPorts({ switchId: 'leaf1', ports: ['Ethernet99'], wholeSwitch: true })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('Ethernet99') });
    await expect(client.getPorts({ switchId: 'leaf1', ports: [] })).rejects.toMatchObject({ code: 'invalid_argument', violations: [{ field: 'ports', reason: 'name at least one port of the switch' }] });
  });
});
