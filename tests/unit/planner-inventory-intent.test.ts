// inventoryIntent: the store's tenancies, owned ports and topology plus one tenancy's proposed members as planner intent.

import { quarantineConfig } from '../../engine/src/domain/port-config';
import { inventoryIntent, memberConfig, PlanError, type InventorySnapshot, type TenancyProposal } from '../../engine/src/planner';
import type { ServerRecord } from '../../engine/src/store/allocation-store';

const net = (tenancyId: string, vlan: number) => ({ tenancyId, pool: 'tenants', vlan, vni: 10000 + vlan, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 9000 });
const port = (switchId: string, name: string, owner: string | null = null, vlan?: number, description = `${owner}`) =>
  ({ switchId, name, owner, desired: vlan === undefined ? null : memberConfig({ vlan, mtu: 9000 }, description) });
const server = (id: string, nics: [string, string | null][]) =>
  ({ id, nics: nics.map(([name, at]) => ({ name, mac: '52:54:00:00:00:01', cabledTo: at ? { switchId: 'leaf1', port: at } : null })) }) as unknown as ServerRecord;

const snap: InventorySnapshot = {
  switches: [{ id: 'leaf1', dialect: 'eos', host: '127.0.0.1', sshPort: 22, credentialsRef: 'c', hostKey: null }, { id: 'lx1', dialect: 'linux', host: '127.0.0.1', sshPort: 22, credentialsRef: 'c', hostKey: null }],
  placement: [{ switchId: 'leaf1', rack: 'r1', role: 'leaf' }],
  links: [],
  ports: [port('leaf1', 'Ethernet1', 'inst-1', 100, 's1 eth0 inst-1'), port('leaf1', 'Ethernet2', 'inst-2', 200), port('leaf1', 'Ethernet3'), port('leaf1', 'Ethernet4', 'inst-9', 100)],
  networks: [net('t1', 100), net('t2', 200)],
  servers: [server('s1', [['eth0', 'Ethernet1'], ['ipmi', null]]), server('s3', [['eth0', null]])],
  quarantineVlan: 999,
};

test('the proposed tenancy gets its members (descriptions kept), the others keep their owned ports, and its unlisted ports leave', () => {
  const intent = inventoryIntent(snap, { tenancyId: 't1', members: [{ serverId: 's1' }, { switchId: 'leaf1', port: 'Ethernet3' }] });
  expect(intent.tenancies).toEqual([
    { tenancyId: 't2', vlan: 200, vni: 10200, mtu: 9000, members: [] },
    { tenancyId: 't1', vlan: 100, vni: 10100, mtu: 9000, members: [
      { switchId: 'leaf1', port: 'Ethernet1', description: 's1 eth0 inst-1' }, { switchId: 'leaf1', port: 'Ethernet3', description: 'tenancy t1' }] },
  ]);
  expect(intent.ports).toEqual([
    { switchId: 'leaf1', port: 'Ethernet2', config: snap.ports[1].desired, why: 'owned by "inst-2"' },
    { switchId: 'leaf1', port: 'Ethernet4', config: quarantineConfig(999), why: 'owned by "inst-9", leaving tenancy t1' },
  ]);
  expect(intent.fabric.switches).toEqual([{ id: 'leaf1', role: 'leaf', stretch: 'trunk' }, { id: 'lx1', role: null, stretch: 'vxlan' }]);
});

test('vlan, vni and mtu in the proposal stand in for a network not allocated yet', () => {
  const intent = inventoryIntent(snap, { tenancyId: 't3', vlan: 300, vni: 10300, members: [] });
  expect(intent.tenancies.at(-1)).toEqual({ tenancyId: 't3', vlan: 300, vni: 10300, mtu: 1500, members: [] });
});

test.each<[string, TenancyProposal, string]>([
  ['an unknown server', { tenancyId: 't1', members: [{ serverId: 's9' }] }, 'unknown server "s9"; `maestro servers list` shows the inventory'],
  ['a server with no cabled NIC', { tenancyId: 't1', members: [{ serverId: 's3' }] }, 'server "s3" has no NIC cabled to an inventory switch'],
  ['a port not in inventory', { tenancyId: 't1', members: [{ switchId: 'leaf1', port: 'Ethernet7' }] }, 'switch "leaf1" has no port "Ethernet7" in inventory'],
  ['a port owned for another tenancy', { tenancyId: 't1', members: [{ switchId: 'leaf1', port: 'Ethernet2' }] },
    'leaf1/Ethernet2 is owned by "inst-2" for something else; release it before it joins tenancy t1'],
  ['no network and no vlan', { tenancyId: 't3', members: [] }, 'tenancy "t3" has no network yet: allocate one (AllocateTenancyNetwork) or give the vlan and vni to plan with'],
  ['a VLAN another tenancy holds', { tenancyId: 't3', vlan: 200, vni: 10300, members: [] }, 'VLAN 200 / VNI 10300 of tenancy "t3" collides with tenancy "t2" (VLAN 200, VNI 10200)'],
])('%s is a PlanError saying what to fix', (_name, proposal, message) => {
  expect(() => inventoryIntent(snap, proposal)).toThrow(PlanError);
  expect(() => inventoryIntent(snap, proposal)).toThrow(message);
});
