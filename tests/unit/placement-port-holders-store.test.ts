// foreignPortHolders over the SQLite store: it asks only for the ports the given servers are cabled to (listOwnedPorts),
// never reads every switch, and answers as reading every switch's ports would.

import { foreignPortHolders, type PortOwnerSource } from '../../engine/src/placement';
import type { SqliteStore } from '../../engine/src/store/sqlite';
import { claimPort } from './engine-servers-fixture';
import { allocationStore } from './placement-fixture';

let store: SqliteStore;
// r1-p-1..3 on leaf-r1 Ethernet1..3, r2-p-1..3 on leaf-r2 Ethernet1..3: the two leaves share port names.
beforeEach(async () => {
  store = await allocationStore({ perRack: { p: 3 } });
  await claimPort(store, 'leaf-r1', 'Ethernet1', 'terraform:maestro_switch_port');
  await claimPort(store, 'leaf-r2', 'Ethernet2', 'instance:in-1');
});
afterEach(() => store.close());

/** The store, counting the calls a whole read would make. */
function counted(): { source: PortOwnerSource; reads: string[] } {
  const reads: string[] = [];
  const source: PortOwnerSource = {
    listSwitches: async () => { reads.push('listSwitches'); return store.listSwitches(); },
    listPorts: async (id) => { reads.push(`listPorts ${id}`); return store.listPorts(id); },
    listOwnedPorts: async (ports) => { reads.push(`listOwnedPorts ${ports.length}`); return store.listOwnedPorts(ports); },
  };
  return { source, reads };
}

/** The store without listOwnedPorts: every port of every switch. */
const whole = (): PortOwnerSource => ({ listSwitches: () => store.listSwitches(), listPorts: (id) => store.listPorts(id) });

test.each<[string, string | undefined, Array<[string, string]>]>([
  ['another owner\'s ports are named, per server; the same port name on the other leaf is not', 'instance:in-9', [
    ['r1-p-1', 'leaf-r1/Ethernet1 (NIC eth0) is held by "terraform:maestro_switch_port"'],
    ['r2-p-2', 'leaf-r2/Ethernet2 (NIC eth0) is held by "instance:in-1"'],
  ]],
  ['the asking owner\'s own ports do not count', 'instance:in-1', [['r1-p-1', 'leaf-r1/Ethernet1 (NIC eth0) is held by "terraform:maestro_switch_port"']]],
  ['without an owner every held port counts', undefined, [
    ['r1-p-1', 'leaf-r1/Ethernet1 (NIC eth0) is held by "terraform:maestro_switch_port"'],
    ['r2-p-2', 'leaf-r2/Ethernet2 (NIC eth0) is held by "instance:in-1"'],
  ]],
])('%s', async (_name, owner, expected) => {
  const servers = await store.allocation.listServers();
  const { source, reads } = counted();
  const holders = await foreignPortHolders(source, servers, owner);
  expect([...holders]).toEqual(expected);
  expect(reads).toEqual(['listOwnedPorts 6']);
  expect([...await foreignPortHolders(whole(), servers, owner)]).toEqual(expected);
});

test('asks only for the given servers\' cabled ports; uncabled NICs are not asked for', async () => {
  const servers = (await store.allocation.listServers()).filter((s) => s.id === 'r2-p-2' || s.id === 'r2-p-3');
  servers[1] = { ...servers[1], nics: [...servers[1].nics, { name: 'eth1', mac: '52:54:00:00:ff:ff', cabledTo: null }] };
  const { source, reads } = counted();
  expect([...await foreignPortHolders(source, servers, 'terraform:maestro_switch_port')]).toEqual([['r2-p-2', 'leaf-r2/Ethernet2 (NIC eth0) is held by "instance:in-1"']]);
  expect(reads).toEqual(['listOwnedPorts 2']);
});
