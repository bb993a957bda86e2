// chooseServer's spread rule on its own: fewest same-tenancy servers per rack first, then per leaf, then lowest id.

import { chooseServer, foreignPortHolders } from '../../engine/src/placement';
import type { ServerRecord } from '../../engine/src/store/allocation-store';

const server = (id: string, rack: string, leaf: string, over: Partial<ServerRecord> = {}): ServerRecord => ({
  id, serial: id, profile: 'p', rack, bmc: { driver: 'redfish', endpoint: 'https://b', credentialsRef: 'c', tlsPin: null },
  nics: [{ name: 'eth0', mac: `m-${id}`, cabledTo: { switchId: leaf, port: id } }], disks: [],
  state: 'available', stateReason: null, owner: null, tenancyId: null, needsCleaning: false, cleanedAt: null, ...over,
});
const held = (tenancyId: string) => ({ state: 'active' as const, owner: `o-${Math.random()}`, tenancyId, needsCleaning: true });

test.each<[string, ServerRecord[], string]>([
  ['within one rack, the leaf without the tenancy wins', [
    server('a1', 'r1', 'leafA', held('t')), server('a2', 'r1', 'leafA'), server('b1', 'r1', 'leafB')], 'b1'],
  ['the emptier rack beats the emptier leaf', [
    server('a1', 'r1', 'leafA', held('t')), server('b1', 'r1', 'leafB'), server('c1', 'r2', 'leafC', held('t')), server('c2', 'r2', 'leafC'),
    server('d1', 'r3', 'leafD')], 'd1'],
  ['other tenancies do not count', [server('a1', 'r1', 'leafA', held('other')), server('a2', 'r1', 'leafA'), server('b1', 'r2', 'leafB')], 'a2'],
  ['a dirty available server is skipped', [server('a1', 'r1', 'leafA', { needsCleaning: true }), server('a2', 'r1', 'leafA')], 'a2'],
])('%s', (_name, servers, expected) => {
  expect(chooseServer(servers, { profile: 'p', tenancyId: 't' }).id).toBe(expected);
});

test('pinning a dirty available server says it needs a clean', () => {
  expect(() => chooseServer([server('a1', 'r1', 'leafA', { needsCleaning: true })], { profile: 'p', serverId: 'a1' }))
    .toThrow('server "a1" is available but was not cleaned since its last use; clean it first');
});

describe('servers cabled to switch ports another owner holds', () => {
  const servers = [server('a1', 'r1', 'leafA'), server('a2', 'r1', 'leafA')];
  const source = (owners: Record<string, string>) => ({
    listSwitches: async () => [{ id: 'leafA' }],
    listPorts: async () => Object.entries(owners).map(([name, owner]) => ({ name, owner })),
  });

  it('foreignPortHolders names the port, the NIC and the holder; the asking owner\'s own ports do not count', async () => {
    const holders = await foreignPortHolders(source({ a1: 'terraform:maestro_switch_port', a2: 'instance:in-1' }), servers, 'instance:in-1');
    expect([...holders]).toEqual([['a1', 'leafA/a1 (NIC eth0) is held by "terraform:maestro_switch_port"']]);
  });

  it('are skipped by placement, refused when pinned, and named when nothing else is left', async () => {
    const holders = await foreignPortHolders(source({ a1: 'terraform:maestro_switch_port' }), servers, 'instance:in-2');
    expect(chooseServer(servers, { profile: 'p', portHolders: holders }).id).toBe('a2');
    expect(() => chooseServer(servers, { profile: 'p', serverId: 'a1', portHolders: holders }))
      .toThrow('server "a1" cannot be used: leafA/a1 (NIC eth0) is held by "terraform:maestro_switch_port"');
    expect(() => chooseServer([servers[0]], { profile: 'p', portHolders: holders }))
      .toThrow(/no available server of profile "p" \(0 of 1 allocated, 1 available\); 1 available but cabled to ports others hold: a1: leafA\/a1 \(NIC eth0\) is held by "terraform:maestro_switch_port"/);
  });
});
