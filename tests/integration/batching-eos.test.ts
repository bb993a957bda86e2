// Switch batching and read coalescing through the engine API against EOS simulators, counted by their session counters.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '../../engine/src/api/client';
import { startDaemon, type Daemon } from '../../engine/src/api/daemon';
import { jsonLogger } from '../../engine/src/api/logger';
import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

const QUARANTINE = 999;
const PORTS = Array.from({ length: 48 }, (_, i) => `Ethernet${i + 1}`);
const access = (vlan: number, description: string): PortConfig => ({ mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu: 9000, description, adminState: 'up' });

let dir: string;
let sims: SwitchSimulator[];
let daemon: Daemon;
let client: EngineClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-batching-'));
  sims = await Promise.all(['leaf1', 'leaf2'].map((hostname) =>
    startSwitchSimulator({ dialect: 'eos', hostname, ports: PORTS, username: 'admin', password: 'sim-pass', quarantineVlan: QUARANTINE, commandDelayMs: 1 })));
  const switches = sims.map((s, i) => `  - { id: leaf${i + 1}, dialect: eos, endpoint: "127.0.0.1:${s.port}", credentials: sw, host_key: "${s.hostKeyFingerprint}", ports: [Ethernet1-48] }`);
  writeFileSync(join(dir, 'inventory.yaml'), `credentials:\n  sw: { username: admin, password: sim-pass }\nsegments:\n  quarantine: { vlan: ${QUARANTINE} }\nswitches:\n${switches.join('\n')}\n`);
  daemon = await startDaemon({
    dataDir: join(dir, 'engine'), listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'),
    connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }), workflow: { gateway: { windowMs: 40 } },
  });
  client = EngineClient.fromDataDir(join(dir, 'engine'));
});

afterAll(async () => {
  client?.close();
  await daemon?.stop();
  await Promise.all((sims ?? []).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const sessionsDuring = async (sim: SwitchSimulator, work: () => Promise<unknown>) => {
  const before = sim.stats.sessions;
  await work();
  return sim.stats.sessions - before;
};

test('48 port changes issued concurrently open at most 2 SSH sessions, and every port is configured and saved', async () => {
  const [leaf1] = sims;
  const sessions = await sessionsDuring(leaf1, () => Promise.all(PORTS.map((port, i) =>
    client.applyPortConfig({ switchId: 'leaf1', port, config: access(100 + (i % 4), `srv-${i}`), owner: `tf:${port}` }))));
  expect(sessions).toBeLessThanOrEqual(2);
  PORTS.forEach((port, i) => expect(leaf1.state.port(port)).toEqual(access(100 + (i % 4), `srv-${i}`)));
  expect(leaf1.state.savedMatchesRunning()).toBe(true);
  expect(leaf1.commandLog.filter((c) => c.command === 'copy running-config startup-config').length).toBeLessThanOrEqual(1);
});

test('100 concurrent GetPort calls over two switches open at most one session per switch', async () => {
  const reads = Array.from({ length: 100 }, (_, i) => ({ switchId: `leaf${(i % 2) + 1}`, port: PORTS[Math.floor(i / 2) % 48] }));
  const before = sims.map((s) => s.stats.sessions);
  const ports = await Promise.all(reads.map((r) => client.getPort(r)));
  expect(sims.map((s, i) => s.stats.sessions - before[i])).toEqual([1, 1]);
  ports.forEach((p, i) => expect(p.config).toEqual(sims[(i % 2)].state.port(reads[i].port)));
});

test('a change the switch driver refuses fails only its own caller; the rest of the batch is applied in the same session', async () => {
  const leaf2 = sims[1];
  // '|' passes the engine's validation but not the CLI grammar: the driver refuses the whole batch,
  // the gateway then applies the changes one by one and the refusal lands on that port alone.
  const configs = PORTS.slice(0, 6).map((_, i) => access(300, i === 3 ? 'bad|pipe' : `ok-${i}`));
  const before = leaf2.stats.sessions;
  const results = await Promise.allSettled(PORTS.slice(0, 6).map((port, i) => client.applyPortConfig({ switchId: 'leaf2', port, config: configs[i], owner: 'tf:batch' })));
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect((results[3] as PromiseRejectedResult).reason.message).toContain("description may hold printable ASCII characters except '?' and '|'");
  // One session reads, one writes (with the one-by-one fallback), one restores the refused port as its job compensates.
  expect(leaf2.stats.sessions - before).toBeLessThanOrEqual(3);
  PORTS.slice(0, 6).forEach((port, i) => expect(leaf2.state.port(port)).toEqual(i === 3 ? quarantineConfig(QUARANTINE) : configs[i]));
});

test('ReleasePort of many ports batches too and returns them to quarantine', async () => {
  const [leaf1] = sims;
  const sessions = await sessionsDuring(leaf1, () => Promise.all(PORTS.slice(0, 24).map((port) => client.releasePort({ switchId: 'leaf1', port }))));
  expect(sessions).toBeLessThanOrEqual(2);
  for (const port of PORTS.slice(0, 24)) expect(leaf1.state.port(port)).toEqual(quarantineConfig(QUARANTINE));
});
