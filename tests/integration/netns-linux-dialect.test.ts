// Integration (root): the switch conformance scenarios for the `linux` dialect, through connectSwitch against real leaf namespaces running OpenSSH.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError, type PortChange, type SwitchDriver, type SwitchEndpoint } from '../../engine/src/drivers/switch/driver';
import { startNetnsLab, type NetnsLab } from '../../lab/src/netns/netns-lab';
import { netnsPids } from '../../lab/src/netns/processes';
import { loadNetnsTopology } from '../../lab/src/netns/topology';
import { describeAsRoot, inNetns, leafEndpoint, link, NEEDS_ROOT, netnsTopology, tempDir } from './netns-harness';

const QUARANTINE = quarantineConfig(999);
const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...QUARANTINE, accessVlan: vlan, ...extra });
const trunk = (allowedVlans: number[]): PortConfig => ({ ...QUARANTINE, mode: 'trunk', accessVlan: null, allowedVlans });
const P = Array.from({ length: 48 }, (_, i) => `swp${i + 1}`);
const TENANT_VLANS = [110, 120, 130];

async function rejection(p: Promise<unknown>): Promise<DeviceError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeviceError);
  return error as DeviceError;
}

describeAsRoot(`linux dialect on a netns leaf${NEEDS_ROOT}`, () => {
  let dir: string;
  let lab: NetnsLab;
  const open: SwitchDriver[] = [];

  beforeAll(async () => {
    dir = tempDir('netns-dialect');
    const topology = netnsTopology(dir, 20, (t) => {
      t.leaves = [{ id: 'leaf1', ports: ['swp1-48'] }, { id: 'leaf2', ports: ['swp1-48'] }];
      t.servers = [];
    });
    lab = await startNetnsLab(loadNetnsTopology(topology), dir);
    const setup = await connect('leaf1');
    for (const v of TENANT_VLANS) await setup.ensureVlan(v, `tenant-${v}`);
  });

  afterAll(async () => {
    await Promise.allSettled(open.map((d) => d.close()));
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ns = (leaf: string) => lab.manifest.switches.find((s) => s.id === leaf)!.netns;
  const leafDir = (leaf: string) => join(dir, 'netns', 'leaves', leaf);
  /** Logins the leaf's sshd accepted so far (one per SSH session). */
  const sessions = (leaf: string) => readFileSync(join(leafDir(leaf), 'sshd.log'), 'utf8').split('\n').filter((l) => l.includes('Accepted password')).length;

  async function connect(leaf: string, extra: Partial<SwitchEndpoint> = {}): Promise<SwitchDriver> {
    const driver = await connectSwitch({ ...leafEndpoint(lab.manifest, leaf), ...extra });
    open.push(driver);
    return driver;
  }

  /** What the kernel of leaf1 has for the port, in PortConfig terms. */
  function kernelPort(port: string): PortConfig {
    const l = link(ns('leaf1'), port);
    return { ...QUARANTINE, accessVlan: Number(/^br(\d+)$/.exec(l.master)?.[1]), mtu: l.mtu, description: l.ifalias ?? '', adminState: l.flags.includes('UP') ? 'up' : 'down' };
  }

  async function expectPorts(driver: SwitchDriver, changes: PortChange[]): Promise<void> {
    const read = await driver.readPorts(changes.map((c) => c.port));
    for (const { port, config } of changes) {
      expect(read.get(port)).toEqual(config);
      expect(kernelPort(port)).toEqual(config);
    }
  }

  test('a fresh port reads back as the quarantine config', async () => {
    const driver = await connect('leaf1');
    expect((await driver.readPorts([P[0]])).get(P[0])).toEqual(QUARANTINE);
  });

  test('access VLAN, MTU, description and shutdown read back as configured and are what the kernel has', async () => {
    const driver = await connect('leaf1');
    const changes: PortChange[] = [
      { port: P[1], config: access(110, { description: 'web-01 eth0' }) },
      { port: P[2], config: access(120, { adminState: 'down' }) },
      { port: P[3], config: access(130, { mtu: 9000 }) },
    ];
    await driver.configurePorts(changes);
    await expectPorts(driver, changes);
  });

  test('moving a port between VLANs leaves it in exactly one bridge', async () => {
    const driver = await connect('leaf1');
    for (const vlan of [110, 120, 130, 110]) {
      await driver.configurePorts([{ port: P[4], config: access(vlan) }]);
      await expectPorts(driver, [{ port: P[4], config: access(vlan) }]);
      const members = [...TENANT_VLANS, 999].filter((v) => inNetns(ns('leaf1'), 'ip', '-o', 'link', 'show', 'master', `br${v}`).stdout.includes(`${P[4]}@`));
      expect(members).toEqual([vlan]);
    }
  });

  test('MTU goes to the jumbo value and back', async () => {
    const driver = await connect('leaf1');
    for (const mtu of [9216, 1500]) {
      await driver.configurePorts([{ port: P[5], config: access(110, { mtu }) }]);
      await expectPorts(driver, [{ port: P[5], config: access(110, { mtu }) }]);
    }
  });

  test("description is set, changed (quotes, spaces, shell characters) and cleared; shutdown and no shutdown", async () => {
    const driver = await connect('leaf1');
    const steps = [
      access(110, { description: 'db-01 bond0', adminState: 'down' }),
      access(110, { description: `it's "db-01" $(reboot) ; rm -rf / & \`id\`` }),
      access(110, { adminState: 'down' }),
      access(110),
    ];
    for (const config of steps) {
      await driver.configurePorts([{ port: P[6], config }]);
      await expectPorts(driver, [{ port: P[6], config }]);
    }
  });

  test('re-applying the same config succeeds and changes nothing', async () => {
    const driver = await connect('leaf1');
    const change = { port: P[7], config: access(120, { mtu: 9000, description: 'same' }) };
    await driver.configurePorts([change]);
    await driver.configurePorts([change]);
    await expectPorts(driver, [change]);
  });

  test('ensureVlan builds br<N> and vx<N> (VNI = VLAN by default) flooding to the other leaf; ensure and remove are idempotent', async () => {
    const driver = await connect('leaf1');
    const [leaf1, leaf2] = lab.manifest.switches;
    const before = await driver.listVlans();
    expect(before).toEqual([...TENANT_VLANS, 999]);
    await driver.ensureVlan(140, 'web');
    await driver.ensureVlan(140, 'web');
    expect(await driver.listVlans()).toEqual([...before, 140].sort((a, b) => a - b));
    const vx = link(ns('leaf1'), 'vx140');
    expect(vx).toMatchObject({ master: 'br140', linkinfo: { info_kind: 'vxlan', info_data: { id: 140, local: leaf1.underlay_address, port: 4789 } } });
    expect(vx.flags).toContain('UP');
    expect(link(ns('leaf1'), 'br140')).toMatchObject({ ifalias: 'web', operstate: expect.any(String) });
    const flood = JSON.parse(inNetns(ns('leaf1'), 'bridge', '-j', 'fdb', 'show', 'dev', 'vx140').stdout) as Array<{ mac: string; dst?: string }>;
    expect(flood.filter((e) => e.mac === '00:00:00:00:00:00').map((e) => e.dst)).toEqual([leaf2.underlay_address]);

    await driver.ensureVlan(140, 'web', { vni: 10140 });
    expect(link(ns('leaf1'), 'vx140').linkinfo.info_data.id).toBe(10140);

    await driver.removeVlan(140);
    await driver.removeVlan(140);
    expect(await driver.listVlans()).toEqual(before);
    expect(inNetns(ns('leaf1'), 'ip', 'link', 'show', 'dev', 'vx140').status).not.toBe(0);
  });

  test.each([0, 2 ** 24, 1.5])('VNI %p is refused before anything is sent', async (vni) => {
    const driver = await connect('leaf1');
    const error = await rejection(driver.ensureVlan(141, 'bad', { vni }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`vni: VNI ${vni} is outside 1..16777215`);
    expect(await driver.listVlans()).not.toContain(141);
  });

  test('save is a verified no-op: it succeeds and the running state stays as it was', async () => {
    const driver = await connect('leaf1');
    await driver.configurePorts([{ port: P[8], config: access(130) }]);
    await driver.save();
    await expectPorts(driver, [{ port: P[8], config: access(130) }]);
  });

  test('48 ports in one configurePorts call use exactly one SSH session', async () => {
    const before = sessions('leaf2');
    const driver = await connect('leaf2');
    await driver.ensureVlan(110, 'tenant-110');
    const all = P.map((port, i) => ({ port, config: access(i % 2 === 0 ? 110 : 999, { description: `server-${i}` }) }));
    await driver.configurePorts(all);
    expect(sessions('leaf2')).toBe(before + 1);
    const read = await driver.readPorts(P);
    for (const { port, config } of all) expect(read.get(port)).toEqual(config);
  });

  test('a failed command is a non-retryable DeviceError carrying the device text, and the session still works', async () => {
    const driver = await connect('leaf1');
    await driver.ensureVlan(150, 'first', { vni: 5000 });
    const error = await rejection(driver.ensureVlan(151, 'second', { vni: 5000 }));
    const sent = 'ip link add dev vx151 type vxlan id 5000 local "$MAESTRO_VTEP_LOCAL" dstport 4789';
    expect(error.retryable).toBe(false);
    expect(error.sent).toBe(sent);
    expect(error.received).toMatch(/exists/);
    expect(error.received).toMatch(/^command failed: exit status \d+$/m);
    expect(error.message).toContain(`leaf1: the switch rejected "${sent}"`);
    expect(await driver.listVlans()).toContain(150);
    await driver.removeVlan(151);
    await driver.removeVlan(150);
  });

  test('a trunk is refused with the reason, and the port keeps its config', async () => {
    const driver = await connect('leaf1');
    await driver.configurePorts([{ port: P[9], config: access(110) }]);
    const error = await rejection(driver.configurePorts([{ port: P[9], config: trunk([110, 120]) }]));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/Error: trunk ports (need 802\.1Q VLAN support|are not supported by the linux dialect)/);
    await expectPorts(driver, [{ port: P[9], config: access(110) }]);
  });

  test('an unknown port fails reading and configuring, naming the port', async () => {
    const driver = await connect('leaf1');
    const read = await rejection(driver.readPorts(['swp99']));
    expect(read.retryable).toBe(false);
    expect(read.message).toContain('port swp99');
    expect(read.message).toMatch(/does not exist/);
    const write = await rejection(driver.configurePorts([{ port: 'swp99', config: access(110) }]));
    expect(write.retryable).toBe(false);
    expect(write.message).toContain('Cannot find device "swp99"');
    expect((await driver.readPorts([P[0]])).get(P[0])?.accessVlan).toBe(999);
  });

  test('a changed host key is refused before any session opens', async () => {
    const before = sessions('leaf1');
    const wrongKey = lab.manifest.switches[1].host_key;
    const error = await rejection(connect('leaf1', { hostKeyFingerprint: wrongKey }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`expected ${wrongKey}`);
    expect(sessions('leaf1')).toBe(before);
  });

  test('a dropped session is a retryable DeviceError', async () => {
    const driver = await connect('leaf1');
    const listener = Number(readFileSync(join(leafDir('leaf1'), 'sshd.pid'), 'utf8'));
    const sessionProcesses = (await netnsPids(ns('leaf1'))).filter((pid) => pid !== listener);
    expect(sessionProcesses.length).toBeGreaterThan(0);
    for (const pid of sessionProcesses) process.kill(pid, 'SIGKILL');
    expect((await rejection(driver.listVlans())).retryable).toBe(true);
  });
});
