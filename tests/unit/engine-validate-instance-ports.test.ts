// ValidateInstance's held-port rule: a server cabled to a switch port another owner holds is refused when pinned and
// skipped (and named) when chosen by profile; the instance's own ports do not count. leaf1 and leaf2 share port names.

import { validateInstance } from '../../engine/src/api/instance-handlers';
import { engineFixture, type Fixture } from './engine-fixture';
import { cabledServer, claimPort, importServers } from './engine-servers-fixture';

const ME = 'in-000000000007';

let fx: Fixture;
beforeEach(async () => {
  fx = await engineFixture();
  await importServers(fx.store, ['p', 'q'], [
    cabledServer('a1', 'p', 1, [['leaf1', 'Ethernet1'], null]), cabledServer('a2', 'p', 2, [['leaf2', 'Ethernet1'], null]),
    cabledServer('b1', 'q', 3, [['leaf1', 'Ethernet2'], null]),
  ]);
  await claimPort(fx.store, 'leaf1', 'Ethernet1', 'terraform:maestro_switch_port');
  await claimPort(fx.store, 'leaf2', 'Ethernet1', `instance:${ME}`);
});
afterEach(() => fx.store.close());

const A1_HELD = 'leaf1/Ethernet1 (NIC eth0) is held by "terraform:maestro_switch_port"';
const A2_HELD = `leaf2/Ethernet1 (NIC eth0) is held by "instance:${ME}"`;

test.each<[string, { profile: string; serverId?: string; id?: string }, Array<[string, string]>]>([
  ['a pinned server on another owner\'s port', { profile: 'p', serverId: 'a1', id: ME },
    [['server_id', `server "a1" cannot be used: ${A1_HELD}; release that port first`]]],
  ['a pinned server on the instance\'s own port', { profile: 'p', serverId: 'a2', id: ME }, []],
  ['the same server for another instance', { profile: 'p', serverId: 'a2', id: 'in-000000000008' },
    [['server_id', `server "a2" cannot be used: ${A2_HELD}; release that port first`]]],
  ['a new instance by profile, every server held', { profile: 'p' },
    [['profile', `no available cleaned server of profile "p": 2 exist (2 available); available but cabled to ports others hold: a1: ${A1_HELD}; a2: ${A2_HELD}`]]],
  ['by profile, one server left for the instance that holds its port', { profile: 'p', id: ME }, []],
  ['another profile on a free port of the same leaf', { profile: 'q' }, []],
  ['a pin of another profile is refused for its profile, not its ports', { profile: 'q', serverId: 'a1' },
    [['server_id', 'server "a1" is of profile "p", not "q"']]],
])('%s', async (_name, req, expected) => {
  const violations = await validateInstance(fx.ctx, req);
  expect(violations.map((v) => [v.field, v.reason])).toEqual(expected);
});
