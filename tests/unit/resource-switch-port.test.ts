// maestro_switch_port against a fake engine client: mapping, normalisation, diagnostics.

import { Diagnostics } from '../../provider-shim/src/framework/diagnostics';
import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import type { PortRequest } from '../../provider-shim/src/resources/engine';
import { switchPort } from '../../provider-shim/src/resources/switch-port';
import { access10, FakePortEngine } from './fake-port-engine';

const state = (v: Partial<ObjectValue>): ObjectValue => ({
  id: 'leaf1/Ethernet1', switch: 'leaf1', port: 'Ethernet1', mode: 'access', access_vlan: 10, allowed_vlans: null,
  native_vlan: null, mtu: 1500, description: '', admin_state: 'up', timeouts: null, ...v,
});

function ctx(client: FakePortEngine) {
  return { client, diags: new Diagnostics(), signal: new AbortController().signal };
}

describe('validateConfig (cross-field rules, no engine)', () => {
  test.each([
    ['allowed_vlans on an access port', state({ allowed_vlans: [10] }), 'allowed_vlans'],
    ['native_vlan on an access port', state({ native_vlan: 10 }), 'native_vlan'],
    ['access port without a VLAN', state({ access_vlan: null }), 'access_vlan'],
    ['trunk without allowed VLANs', state({ mode: 'trunk', access_vlan: null }), 'allowed_vlans'],
    ['access_vlan on a trunk', state({ mode: 'trunk', allowed_vlans: [10] }), 'access_vlan'],
  ])('%s', (_name, config, attribute) => {
    const diags = new Diagnostics();
    switchPort.validateConfig(config, diags);
    expect(diags.items.map((d) => d.attribute)).toEqual([[{ attribute }]]);
  });

  test('a valid trunk passes; defaults stand in for unset optional values', () => {
    const diags = new Diagnostics();
    switchPort.validateConfig(state({ mode: 'trunk', access_vlan: null, allowed_vlans: [10, 20], mtu: null, description: null, admin_state: null }), diags);
    expect(diags.items).toEqual([]);
  });
});

describe('modifyPlan', () => {
  test('engine violations become diagnostics on their attributes', async () => {
    const engine = new FakePortEngine({ violations: () => [{ field: 'port', reason: 'switch leaf1 has no port "Ethernet99"' }] });
    const c = ctx(engine);
    await switchPort.modifyPlan({ ...c, prior: null, config: state({}), planned: state({ port: 'Ethernet99' }) });
    expect(c.diags.items).toEqual([expect.objectContaining({ summary: 'Invalid port', attribute: [{ attribute: 'port' }] })]);
    expect(engine.requests[0][1]).toMatchObject({ switchId: 'leaf1', port: 'Ethernet99', config: access10 });
  });

  test('allowed VLANs are sent sorted and unique', async () => {
    const engine = new FakePortEngine();
    const c = ctx(engine);
    await switchPort.modifyPlan({ ...c, prior: null, config: state({}), planned: state({ mode: 'trunk', access_vlan: null, allowed_vlans: [30, 10, 20] }) });
    expect((engine.requests[0][1] as PortRequest).config.allowedVlans).toEqual([10, 20, 30]);
  });
});

describe('read', () => {
  test('native VLAN 1 on the device keeps the user\'s explicit 1, and null stays null', async () => {
    const engine = new FakePortEngine();
    engine.ports.set('leaf1/Ethernet1', { ...access10, mode: 'trunk', accessVlan: null, allowedVlans: [10], nativeVlan: null });
    const trunk = state({ mode: 'trunk', access_vlan: null, allowed_vlans: [10] });
    const withOne = await switchPort.read({ ...ctx(engine), state: { ...trunk, native_vlan: 1 }, private: {} });
    const withNull = await switchPort.read({ ...ctx(engine), state: trunk, private: {} });
    expect(withOne?.native_vlan).toBe(1);
    expect(withNull?.native_vlan).toBeNull();
  });

  test('a port that no longer exists reads as gone', async () => {
    const res = await switchPort.read({ ...ctx(new FakePortEngine()), state: state({ port: 'Ethernet2' }), private: {} });
    expect(res).toBeNull();
  });

  test('drift on the device shows in the read state', async () => {
    const engine = new FakePortEngine();
    engine.ports.set('leaf1/Ethernet1', { ...access10, accessVlan: 20, adminState: 'down' });
    const res = await switchPort.read({ ...ctx(engine), state: state({}), private: {} });
    expect(res).toMatchObject({ access_vlan: 20, admin_state: 'down' });
  });
});

describe('importState', () => {
  test.each([
    ['leaf1/Ethernet5', { id: 'leaf1/Ethernet5', switch: 'leaf1', port: 'Ethernet5' }],
    ['leaf1/Ethernet49/1', { id: 'leaf1/Ethernet49/1', switch: 'leaf1', port: 'Ethernet49/1' }],
  ])('%s', (id, expected) => {
    expect(switchPort.importState(id, new Diagnostics())).toEqual(expected);
  });

  test.each(['Ethernet5', '/Ethernet5', 'leaf1/', 'Leaf 1/Ethernet5'])('%s is refused with the expected form', (id) => {
    const diags = new Diagnostics();
    expect(switchPort.importState(id, diags)).toBeNull();
    expect(diags.items[0].detail).toMatch(/Expected "<switch>\/<port>"/);
  });
});

test('delete releases the port; a port already gone is not an error', async () => {
  const engine = new FakePortEngine();
  const c = ctx(engine);
  await switchPort.delete({ ...c, prior: state({}), planned: {}, config: {}, private: {}, timeoutMs: 1000 });
  expect(engine.requests.map((r) => r[0])).toEqual(['release', 'apply']);
  expect(c.diags.items).toEqual([]);
});
