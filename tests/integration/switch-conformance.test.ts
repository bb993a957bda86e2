// Integration: one conformance suite, run through connectSwitch against the simulator of every dialect in the table.

import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError, type PortChange, type SwitchDriver } from '../../engine/src/drivers/switch/driver';
import { getDialect } from '../../engine/src/drivers/switch/registry';
import { type SimulatedDialect, simulatedDialects } from '../../lab/src/ssh-switch/dialects';
import { startSwitchSimulator, type SwitchSimulator } from '../../lab/src/ssh-switch/server';

/** What differs per dialect: port names, a jumbo MTU the platform takes, and a command its CLI rejects. */
interface DialectCase {
  dialect: SimulatedDialect;
  ports: string[];
  unknownPort: string;
  jumboMtu: number;
  /** IOS: the simulator asks for this at `enable`, the driver answers it. */
  enablePassword?: string;
  /** Makes the switch reject a command; `sent` and `received` are that command and the device's answer. */
  reject(driver: SwitchDriver, ports: string[]): Promise<unknown>;
  sent: string;
  received: RegExp;
}

const range = (n: number, name: (i: number) => string) => Array.from({ length: n }, (_, i) => name(i));

const CASES: DialectCase[] = [
  {
    dialect: 'eos', ports: range(48, (i) => `Ethernet${i + 1}`), unknownPort: 'Ethernet99', jumboMtu: 9000,
    reject: (d) => d.removeVlan(1), sent: 'no vlan 1', received: /^% The default VLAN 1 cannot be deleted/,
  },
  {
    dialect: 'nxos', ports: range(48, (i) => `Ethernet1/${i + 1}`), unknownPort: 'Ethernet1/99', jumboMtu: 9216,
    reject: (d) => d.removeVlan(1), sent: 'no vlan 1', received: /^Deletion of VLAN 1 is not allowed!!/,
  },
  {
    dialect: 'ios', ports: range(48, (i) => `GigabitEthernet1/0/${i + 1}`), unknownPort: 'GigabitEthernet1/0/99', jumboMtu: 9000, enablePassword: 'enable-secret',
    reject: (d) => d.removeVlan(1), sent: 'no vlan 1', received: /^%Default VLAN 1 may not be deleted\./,
  },
  {
    dialect: 'sonic', ports: range(48, (i) => `Ethernet${i * 4}`), unknownPort: 'Ethernet999', jumboMtu: 9100,
    // SONiC refuses to delete a VLAN that still has members.
    reject: async (d, ports) => {
      await d.configurePorts([{ port: ports[0], config: access(110) }]);
      return d.removeVlan(110);
    },
    sent: 'sudo config vlan del 110', received: /^Error: VLAN ID 110 can not be removed\. First remove all members assigned to this VLAN\./,
  },
];

const QUARANTINE = quarantineConfig(999);
const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...QUARANTINE, accessVlan: vlan, ...extra });
const trunk = (allowedVlans: number[], extra: Partial<PortConfig> = {}): PortConfig => ({ ...QUARANTINE, mode: 'trunk', accessVlan: null, allowedVlans, ...extra });
const TENANT_VLANS = [110, 120, 121, 122, 130];

async function rejection(p: Promise<unknown>): Promise<DeviceError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeviceError);
  return error as DeviceError;
}

describe.each(CASES)('$dialect', (c) => {
  const P = c.ports;
  const dialect = getDialect(c.dialect)!;
  let sim: SwitchSimulator;
  const open: SwitchDriver[] = [];

  const start = () => startSwitchSimulator({ dialect: c.dialect, hostname: 'leaf1', ports: P, username: 'admin', password: 'lab-secret', enablePassword: c.enablePassword, quarantineVlan: 999 });

  async function connect(s = sim, hostKeyFingerprint = s.hostKeyFingerprint): Promise<SwitchDriver> {
    const driver = await connectSwitch({ id: 'leaf1', dialect: c.dialect, host: s.host, port: s.port, username: 'admin', password: 'lab-secret', enablePassword: c.enablePassword, hostKeyFingerprint });
    open.push(driver);
    return driver;
  }

  /** A driver on a switch that already has the tenant VLANs (the engine creates VLANs before it uses them). */
  async function connectWithVlans(): Promise<SwitchDriver> {
    const driver = await connect();
    for (const v of TENANT_VLANS) await driver.ensureVlan(v, `tenant-${v}`);
    return driver;
  }

  async function expectPorts(driver: SwitchDriver, changes: PortChange[]): Promise<void> {
    const read = await driver.readPorts(changes.map((ch) => ch.port));
    for (const { port, config } of changes) {
      expect(read.get(port)).toEqual(config);
      expect(sim.state.port(port)).toEqual(config);
    }
  }

  beforeEach(async () => {
    sim = await start();
  });

  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((d) => d.close()));
    await sim.close();
  });

  test('a fresh port reads back as the quarantine config', async () => {
    const driver = await connect();
    expect((await driver.readPorts([P[0]])).get(P[0])).toEqual(QUARANTINE);
  });

  test('access, trunk with native VLAN, description and shutdown read back as configured', async () => {
    const driver = await connectWithVlans();
    const changes: PortChange[] = [
      { port: P[0], config: access(110, { description: 'web-01 eth0' }) },
      { port: P[1], config: trunk([110, 120, 121, 122], { nativeVlan: 110, description: 'uplink' }) },
      { port: P[2], config: access(120, { adminState: 'down' }) },
      { port: P[3], config: trunk([120, 130]) },
    ];
    await driver.configurePorts(changes);
    await expectPorts(driver, changes);
  });

  test('access -> trunk -> access leaves nothing of the earlier mode', async () => {
    const driver = await connectWithVlans();
    for (const config of [access(110), trunk([120, 121], { nativeVlan: 120 }), access(130), trunk([110, 122]), access(110)]) {
      await driver.configurePorts([{ port: P[4], config }]);
      await expectPorts(driver, [{ port: P[4], config }]);
    }
  });

  test('MTU goes to the jumbo value and back', async () => {
    const driver = await connectWithVlans();
    for (const mtu of [c.jumboMtu, 1500]) {
      await driver.configurePorts([{ port: P[5], config: access(110, { mtu }) }]);
      await expectPorts(driver, [{ port: P[5], config: access(110, { mtu }) }]);
    }
  });

  test('description is set, changed and cleared; shutdown and no shutdown', async () => {
    const driver = await connectWithVlans();
    const steps = [access(110, { description: 'db-01 bond0', adminState: 'down' }), access(110, { description: 'db-01 bond0 (moved)' }), access(110, { adminState: 'down' }), access(110)];
    for (const config of steps) {
      await driver.configurePorts([{ port: P[6], config }]);
      await expectPorts(driver, [{ port: P[6], config }]);
    }
  });

  test('re-applying the same config succeeds and changes nothing', async () => {
    const driver = await connectWithVlans();
    const change = { port: P[7], config: trunk([110, 120], { nativeVlan: 120, mtu: c.jumboMtu }) };
    await driver.configurePorts([change]);
    await driver.configurePorts([change]);
    await expectPorts(driver, [change]);
  });

  test('ensureVlan is idempotent, removeVlan too, and listVlans shows both', async () => {
    const driver = await connect();
    const before = await driver.listVlans();
    expect(before).toContain(999);
    await driver.ensureVlan(140, 'web');
    await driver.ensureVlan(140, 'web');
    expect(await driver.listVlans()).toEqual([...before, 140].sort((a, b) => a - b));
    expect(sim.state.vlans()).toContain(140);
    await driver.removeVlan(140);
    await driver.removeVlan(140);
    expect(await driver.listVlans()).toEqual(before);
  });

  test('save makes the startup config equal the running config', async () => {
    const driver = await connectWithVlans();
    await driver.configurePorts([{ port: P[0], config: access(110) }]);
    expect(sim.state.savedMatchesRunning()).toBe(false);
    await driver.save();
    expect(sim.state.savedMatchesRunning()).toBe(true);
    expect(sim.commandLog.at(-1)?.command).toBe(dialect.save.at(-1));
  });

  test('48 ports in one configurePorts call use exactly one session', async () => {
    const driver = await connectWithVlans();
    const all = P.map((port, i) => ({ port, config: access(TENANT_VLANS[i % TENANT_VLANS.length], { description: `server-${i}` }) }));
    await driver.configurePorts(all);
    expect(sim.stats.sessions).toBe(1);
    expect(new Set(sim.commandLog.map((e) => e.session))).toEqual(new Set([1]));
    const enters = sim.commandLog.filter((e) => dialect.enterConfig.includes(e.command));
    expect(enters).toHaveLength(dialect.enterConfig.length * (1 + TENANT_VLANS.length));
    for (const { port, config } of all) expect(sim.state.port(port)).toEqual(config);
  });

  test('a CLI error is a non-retryable DeviceError carrying the device text, and the session still works', async () => {
    const driver = await connectWithVlans();
    const error = await rejection(c.reject(driver, P));
    expect(error.retryable).toBe(false);
    expect(error.sent).toBe(c.sent);
    expect(error.received).toMatch(c.received);
    expect(error.message).toContain(`leaf1: the switch rejected "${c.sent}"`);
    expect(await driver.listVlans()).toContain(999);
  });

  test('an unknown port fails reading and configuring, naming the port', async () => {
    const driver = await connectWithVlans();
    const read = await rejection(driver.readPorts([c.unknownPort]));
    expect(read.retryable).toBe(false);
    expect(read.message).toContain(`port ${c.unknownPort}`);
    expect(read.message).toMatch(/does not exist/);
    const write = await rejection(driver.configurePorts([{ port: c.unknownPort, config: access(110) }]));
    expect(write.retryable).toBe(false);
    expect(write.message).toContain(c.unknownPort);
    expect((await driver.readPorts([P[0]])).get(P[0])?.accessVlan).toBe(999);
  });

  test('a changed host key is refused before any session opens', async () => {
    const other = await start();
    try {
      const error = await rejection(connect(other, sim.hostKeyFingerprint));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`expected ${sim.hostKeyFingerprint}`);
      expect(other.stats.sessions).toBe(0);
    } finally {
      await other.close();
    }
  });

  test('a disconnect mid-session is a retryable DeviceError naming the command', async () => {
    const driver = await connectWithVlans();
    const third = new RegExp(`(^|\\s)${P[2].replace(/\//g, '\\/')}(\\s|$)`);
    sim.setFaults({ disconnectOnCommand: third });
    const error = await rejection(driver.configurePorts(P.slice(0, 3).map((port) => ({ port, config: access(110) }))));
    expect(error.retryable).toBe(true);
    expect(error.sent).toMatch(third);
    expect(error.message).toMatch(/while running "/);
    expect((await rejection(driver.listVlans())).retryable).toBe(true);
  });
});

test('every dialect in the registry with a simulator is in the conformance table', () => {
  const simulated = Object.keys(simulatedDialects).filter((d) => getDialect(d) !== undefined);
  expect(CASES.map((c) => c.dialect).sort()).toEqual(simulated.sort());
});
