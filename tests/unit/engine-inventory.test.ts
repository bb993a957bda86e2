// Inventory import: every problem reported with its path, all-or-nothing writes, range expansion, encrypted credentials.

import { randomBytes } from 'node:crypto';
import { importInventory, InventoryError, parseInventory } from '../../engine/src/inventory/import';
import { expandPortRange } from '../../engine/src/inventory/port-range';
import { CredentialCipher } from '../../engine/src/store/credential-cipher';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import { INVENTORY, testDialects } from './engine-fixture';

const dialects = testDialects.names();

function problemsOf(source: string): string[] {
  try {
    parseInventory(source, dialects);
  } catch (err) {
    if (err instanceof InventoryError) return err.problems;
    throw err;
  }
  throw new Error('expected the inventory to be rejected');
}

describe('expandPortRange', () => {
  test.each([
    ['Ethernet1-3', ['Ethernet1', 'Ethernet2', 'Ethernet3']],
    ['Ethernet49/1', ['Ethernet49/1']],
    ['Ethernet49/1-2', ['Ethernet49/1', 'Ethernet49/2']],
    ['swp7-7', ['swp7']],
    ['Ethernet1-x', ['Ethernet1-x']],
  ])('%s expands to %j', (entry, expected) => {
    expect(expandPortRange(entry)).toEqual(expected);
  });

  test('Ethernet1-48 is 48 ports in order', () => {
    const ports = expandPortRange('Ethernet1-48');
    expect(ports).toHaveLength(48);
    expect([ports[0], ports[47]]).toEqual(['Ethernet1', 'Ethernet48']);
  });

  test.each([
    ['Ethernet5-2', 'runs backwards'],
    ['Ethernet1-5000', 'at most 1024'],
    ['Ether net1', 'must start with a letter'],
    ['1-4', 'must start with a letter'],
    ['Eth1;reload', 'must start with a letter'],
  ])('%s is rejected (%s)', (entry, message) => {
    expect(() => expandPortRange(entry)).toThrow(message);
  });
});

describe('parseInventory', () => {
  test('a valid file parses with endpoints split and ranges expanded', () => {
    const inv = parseInventory(INVENTORY, dialects);
    expect(inv.switches[0].endpoint).toEqual({ host: '127.0.0.1', port: 2201 });
    expect(inv.switches[0].ports.flat()).toEqual(['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4', 'Ethernet49/1']);
  });

  test('reports every problem in one run, each with its path', () => {
    const broken = `
credentials:
  leaf-admin: { username: admin, password: "" }
segments:
  quarantine: { vlan: 5000 }
  provisioning: { vlan: 998 }
switches:
  - id: leaf1
    dialect: eos
    endpoint: 127.0.0.1:2201
    credentials: leaf-admin
    ports: [Ethernet1-4, Ethernet6, Ethernet7, Ethernet4]
  - id: Leaf/2
    dialect: junos
    endpoint: "nohost:99999"
    credentials: spine-admin
    hostkey: SHA256:x
    ports: [Ethernet9-1]
  - id: leaf1
    dialect: eos
    endpoint: 127.0.0.1:2203
    credentials: leaf-admin
    ports: []
`;
    expect(problemsOf(broken).sort()).toEqual([
      'credentials.leaf-admin.password: password must not be empty',
      'segments.quarantine.vlan: Too big: expected number to be <=4094',
      'switches[0].ports[3]: duplicate port "Ethernet4"',
      'switches[1].credentials: credentials "spine-admin" are not defined under credentials:',
      'switches[1].dialect: unknown dialect "junos"; known: eos, tiny',
      'switches[1].endpoint: endpoint "nohost:99999" must be host:port, e.g. 10.0.0.11:22',
      'switches[1].id: switch id must match [a-z0-9][a-z0-9-]* (lowercase, no "/")',
      'switches[1].ports[0]: range "Ethernet9-1" runs backwards (9 > 1)',
      'switches[1]: Unrecognized key: "hostkey"',
      'switches[2].id: duplicate switch id "leaf1"',
      'switches[2].ports: a switch needs at least one port',
    ]);
  });

  test.each([
    ['an empty file', '', 'inventory: '],
    ['a YAML syntax error', 'switches: [\n', 'yaml: '],
    ['a missing quarantine segment', 'credentials: {}\nsegments: {}\nswitches: []\n', 'segments.quarantine: '],
    ['equal quarantine and provisioning VLANs', 'credentials: {}\nsegments: { quarantine: { vlan: 9 }, provisioning: { vlan: 9 } }\nswitches: []\n',
      'segments.provisioning.vlan: provisioning VLAN must differ from the quarantine VLAN (9)'],
  ])('%s is reported', (_name, source, prefix) => {
    const problems = problemsOf(source);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(prefix)).toBe(true);
  });
});

describe('importInventory', () => {
  let store: SqliteStore;
  const cipher = new CredentialCipher(randomBytes(32));
  const run = (source: string) => importInventory(store, source, { cipher, dialects });

  beforeEach(() => {
    store = openSqliteStore(':memory:');
  });
  afterEach(() => store.close());

  test('writes switches and expanded ports in inventory order', async () => {
    expect(await run(INVENTORY)).toEqual({ credentials: 1, segments: 2, switches: 2, ports: 7, servers: 0 });
    expect(await store.getSwitch('leaf1')).toEqual({
      id: 'leaf1', dialect: 'eos', host: '127.0.0.1', sshPort: 2201, credentialsRef: 'leaf-admin', hostKey: 'SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    });
    expect((await store.listPorts('leaf1')).map((p) => p.name)).toEqual(['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4', 'Ethernet49/1']);
    expect(await store.getSegment('quarantine')).toEqual({ name: 'quarantine', vlan: 999 });
  });

  test('a file with any problem imports nothing, even its valid parts', async () => {
    await run(INVENTORY);
    const changed = INVENTORY.replace('vlan: 999', 'vlan: 777').replace('ports: [Ethernet1-2]', 'ports: [Ethernet1-2, Ethernet2]');
    await expect(run(changed)).rejects.toThrow('switches[1].ports[1]: duplicate port "Ethernet2"');
    expect(await store.getSegment('quarantine')).toEqual({ name: 'quarantine', vlan: 999 });
  });

  test('a rejected first import leaves the store empty', async () => {
    await expect(run(INVENTORY.replace('dialect: tiny', 'dialect: nope'))).rejects.toBeInstanceOf(InventoryError);
    expect(await store.listSwitches()).toEqual([]);
    expect(await store.getCredential('leaf-admin')).toBeUndefined();
  });

  test('re-import is an upsert that keeps port owners', async () => {
    await run(INVENTORY);
    await store.recordChange(
      { at: 'now', who: 'test', what: 'claim', device: 'leaf1', before: null, after: null, result: 'succeeded', jobId: null },
      { switchId: 'leaf1', port: 'Ethernet2', owner: 'terraform:a', desired: null },
    );
    await run(INVENTORY.replace('127.0.0.1:2201', '10.0.0.1:22'));
    expect((await store.getSwitch('leaf1'))?.host).toBe('10.0.0.1');
    expect((await store.getPort('leaf1', 'Ethernet2'))?.owner).toBe('terraform:a');
    expect(await store.listPorts('leaf1')).toHaveLength(5);
  });

  test('credentials are stored encrypted: the raw row does not contain the password', async () => {
    await run(INVENTORY);
    const row = store.db.prepare('SELECT * FROM credentials').get() as { ref: string; blob: Buffer };
    expect(row.ref).toBe('leaf-admin');
    expect(row.blob.includes(Buffer.from('s3cret-leaf-pass'))).toBe(false);
    expect(row.blob.includes(Buffer.from('admin'))).toBe(false);
    expect(cipher.open('leaf-admin', row.blob)).toEqual({ username: 'admin', password: 's3cret-leaf-pass' });
  });

  test('a blob does not open under another key or another ref', async () => {
    await run(INVENTORY);
    const { blob } = (await store.getCredential('leaf-admin'))!;
    expect(() => new CredentialCipher(randomBytes(32)).open('leaf-admin', blob)).toThrow('cannot be decrypted');
    expect(() => cipher.open('other', blob)).toThrow('cannot be decrypted');
  });
});
