// ValidatePortConfig's cabling rule: a port cabled to a NIC of an allocated server belongs to that server's owner,
// found by the port's switch and name (leaf1 and leaf2 share port names).

import { validatePortConfig } from '../../engine/src/api/port-handlers';
import type { PortConfig } from '../../engine/src/domain/port-config';
import { engineFixture, type Fixture } from './engine-fixture';
import { cabledServer, claimPort, importServers } from './engine-servers-fixture';

const access: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' };

let fx: Fixture;
beforeEach(async () => {
  fx = await engineFixture();
  // s1 is free; s2 (allocated) has eth0 on leaf2's Ethernet1, which leaf1 has too, and an uncabled eth1.
  await importServers(fx.store, ['p'], [
    cabledServer('s1', 'p', 1, [['leaf1', 'Ethernet1']]), cabledServer('s2', 'p', 2, [['leaf2', 'Ethernet1'], null]), cabledServer('s3', 'p', 3, [['leaf1', 'Ethernet3']]),
  ]);
  await fx.store.allocation.changeServers((all) => ({
    write: all.filter((s) => s.id !== 's1').map((s) => ({ ...s, state: 'allocated' as const, owner: `instance:${s.id}`, needsCleaning: true })), result: null,
  }));
  await claimPort(fx.store, 'leaf1', 'Ethernet3', 'terraform:other');
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
