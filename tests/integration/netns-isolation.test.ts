// Integration (root): `maestro lab up --netns`, then tenant segments through the linux dialect: hosts on one segment reach each other across leaves (VXLAN), nothing else does; BMC power and secure erase act on the hosts.

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BmcDriver } from '../../engine/src/drivers/bmc/bmc';
import { quarantineConfig } from '../../engine/src/domain/port-config';
import { connectSwitch } from '../../engine/src/drivers/switch/cli-driver';
import type { SwitchDriver } from '../../engine/src/drivers/switch/driver';
import type { NetnsLabManifest } from '../../lab/src/netns/netns-lab';
import { netnsPids } from '../../lab/src/netns/processes';
import { describeAsRoot, inNetns, labBmc, leafEndpoint, NEEDS_ROOT, netnsLabDown, netnsLabUp, pings } from './netns-harness';

const SEGMENT_A = { vlan: 110, vni: 10110 };
const SEGMENT_B = { vlan: 120, vni: 10120 };
/** One tenant subnet for every host, so only layer-2 segmentation keeps them apart. */
const ADDRESS = { web1: '198.19.0.1', web2: '198.19.0.2', db1: '198.19.0.3', db2: '198.19.0.4' } as const;

describeAsRoot(`netns lab: segments across leaves, quarantine, BMC power${NEEDS_ROOT}`, () => {
  let dir: string;
  let lab: NetnsLabManifest;
  const drivers: SwitchDriver[] = [];
  const bmcs: BmcDriver[] = [];

  const server = (id: string) => lab.servers.find((s) => s.id === id)!;
  const ns = (id: keyof typeof ADDRESS) => server(id).netns;
  const managementAddress = (id: string) => server(id).ssh.endpoint.split(':')[0];
  const bmc = (id: string) => {
    const driver = labBmc(lab, id);
    bmcs.push(driver);
    return driver;
  };

  beforeAll(async () => {
    ({ dir, lab } = await netnsLabUp('netns-isolation', 30));
    // web1 (leaf1) and web2 (leaf2) in segment A, db1 (leaf1) in segment B, db2 (leaf2) left in quarantine.
    const placement: Record<string, Array<{ server: string; segment: typeof SEGMENT_A }>> = {
      leaf1: [{ server: 'web1', segment: SEGMENT_A }, { server: 'db1', segment: SEGMENT_B }],
      leaf2: [{ server: 'web2', segment: SEGMENT_A }],
    };
    for (const [leaf, members] of Object.entries(placement)) {
      const driver = await connectSwitch(leafEndpoint(lab, leaf));
      drivers.push(driver);
      for (const segment of [SEGMENT_A, SEGMENT_B]) await driver.ensureVlan(segment.vlan, `tenant-${segment.vlan}`, { vni: segment.vni });
      await driver.configurePorts(members.map(({ server: id, segment }) => ({ port: server(id).nics[0].port, config: { ...quarantineConfig(999), accessVlan: segment.vlan } })));
    }
    for (const [id, address] of Object.entries(ADDRESS)) {
      expect(inNetns(ns(id as keyof typeof ADDRESS), 'ip', 'addr', 'add', `${address}/16`, 'dev', 'eth0').status).toBe(0);
    }
  });

  afterAll(async () => {
    await Promise.allSettled([...drivers, ...bmcs].map((d) => d.close()));
    await netnsLabDown(dir);
  });

  test('two hosts of one segment on different leaves reach each other over VXLAN', () => {
    expect(pings(ns('web1'), ADDRESS.web2)).toBe(true);
    expect(pings(ns('web2'), ADDRESS.web1)).toBe(true);
  });

  test.each([
    ['web1', 'db1', 'another segment on the same leaf'],
    ['web2', 'db1', 'another segment on the other leaf'],
    ['web1', 'db2', 'a quarantined port'],
    ['db2', 'web2', 'from a quarantined port'],
  ] as const)('%s cannot reach %s (%s)', (from, to, _why) => {
    expect(pings(ns(from), ADDRESS[to])).toBe(false);
  });

  test('BMC power off takes a host off the network; power on brings it back with its sshd', async () => {
    const web2 = bmc('web2');
    await web2.power.setPower('ForceOff');
    expect(await web2.power.getPowerState()).toBe('Off');
    expect(pings(ns('web1'), ADDRESS.web2)).toBe(false);
    expect(inNetns(ns('web2'), 'ip', '-o', 'link', 'show', 'up').stdout).not.toMatch(/eth0|mgmt0/);
    expect(pings(ns('web1'), managementAddress('web2'))).toBe(false);
    expect(await netnsPids(ns('web2'))).toEqual([]);

    await web2.power.setPower('On');
    expect(await web2.power.getPowerState()).toBe('On');
    expect(pings(ns('web1'), ADDRESS.web2)).toBe(true);
    expect(pings(ns('web1'), managementAddress('web2'))).toBe(true);
    expect(inNetns(ns('web2'), 'ss', '-Hltn', 'sport', '=', ':22').stdout).toContain(server('web2').ssh.endpoint);
    expect(await netnsPids(ns('web2'))).toHaveLength(1);
  });

  test('a secure erase through the BMC empties that drive\'s directory only', async () => {
    const db1 = server('db1');
    const [disk0, disk1] = db1.disks;
    writeFileSync(join(disk0.dir, 'os-image'), 'installed');
    writeFileSync(join(disk1.dir, 'data'), 'tenant data');
    await bmc('db1').cleaning.secureEraseDrive(disk1.id);
    expect(readdirSync(disk1.dir)).toEqual([]);
    expect(readdirSync(disk0.dir)).toContain('os-image');
  });
});
