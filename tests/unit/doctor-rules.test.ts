// Doctor rules: a consistent snapshot has no findings; each planted inconsistency yields exactly its finding.

import { findOrphans, type DoctorSnapshot } from '../../engine/src/doctor';
import { quarantineConfig, type PortConfig } from '../../engine/src/domain/port-config';
import type { ServerRecord } from '../../engine/src/store/allocation-store';

const access = (vlan: number): PortConfig => ({ ...quarantineConfig(vlan), description: 'x' });
const trunk = (vlans: number[]): PortConfig => ({ mode: 'trunk', accessVlan: null, allowedVlans: vlans, nativeVlan: null, mtu: 9000, description: '', adminState: 'up' });

const server = (id: string, over: Partial<ServerRecord>): ServerRecord => ({
  id, serial: id, profile: 'small', rack: 'r1', bmc: { driver: 'redfish', endpoint: 'https://b', credentialsRef: 'c', tlsPin: null },
  nics: [], disks: [], state: 'available', stateReason: null, owner: null, tenancyId: null, needsCleaning: false, cleanedAt: null, ...over,
});

/** A consistent world: tenancy t1 on VLAN 100, its instance's port, a fabric trunk, a user-owned port on VLAN 20. */
function consistent(): DoctorSnapshot {
  return {
    switches: [{
      id: 'leaf1',
      vlans: [1, 20, 100, 998, 999],
      ports: new Map([['Ethernet1', access(100)], ['Ethernet2', access(999)], ['Ethernet3', access(20)], ['Ethernet4', trunk([100])]]),
      inventory: [
        { switchId: 'leaf1', name: 'Ethernet1', owner: 'inst-1', desired: access(100) },
        { switchId: 'leaf1', name: 'Ethernet2', owner: null, desired: null },
        { switchId: 'leaf1', name: 'Ethernet3', owner: 'terraform:port', desired: access(20) },
        { switchId: 'leaf1', name: 'Ethernet4', owner: null, desired: null },
      ],
    }],
    infrastructureVlans: [999, 998],
    tenancies: [{ tenancyId: 't1', pool: 'tenants', vlan: 100, vni: 10100, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500 }],
    ips: [{ tenancyId: 't1', address: '10.64.0.2', owner: 'inst-1' }, { tenancyId: 't1', address: '10.64.0.3', owner: 't1' }],
    servers: [server('s1', { state: 'active', owner: 'inst-1', tenancyId: 't1', needsCleaning: true }), server('s2', { cleanedAt: 'yesterday' })],
    fabricLinks: [{ a: { switchId: 'leaf1', port: 'Ethernet4' }, b: { switchId: 'spine1', port: 'Ethernet1' } }],
  };
}

test('a consistent snapshot has no findings', () => {
  expect(findOrphans(consistent())).toEqual([]);
});

type Plant = (s: DoctorSnapshot) => void;
const leaf = (s: DoctorSnapshot) => s.switches[0] as Extract<DoctorSnapshot['switches'][0], { vlans: number[] }>;

test.each<[string, Plant, object]>([
  ['a VLAN on a switch with no tenancy', (s) => leaf(s).vlans.push(300),
    { kind: 'orphan_vlan', object: 'leaf1 VLAN 300', why: 'VLAN 300 is configured on leaf1 but no tenancy holds it and no owned port uses it' }],
  ['a tenancy VLAN left on the switch after the tenancy and its port were released', (s) => {
    Object.assign(s, { tenancies: [], ips: [] });
    s.servers[0].tenancyId = null;
    leaf(s).inventory[0] = { switchId: 'leaf1', name: 'Ethernet1', owner: null, desired: null };
  },
    { kind: 'orphan_vlan', object: 'leaf1 VLAN 100' }],
  ['an unowned port in a tenancy segment', (s) => void leaf(s).ports.set('Ethernet2', access(100)),
    { kind: 'orphan_port', object: 'leaf1/Ethernet2', why: 'carries VLAN 100 of tenancy t1 but has no owner' }],
  ['an unowned trunk carrying a tenancy VLAN', (s) => void leaf(s).ports.set('Ethernet2', trunk([5, 100])),
    { kind: 'orphan_port', object: 'leaf1/Ethernet2' }],
  ['an IP whose owner holds no server', (s) => s.ips.push({ tenancyId: 't1', address: '10.64.0.9', owner: 'inst-gone' }),
    { kind: 'orphan_ip', object: 'tenancy t1 10.64.0.9', why: 'allocated to "inst-gone", which holds no server' }],
  ['an allocated server without an owner', (s) => void (s.servers[1] = server('s2', { state: 'allocated' })),
    { kind: 'orphan_server', object: 'server s2', why: 'allocated but has no owner' }],
  ['a server held for a tenancy that has no network', (s) => void (s.servers[1] = server('s2', { state: 'provisioning', owner: 'inst-2', tenancyId: 't9' })),
    { kind: 'orphan_server', object: 'server s2', why: 'provisioning for tenancy t9, which has no network' }],
  ['an available server that was not cleaned', (s) => void (s.servers[1].needsCleaning = true),
    { kind: 'uncleaned_server', object: 'server s2', why: 'available but not cleaned since it was last allocated' }],
  ['a switch that cannot be read', (s) => void (s.switches = [{ id: 'leaf1', error: 'connection refused' }]),
    { kind: 'switch_unreachable', object: 'leaf1', why: 'could not read VLANs and ports: connection refused' }],
])('%s is the one finding', (_name, plant, expected) => {
  const snap = consistent();
  plant(snap);
  const findings = findOrphans(snap);
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject(expected);
});

test('quarantine, provisioning and VLAN 1 are never orphans, even on switches with no tenancies', () => {
  const snap = consistent();
  snap.tenancies = [];
  snap.ips = [];
  snap.servers = [];
  leaf(snap).vlans = [1, 998, 999];
  leaf(snap).ports = new Map();
  expect(findOrphans(snap)).toEqual([]);
});
