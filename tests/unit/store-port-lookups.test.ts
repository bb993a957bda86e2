// SQLite store lookups by switch port: the NIC (and server) cabled to a port, and the owned ones among a set of ports.

import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import { cabledServer, claimPort, importServers } from './engine-servers-fixture';

// Both leaves have Ethernet1 and Ethernet2; leaf2/Ethernet3 and leaf1/Ethernet2 are cabled to nothing; s2's eth1 is not cabled.
const servers = [
  cabledServer('s1', 'p', 1, [['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1']], 'c'),
  cabledServer('s2', 'p', 2, [['leaf2', 'Ethernet2'], null], 'c'),
];

let store: SqliteStore;
beforeEach(async () => {
  store = openSqliteStore(':memory:');
  const sw = (id: string, ports: string[]) => ({ id, dialect: 'eos', host: '127.0.0.1', sshPort: 22, credentialsRef: 'c', hostKey: null, ports });
  await store.importInventory({
    credentials: [{ ref: 'c', blob: Buffer.from('sealed') }],
    segments: [],
    switches: [sw('leaf1', ['Ethernet1', 'Ethernet2']), sw('leaf2', ['Ethernet3', 'Ethernet1', 'Ethernet2'])],
    topology: {
      racks: [{ id: 'r1', site: 'dc1' }], profiles: [{ name: 'p', cpuCores: 1, memoryGib: 1, disks: [], nics: 2 }],
      switchPlacement: [], fabricLinks: [], pools: [], servers,
    },
  });
});
afterEach(() => store.close());

const own = (switchId: string, port: string, owner: string | null) => claimPort(store, switchId, port, owner);

describe('getCabledNic', () => {
  test.each<[string, string, string, string | undefined, string | undefined]>([
    ['a cabled port names its server and NIC', 'leaf1', 'Ethernet1', 's1', 'eth0'],
    ['the same port name on another switch is another NIC', 'leaf2', 'Ethernet1', 's1', 'eth1'],
    ['a second server\'s NIC', 'leaf2', 'Ethernet2', 's2', 'eth0'],
    ['a port cabled to no NIC', 'leaf1', 'Ethernet2', undefined, undefined],
    ['a port cabled to no NIC whose name another switch cables', 'leaf2', 'Ethernet3', undefined, undefined],
    ['a port not in inventory', 'leaf9', 'Ethernet1', undefined, undefined],
  ])('%s', async (_name, switchId, port, serverId, nic) => {
    const found = await store.allocation.getCabledNic({ switchId, port });
    expect(found && [found.server.id, found.nic.name]).toEqual(serverId === undefined ? undefined : [serverId, nic]);
  });

  test('answers the whole server, lifecycle included, as getServer does', async () => {
    await store.allocation.changeServers((all) => ({ write: [{ ...all[1], state: 'allocated', owner: 'instance:in-1' }], result: null }));
    const found = await store.allocation.getCabledNic({ switchId: 'leaf2', port: 'Ethernet2' });
    expect(found?.server).toEqual(await store.allocation.getServer('s2'));
    expect(found?.server.owner).toBe('instance:in-1');
    expect(found?.nic).toEqual({ name: 'eth0', mac: '52:54:00:00:02:00', cabledTo: { switchId: 'leaf2', port: 'Ethernet2' } });
  });

  test('a NIC without cabling is no port\'s answer; its server is found through its cabled NIC', async () => {
    const found = await store.allocation.getCabledNic({ switchId: 'leaf2', port: 'Ethernet2' });
    expect(found?.server.nics.map((n) => [n.name, n.cabledTo])).toEqual([['eth0', { switchId: 'leaf2', port: 'Ethernet2' }], ['eth1', null]]);
    const every = [['leaf1', 'Ethernet1'], ['leaf1', 'Ethernet2'], ['leaf2', 'Ethernet3'], ['leaf2', 'Ethernet1'], ['leaf2', 'Ethernet2']];
    const answers = await Promise.all(every.map(([switchId, port]) => store.allocation.getCabledNic({ switchId, port })));
    expect(answers.flatMap((a) => (a ? [`${a.server.id}/${a.nic.name}`] : []))).toEqual(['s1/eth0', 's1/eth1', 's2/eth0']);
  });

  test('follows recabling on re-import', async () => {
    const moved = [cabledServer('s1', 'p', 1, [['leaf1', 'Ethernet2']], 'c'), servers[1]];
    await importServers(store, ['p'], moved);
    expect(await store.allocation.getCabledNic({ switchId: 'leaf1', port: 'Ethernet1' })).toBeUndefined();
    expect((await store.allocation.getCabledNic({ switchId: 'leaf1', port: 'Ethernet2' }))?.server.id).toBe('s1');
  });
});

describe('listOwnedPorts', () => {
  beforeEach(async () => {
    await own('leaf2', 'Ethernet1', 'instance:in-1');
    await own('leaf1', 'Ethernet1', 'terraform:maestro_switch_port');
    await own('leaf2', 'Ethernet3', 'terraform:maestro_switch_port');
  });

  const owned = async (ports: Array<[string, string]>) =>
    (await store.listOwnedPorts(ports.map(([switchId, port]) => ({ switchId, port })))).map((p) => [p.switchId, p.name, p.owner]);

  test.each<[string, Array<[string, string]>, Array<[string, string, string]>]>([
    ['no ports asked, none answered', [], []],
    ['the same port name on two switches keeps its two owners apart', [['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1']],
      [['leaf1', 'Ethernet1', 'terraform:maestro_switch_port'], ['leaf2', 'Ethernet1', 'instance:in-1']]],
    ['unowned ports are left out', [['leaf1', 'Ethernet2'], ['leaf2', 'Ethernet2'], ['leaf2', 'Ethernet1']], [['leaf2', 'Ethernet1', 'instance:in-1']]],
    ['ports not in inventory are skipped', [['leaf9', 'Ethernet1'], ['leaf1', 'Ethernet9'], ['leaf1', 'Ethernet1']],
      [['leaf1', 'Ethernet1', 'terraform:maestro_switch_port']]],
    ['a port asked twice is answered once', [['leaf1', 'Ethernet1'], ['leaf1', 'Ethernet1']], [['leaf1', 'Ethernet1', 'terraform:maestro_switch_port']]],
    ['ordered by switch, then inventory order', [['leaf2', 'Ethernet1'], ['leaf2', 'Ethernet3'], ['leaf1', 'Ethernet1']], [
      ['leaf1', 'Ethernet1', 'terraform:maestro_switch_port'], ['leaf2', 'Ethernet3', 'terraform:maestro_switch_port'], ['leaf2', 'Ethernet1', 'instance:in-1']]],
  ])('%s', async (_name, ports, expected) => {
    expect(await owned(ports)).toEqual(expected);
  });

  test('a released port is no longer listed', async () => {
    await own('leaf1', 'Ethernet1', null);
    expect(await owned([['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1']])).toEqual([['leaf2', 'Ethernet1', 'instance:in-1']]);
  });

  test('answers a data center\'s worth of ports in one call', async () => {
    const many = Array.from({ length: 40000 }, (_, i) => ({ switchId: `leaf${(i % 2) + 1}`, port: `Ethernet${i % 5}` }));
    expect((await store.listOwnedPorts(many)).map((p) => `${p.switchId}/${p.name}`)).toEqual(['leaf1/Ethernet1', 'leaf2/Ethernet3', 'leaf2/Ethernet1']);
  });

  test('answers with the stored record, as getPort does', async () => {
    const [port] = await store.listOwnedPorts([{ switchId: 'leaf2', port: 'Ethernet1' }]);
    expect(port).toEqual(await store.getPort('leaf2', 'Ethernet1'));
  });
});
