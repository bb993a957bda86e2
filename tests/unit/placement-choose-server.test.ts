// chooseServer's spread rule on its own: fewest same-tenancy servers per rack first, then per leaf, then lowest id.

import { chooseServer } from '../../engine/src/placement';
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
