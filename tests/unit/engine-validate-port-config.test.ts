// ValidatePortConfig: inventory lookups, ownership and the dialect's description limit, as field violations; no device access.

import { validatePortConfig } from '../../engine/src/api/port-handlers';
import type { PortConfig } from '../../engine/src/domain/port-config';
import { engineFixture, type Fixture } from './engine-fixture';

const access: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' };
const trunk: PortConfig = { mode: 'trunk', accessVlan: null, allowedVlans: [10, 20], nativeVlan: null, mtu: 9000, description: '', adminState: 'up' };

let fx: Fixture;
beforeEach(async () => {
  fx = await engineFixture();
  await fx.store.recordChange(
    { at: 'now', who: 'admin', what: 'claim', device: 'leaf1', before: null, after: null, result: 'succeeded', jobId: null },
    { switchId: 'leaf1', port: 'Ethernet2', owner: 'terraform:other', desired: access },
  );
});
afterEach(() => fx.store.close());

type Case = [name: string, switchId: string, port: string, config: PortConfig, owner: string, fields: string[]];

const cases: Case[] = [
  ['a valid access port', 'leaf1', 'Ethernet1', access, 'me', []],
  ['a valid trunk port', 'leaf1', 'Ethernet49/1', trunk, 'me', []],
  ['an unknown switch (nothing else is checked)', 'spine9', 'Ethernet1', { ...access, mtu: 1 }, 'me', ['switch']],
  ['an unknown port plus a config error', 'leaf1', 'Ethernet77', { ...access, mtu: 1 }, 'me', ['port', 'mtu']],
  ['a port owned by someone else', 'leaf1', 'Ethernet2', access, 'me', ['port']],
  ['the port\'s own owner', 'leaf1', 'Ethernet2', access, 'terraform:other', []],
  ['no owner given (plan time)', 'leaf1', 'Ethernet2', access, '', []],
  ['access without a VLAN', 'leaf1', 'Ethernet1', { ...access, accessVlan: null }, 'me', ['access_vlan']],
  ['trunk without allowed VLANs and a bad native VLAN', 'leaf1', 'Ethernet1', { ...trunk, allowedVlans: null, nativeVlan: 0 }, 'me', ['allowed_vlans', 'native_vlan']],
  ['a bad mode and admin state', 'leaf1', 'Ethernet1', { ...access, mode: 'hybrid' as never, adminState: 'off' as never }, 'me', ['mode', 'admin_state']],
  ['a description within eos\'s limit', 'leaf1', 'Ethernet1', { ...access, description: 'x'.repeat(240) }, 'me', []],
  ['a description over the tiny dialect\'s limit', 'leaf2', 'Ethernet1', { ...access, description: 'x'.repeat(11) }, 'me', ['description']],
];

test.each(cases)('%s', async (_name, switchId, port, config, owner, fields) => {
  const violations = await validatePortConfig(fx.ctx, { switchId, port, config, owner });
  expect(violations.map((v) => v.field)).toEqual(fields);
  for (const v of violations) expect(v.reason).not.toBe('');
});

test('reasons say what to do', async () => {
  expect(await validatePortConfig(fx.ctx, { switchId: 'leaf1', port: 'Ethernet2', config: access, owner: 'me' })).toEqual([
    { field: 'port', reason: 'port leaf1/Ethernet2 is owned by "terraform:other"; release it first (ReleasePort) or apply as that owner' },
  ]);
  expect(await validatePortConfig(fx.ctx, { switchId: 'leaf2', port: 'Ethernet1', config: { ...access, description: 'x'.repeat(11) }, owner: 'me' })).toEqual([
    { field: 'description', reason: 'description is 11 characters; this switch allows at most 10' },
  ]);
});

test('never opens a device session', async () => {
  for (const [, switchId, port, config, owner] of cases) await validatePortConfig(fx.ctx, { switchId, port, config, owner });
  expect([...fx.switches.values()].flatMap((s) => s.endpoints)).toEqual([]);
});
