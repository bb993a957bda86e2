// ValidatePortConfig's cabling rule: a port cabled to a NIC of an allocated server belongs to that server's owner,
// found by the port's switch and name (leaf1 and leaf2 share port names).

import { validatePortConfig } from '../../engine/src/api/port-handlers';
import type { PortConfig } from '../../engine/src/domain/port-config';
import type { ServerSpec } from '../../engine/src/store/allocation-store';
import { engineFixture, type Fixture } from './engine-fixture';

const access: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' };

const server = (id: string, n: number, nics: Array<[string, string] | null>): ServerSpec => ({
  id, serial: `SN-${id}`, profile: 'p', rack: 'r1', bmc: { driver: 'redfish', endpoint: `https://bmc-${id}`, credentialsRef: 'leaf-admin', tlsPin: null },
  nics: nics.map((to, i) => ({ name: `eth${i}`, mac: `52:54:00:00:0${n}:0${i}`, cabledTo: to && { switchId: to[0], port: to[1] } })),
  disks: [],
});

let fx: Fixture;
beforeEach(async () => {
  fx = await engineFixture();
  await fx.store.importInventory({
    credentials: [], segments: [], switches: [],
    topology: {
      racks: [{ id: 'r1', site: 'dc1' }], profiles: [{ name: 'p', cpuCores: 1, memoryGib: 1, disks: [], nics: 2 }], switchPlacement: [], fabricLinks: [], pools: [],
      // s1 is free; s2 (allocated) has eth0 on leaf2's Ethernet1, which leaf1 has too, and an uncabled eth1.
      servers: [server('s1', 1, [['leaf1', 'Ethernet1']]), server('s2', 2, [['leaf2', 'Ethernet1'], null]), server('s3', 3, [['leaf1', 'Ethernet3']])],
    },
  });
  await fx.store.allocation.changeServers((all) => ({
    write: all.filter((s) => s.id !== 's1').map((s) => ({ ...s, state: 'allocated' as const, owner: `instance:${s.id}`, needsCleaning: true })), result: null,
  }));
  await fx.store.recordChange(
    { at: 'now', who: 'admin', what: 'claim', device: 'leaf1', before: null, after: null, result: 'succeeded', jobId: null },
    { switchId: 'leaf1', port: 'Ethernet3', owner: 'terraform:other', desired: access },
  );
});
afterEach(() => fx.store.close());

test.each<[string, string, string, string, string[]]>([
  ['a port cabled to a free server', 'leaf1', 'Ethernet1', 'me', []],
  ['the same port name on the allocated server\'s switch', 'leaf2', 'Ethernet1', 'me',
    ['port leaf2/Ethernet1 is cabled to NIC eth0 of server "s2", which is allocated to "instance:s2"; its ports belong to that owner']],
  ['the allocated server\'s own owner', 'leaf2', 'Ethernet1', 'instance:s2', []],
  ['a port cabled to no NIC', 'leaf2', 'Ethernet2', 'me', []],
  ['the port\'s owner is named before the server\'s', 'leaf1', 'Ethernet3', 'me',
    ['port leaf1/Ethernet3 is owned by "terraform:other"; release it first (ReleasePort) or apply as that owner']],
  ['the port\'s owner, on a port of a server allocated to someone else', 'leaf1', 'Ethernet3', 'terraform:other',
    ['port leaf1/Ethernet3 is cabled to NIC eth0 of server "s3", which is allocated to "instance:s3"; its ports belong to that owner']],
])('%s', async (_name, switchId, port, owner, reasons) => {
  const violations = await validatePortConfig(fx.ctx, { switchId, port, config: access, owner });
  expect(violations).toEqual(reasons.map((reason) => ({ field: 'port', reason })));
});
