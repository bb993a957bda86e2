// Integration: the generic CLI driver with the EOS dialect against the EOS SSH switch simulator.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { connectSwitch, type ConnectOptions } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError, type PortChange, type SwitchDriver, type SwitchEndpoint } from '../../engine/src/drivers/switch/driver';
import { startSwitchSimulator, type SwitchSimulator, type SwitchSimulatorOptions } from '../../lab/src/ssh-switch/server';

const PORTS = Array.from({ length: 48 }, (_, i) => `Ethernet${i + 1}`);
const QUARANTINE = quarantineConfig(999);

const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...QUARANTINE, accessVlan: vlan, ...extra });
const trunk = (allowedVlans: number[], extra: Partial<PortConfig> = {}): PortConfig => ({ ...QUARANTINE, mode: 'trunk', accessVlan: null, allowedVlans, ...extra });

let sim: SwitchSimulator;
let logDir: string;
const open: SwitchDriver[] = [];

async function start(extra: Partial<SwitchSimulatorOptions> = {}): Promise<SwitchSimulator> {
  return startSwitchSimulator({ dialect: 'eos', hostname: 'leaf1', ports: PORTS, username: 'admin', password: 'lab-secret', quarantineVlan: 999, ...extra });
}

function endpoint(s: SwitchSimulator, extra: Partial<SwitchEndpoint> = {}): SwitchEndpoint {
  return { id: 'leaf1', dialect: 'eos', host: s.host, port: s.port, username: 'admin', password: 'lab-secret', hostKeyFingerprint: s.hostKeyFingerprint, ...extra };
}

async function connect(s = sim, extra: Partial<SwitchEndpoint> = {}, opts?: ConnectOptions): Promise<SwitchDriver> {
  const driver = await connectSwitch(endpoint(s, extra), opts);
  open.push(driver);
  return driver;
}

async function rejection(p: Promise<unknown>): Promise<DeviceError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeviceError);
  return error as DeviceError;
}

beforeEach(async () => {
  logDir = mkdtempSync(join(tmpdir(), 'switch-eos-sim-'));
  sim = await start({ commandLogFile: join(logDir, 'commands.jsonl') });
});

afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((d) => d.close()));
  await sim.close();
});

describe('configuring ports', () => {
  const changes: PortChange[] = [
    { port: 'Ethernet1', config: access(110, { description: 'web-01 eth0' }) },
    { port: 'Ethernet2', config: trunk([110, 120, 121, 122], { nativeVlan: 110, mtu: 9000, description: 'uplink' }) },
    { port: 'Ethernet3', config: access(120, { adminState: 'down' }) },
    { port: 'Ethernet4', config: trunk([130]) },
  ];

  test('applies several ports in one session and reads them back as configured', async () => {
    const driver = await connect();
    await driver.configurePorts(changes);
    const read = await driver.readPorts(changes.map((c) => c.port));
    for (const { port, config } of changes) {
      expect(read.get(port)).toEqual(config);
      expect(sim.state.port(port)).toEqual(config);
    }
    expect(sim.stats.sessions).toBe(1);
    const configureCount = sim.commandLog.filter((e) => e.command === 'configure').length;
    expect(configureCount).toBe(1);
  });

  test('moving a port between modes leaves nothing of the old mode in the running config', async () => {
    const driver = await connect();
    await driver.configurePorts([{ port: 'Ethernet5', config: trunk([10, 20], { nativeVlan: 10 }) }]);
    await driver.configurePorts([{ port: 'Ethernet5', config: access(30) }]);
    const [shown] = await sim.runCommands(['show running-config interfaces Ethernet5']);
    expect(shown.split('\n')).toEqual(['interface Ethernet5', '   switchport access vlan 30']);
    await driver.configurePorts([{ port: 'Ethernet5', config: trunk([40]) }]);
    const [again] = await sim.runCommands(['show running-config interfaces Et5']);
    expect(again.split('\n')).toEqual(['interface Ethernet5', '   switchport trunk allowed vlan 40', '   switchport mode trunk']);
  });

  test('configuring 48 ports in one call opens exactly one session', async () => {
    const driver = await connect();
    const all = PORTS.map((port, i) => ({ port, config: access(100 + i, { description: `server-${i}` }) }));
    await driver.configurePorts(all);
    expect(sim.stats.sessions).toBe(1);
    expect(sim.commandLog.filter((e) => e.command === 'configure')).toHaveLength(1);
    expect(new Set(sim.commandLog.map((e) => e.session))).toEqual(new Set([1]));
    for (const { port, config } of all) expect(sim.state.port(port)).toEqual(config);
  });

  test('save makes the startup config equal the running config', async () => {
    const driver = await connect();
    await driver.configurePorts(changes.slice(0, 1));
    expect(sim.state.savedMatchesRunning()).toBe(false);
    await driver.save();
    expect(sim.state.savedMatchesRunning()).toBe(true);
    expect(sim.commandLog.at(-1)?.command).toBe('copy running-config startup-config');
  });

  test('reads a change made behind the driver by another CLI session', async () => {
    const driver = await connect();
    await driver.configurePorts(changes.slice(1, 2));
    await sim.runCommands(['configure', 'interface Ethernet2', 'switchport trunk native vlan 120', 'shutdown', 'end']);
    const read = await driver.readPorts(['Ethernet2']);
    expect(read.get('Ethernet2')).toEqual({ ...changes[1].config, nativeVlan: 120, adminState: 'down' });
  });
});

describe('VLANs', () => {
  test('ensureVlan creates and names, removeVlan deletes, listVlans lists', async () => {
    const driver = await connect();
    await driver.ensureVlan(110, 'web');
    await driver.ensureVlan(110, 'web-renamed');
    expect(sim.state.vlanName(110)).toBe('web-renamed');
    expect(await driver.listVlans()).toEqual([1, 110, 999]);
    await driver.removeVlan(110);
    await driver.removeVlan(110);
    expect(await driver.listVlans()).toEqual([1, 999]);
  });

  test('a pager that ignores terminal length 0 is paged through', async () => {
    sim.setFaults({ ignoreTerminalLength: true });
    const wanted = Array.from({ length: 60 }, (_, i) => 200 + i);
    for (const v of wanted) sim.state.ensureVlan(v);
    const driver = await connect();
    expect(await driver.listVlans()).toEqual([1, ...wanted, 999]);
  });
});

describe('errors', () => {
  test('a CLI error surfaces as a non-retryable DeviceError carrying the device text', async () => {
    const driver = await connect();
    const error = await rejection(driver.removeVlan(1));
    expect(error.retryable).toBe(false);
    expect(error.sent).toBe('no vlan 1');
    expect(error.received).toMatch(/^% The default VLAN 1 cannot be deleted/);
    expect(error.message).toMatch(/leaf1: the switch rejected "no vlan 1": % The default VLAN 1 cannot be deleted/);
    expect(await driver.listVlans()).toEqual([1, 999]); // the session left config mode and still works
  });

  test('an unknown port fails reading and configuring, naming the port', async () => {
    const driver = await connect();
    const read = await rejection(driver.readPorts(['Ethernet99']));
    expect(read.retryable).toBe(false);
    expect(read.message).toMatch(/port Ethernet99: the port does not exist on the switch/);
    const write = await rejection(driver.configurePorts([{ port: 'Ethernet99', config: access(10) }]));
    expect(write.message).toMatch(/"interface Ethernet99": % Invalid input \(at token 1: 'Ethernet99'\)/);
    expect((await driver.readPorts(['Ethernet1'])).get('Ethernet1')).toEqual(QUARANTINE);
  });

  test('a changed host key is refused, naming both fingerprints', async () => {
    const other = await start();
    try {
      const error = await rejection(connect(other, { hostKeyFingerprint: sim.hostKeyFingerprint }));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('host key');
      expect(error.message).toContain('changed');
      expect(error.message).toContain(`expected ${sim.hostKeyFingerprint}`);
      expect(error.message).toContain(`presented ${other.hostKeyFingerprint}`);
      expect(other.stats.sessions).toBe(0);
    } finally {
      await other.close();
    }
  });

  test('wrong credentials fail as not retryable', async () => {
    const error = await rejection(connect(sim, { password: 'wrong' }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/authentication failed for user "admin"/);
  });

  test('keyboard-interactive authentication is answered with the password', async () => {
    const kbd = await start({ authMethods: ['keyboard-interactive'] });
    try {
      const driver = await connect(kbd);
      expect(await driver.listVlans()).toEqual([1, 999]);
    } finally {
      await kbd.close();
    }
  });

  test('a disconnect mid-session rejects as retryable, naming the command', async () => {
    const driver = await connect();
    sim.setFaults({ disconnectOnCommand: /^interface Ethernet3$/ });
    const error = await rejection(driver.configurePorts(['Ethernet1', 'Ethernet2', 'Ethernet3'].map((port) => ({ port, config: access(10) }))));
    expect(error.retryable).toBe(true);
    expect(error.sent).toBe('interface Ethernet3');
    expect(error.message).toMatch(/while running "interface Ethernet3"/);
    const after = await rejection(driver.listVlans());
    expect(after.retryable).toBe(true);
  });

  test('disconnect after N commands: the N+1th command is the one reported', async () => {
    sim.setFaults({ disconnectAfterCommands: 3 });
    const driver = await connect();
    const error = await rejection(driver.configurePorts([{ port: 'Ethernet1', config: access(10) }]));
    expect(error.retryable).toBe(true);
    expect(error.sent).toBe('interface Ethernet1');
  });

  test('a slow answer past the command timeout rejects as retryable', async () => {
    const driver = await connect(sim, {}, { commandTimeoutMs: 300 });
    sim.setFaults({ commandDelayMs: 1000 });
    const error = await rejection(driver.listVlans());
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/no prompt came back after "show vlan brief" within 300 ms/);
  });

  test('an unknown dialect is refused before connecting', async () => {
    const error = await rejection(connect(sim, { dialect: 'junos' }));
    expect(error.message).toMatch(/unknown switch dialect "junos"; supported: eos/);
    expect(sim.stats.sessions).toBe(0);
  });
});

test('every command received is logged in memory and to the JSON-lines file', async () => {
  const driver = await connect();
  await driver.listVlans();
  await driver.close();
  await sim.close();
  const lines = readFileSync(join(logDir, 'commands.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.map((l) => l.command)).toEqual(['enable', 'terminal length 0', 'show vlan brief']);
  expect(sim.commandLog.map((e) => e.command)).toEqual(lines.map((l) => l.command));
  expect(sim.stats).toEqual({ sessions: 1, commands: 3 });
  sim = await start(); // afterEach closes it
});
