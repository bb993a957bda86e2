// Inventory of the physical estate: every kind of topology error reported with its path, nothing imported; the example file imports.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importInventory, InventoryError, parseInventory } from '../../engine/src/inventory/import';
import { CredentialCipher } from '../../engine/src/store/credential-cipher';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';

const dialects = ['eos'];
const bmcDrivers = ['redfish'];

const BASE = `
credentials:
  sw: { username: admin, password: pw }
  bmc: { username: root, password: bmc-secret-pw }
sites:
  - { id: dc1, racks: [r1, r2] }
profiles:
  small: { cpu_cores: 8, memory_gib: 32, nics: 1, disks: [{ size_gb: 100, type: ssd }] }
segments:
  quarantine: { vlan: 999 }
  provisioning: { vlan: 998 }
  pools:
    - { name: tenants, vlan_range: [100, 199], vni_range: [10100, 10199], supernet: 10.64.0.0/16, tenancy_prefix: 24 }
switches:
  - { id: leaf1, dialect: eos, endpoint: "10.0.0.11:22", credentials: sw, rack: r1, role: leaf, ports: [Ethernet1-4] }
  - { id: spine1, dialect: eos, endpoint: "10.0.0.1:22", credentials: sw, role: spine, ports: [Ethernet1-2] }
fabric_links:
  - { a: { switch: leaf1, port: Ethernet4 }, b: { switch: spine1, port: Ethernet1 } }
servers:
  - id: s1
    serial: SN1
    profile: small
    rack: r1
    bmc: { driver: redfish, endpoint: "https://10.1.0.1", credentials: bmc, tls_pin: "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89" }
    nics: [{ name: eth0, mac: "52:54:00:AB:CD:01", switch: leaf1, port: Ethernet1 }]
    disks: [{ id: sda, size_gb: 100, type: ssd }]
  - id: s2
    serial: SN2
    profile: small
    rack: r1
    bmc: { driver: redfish, endpoint: "https://10.1.0.2", credentials: bmc }
    nics: [{ name: eth0, mac: "52-54-00-ab-cd-02", switch: leaf1, port: Ethernet2 }]
    disks: [{ id: sda, size_gb: 100, type: ssd }]
`;

function problemsOf(source: string): string[] {
  try {
    parseInventory(source, dialects, bmcDrivers);
  } catch (err) {
    if (err instanceof InventoryError) return err.problems;
    throw err;
  }
  throw new Error('expected the inventory to be rejected');
}

/** Applies literal replacements to BASE, failing loudly when one does not match. */
function edited(...swaps: [string, string][]): string {
  return swaps.reduce((src, [from, to]) => {
    if (!src.includes(from)) throw new Error(`BASE has no ${JSON.stringify(from)}`);
    return src.replace(from, to);
  }, BASE);
}

test('the base file is valid: MACs normalised, pin normalised, ranges as objects', () => {
  const inv = parseInventory(BASE, dialects, bmcDrivers);
  expect(inv.servers.map((s) => s.nics[0].mac)).toEqual(['52:54:00:ab:cd:01', '52:54:00:ab:cd:02']);
  expect(inv.servers[0].bmc.tls_pin).toBe('abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789');
  expect(inv.segments.pools[0].vlan_range).toEqual({ from: 100, to: 199 });
});

test.each<[string, [string, string][], string[]]>([
  ['a duplicate server id', [['id: s2', 'id: s1']], ['servers[1].id: duplicate server id "s1"']],
  ['a duplicate serial', [['serial: SN2', 'serial: SN1']], ['servers[1].serial: serial "SN1" is already used by servers[0].serial']],
  ['a duplicate MAC in another case and separator', [['52-54-00-ab-cd-02', '52-54-00-ab-cd-01']], ['servers[1].nics[0].mac: MAC 52:54:00:ab:cd:01 is already used by servers[0].nics[0].mac']],
  ['a malformed MAC', [['52-54-00-ab-cd-02', '52:54:00:ab:cd']], ['servers[1].nics[0].mac: mac "52:54:00:ab:cd" must be six hex pairs separated by : or -']],
  ['a NIC cabled to an unknown switch', [['switch: leaf1, port: Ethernet2', 'switch: leaf9, port: Ethernet2']], ['servers[1].nics[0].switch: unknown switch "leaf9"']],
  ['a NIC cabled to an unknown port', [['port: Ethernet2 }', 'port: Ethernet7 }']], ['servers[1].nics[0].port: switch "leaf1" has no port "Ethernet7" in inventory']],
  ['two NICs on one port', [['port: Ethernet2 }', 'port: Ethernet1 }']], ['servers[1].nics[0]: port leaf1/Ethernet1 is already cabled to servers[0].nics[0]']],
  ['a NIC on a fabric link port', [['port: Ethernet2 }', 'port: Ethernet4 }']], ['servers[1].nics[0]: port leaf1/Ethernet4 is already cabled to fabric_links[0].a']],
  ['a fabric link to an unknown port', [['port: Ethernet1 } }', 'port: Ethernet9 } }']], ['fabric_links[0].b.port: switch "spine1" has no port "Ethernet9" in inventory']],
  ['a fabric link to an unknown switch', [['{ switch: spine1,', '{ switch: spine9,']], ['fabric_links[0].b.switch: unknown switch "spine9"']],
  ['a NIC with a switch but no port', [['switch: leaf1, port: Ethernet2', 'switch: leaf1']], ['servers[1].nics[0]: a cabled NIC needs both switch and port']],
  ['an unknown profile', [['profile: small\n    rack: r1\n    bmc: { driver: redfish, endpoint: "https://10.1.0.2"', 'profile: huge\n    rack: r1\n    bmc: { driver: redfish, endpoint: "https://10.1.0.2"']],
    ['servers[1].profile: unknown profile "huge"; profiles are declared under profiles:']],
  ['an unknown server rack', [['rack: r1\n    bmc: { driver: redfish, endpoint: "https://10.1.0.2"', 'rack: r7\n    bmc: { driver: redfish, endpoint: "https://10.1.0.2"']],
    ['servers[1].rack: unknown rack "r7"; racks are declared under sites:']],
  ['an unknown switch rack', [['rack: r1, role: leaf', 'rack: r5, role: leaf']], ['switches[0].rack: unknown rack "r5"; racks are declared under sites:']],
  ['an unknown switch role', [['role: leaf', 'role: core']], ['switches[0].role: Invalid option: expected one of "leaf"|"spine"']],
  ['unknown BMC credentials', [['"https://10.1.0.2", credentials: bmc', '"https://10.1.0.2", credentials: nobody']], ['servers[1].bmc.credentials: credentials "nobody" are not defined under credentials:']],
  ['an unknown BMC driver', [['driver: redfish, endpoint: "https://10.1.0.2"', 'driver: ipmi, endpoint: "https://10.1.0.2"']], ['servers[1].bmc.driver: unknown BMC driver "ipmi"; known: redfish']],
  ['a bad BMC endpoint', [['"https://10.1.0.2"', '"10.1.0.2; reboot"']], ['servers[1].bmc.endpoint: BMC endpoint must be a URL like https://10.0.0.5 or https://bmc-r01-01:8443']],
  ['a bad TLS pin', [['tls_pin: "AB:CD:EF:01', 'tls_pin: "ZZ:CD:EF:01']], ['servers[0].bmc.tls_pin: tls_pin must be a SHA-256 fingerprint (64 hex digits, colons optional)']],
  ['too few NICs for the profile', [['nics: 1,', 'nics: 2,']], [
    'servers[0].nics: profile "small" needs 2 NIC(s); this server lists 1', 'servers[1].nics: profile "small" needs 2 NIC(s); this server lists 1']],
  ['a duplicate rack', [['racks: [r1, r2]', 'racks: [r1, r2, r1]']], ['sites[0].racks[2]: duplicate rack id "r1"']],
  ['a VLAN range containing the quarantine VLAN', [['vlan_range: [100, 199]', 'vlan_range: [999, 1010]']], ['segments.pools[0].vlan_range: 999-1010 contains the quarantine VLAN 999']],
  ['a VLAN range containing the provisioning VLAN', [['vlan_range: [100, 199]', 'vlan_range: [990, 998]']], ['segments.pools[0].vlan_range: 990-998 contains the provisioning VLAN 998']],
  ['a backwards range', [['vni_range: [10100, 10199]', 'vni_range: [10199, 10100]']], ['segments.pools[0].vni_range: vni_range [from, to] must have from <= to']],
  ['an invalid CIDR', [['supernet: 10.64.0.0/16', 'supernet: 10.64.0.300/16']], ['segments.pools[0].supernet: "10.64.0.300/16" is not an IPv4 CIDR like 10.0.0.0/24']],
  ['a CIDR with host bits', [['supernet: 10.64.0.0/16', 'supernet: 10.64.0.1/16']], ['segments.pools[0].supernet: "10.64.0.1/16" has host bits set; the block is 10.64.0.0/16']],
  ['a tenancy prefix larger than the supernet', [['tenancy_prefix: 24', 'tenancy_prefix: 12']], ['segments.pools[0].tenancy_prefix: tenancy_prefix /12 is larger than the supernet 10.64.0.0/16']],
  ['a supernet containing a management address', [['supernet: 10.64.0.0/16', 'supernet: 10.0.0.0/8']], [
    'segments.pools[0].supernet: 10.0.0.0/8 contains the management address at switches[0].endpoint',
    'segments.pools[0].supernet: 10.0.0.0/8 contains the management address at switches[1].endpoint',
    'segments.pools[0].supernet: 10.0.0.0/8 contains the management address at servers[0].bmc.endpoint',
    'segments.pools[0].supernet: 10.0.0.0/8 contains the management address at servers[1].bmc.endpoint',
  ]],
])('%s is reported with its path', (_name, swaps, expected) => {
  expect(problemsOf(edited(...swaps)).sort()).toEqual([...expected].sort());
});

test('overlapping pools are reported on the later pool, each kind once', () => {
  const second = '    - { name: tenants, vlan_range: [150, 160], vni_range: [10199, 10300], supernet: 10.64.128.0/17, tenancy_prefix: 24 }\n';
  expect(problemsOf(edited(['switches:\n', `${second}switches:\n`])).sort()).toEqual([
    'segments.pools[1].name: duplicate pool name "tenants"',
    'segments.pools[1].supernet: 10.64.128.0/17 overlaps segments.pools[0].supernet (10.64.0.0/16)',
    'segments.pools[1].vlan_range: 150-160 overlaps segments.pools[0].vlan_range (100-199)',
    'segments.pools[1].vni_range: 10199-10300 overlaps segments.pools[0].vni_range (10100-10199)',
  ]);
});

test('problems in several sections are all reported in one run', () => {
  const problems = problemsOf(edited(['serial: SN2', 'serial: SN1'], ['role: leaf', 'role: core'], ['tenancy_prefix: 24', 'tenancy_prefix: 31']));
  expect(problems).toHaveLength(3);
});

describe('import', () => {
  let store: SqliteStore;
  const cipher = new CredentialCipher(randomBytes(32));
  const run = (source: string) => importInventory(store, source, { cipher, dialects, bmcDrivers });

  beforeEach(() => {
    store = openSqliteStore(':memory:');
  });
  afterEach(() => store.close());

  test('writes racks, profiles, servers with cabling, switch placement, fabric links and pools', async () => {
    expect(await run(BASE)).toMatchObject({ switches: 2, servers: 2 });
    const a = store.allocation;
    expect(await a.listRacks()).toEqual([{ id: 'r1', site: 'dc1' }, { id: 'r2', site: 'dc1' }]);
    expect(await a.listProfiles()).toEqual([{ name: 'small', cpuCores: 8, memoryGib: 32, nics: 1, disks: [{ sizeGb: 100, type: 'ssd' }] }]);
    expect(await a.getServer('s2')).toEqual({
      id: 's2', serial: 'SN2', profile: 'small', rack: 'r1',
      bmc: { driver: 'redfish', endpoint: 'https://10.1.0.2', credentialsRef: 'bmc', tlsPin: null },
      nics: [{ name: 'eth0', mac: '52:54:00:ab:cd:02', cabledTo: { switchId: 'leaf1', port: 'Ethernet2' } }],
      disks: [{ id: 'sda', sizeGb: 100, type: 'ssd' }],
      state: 'available', stateReason: null, owner: null, tenancyId: null, needsCleaning: false, cleanedAt: null,
    });
    expect(await a.listSwitchPlacement()).toEqual([{ switchId: 'leaf1', rack: 'r1', role: 'leaf' }, { switchId: 'spine1', rack: null, role: 'spine' }]);
    expect(await a.listFabricLinks()).toEqual([{ a: { switchId: 'leaf1', port: 'Ethernet4' }, b: { switchId: 'spine1', port: 'Ethernet1' } }]);
    expect(await a.listPools()).toEqual([{ name: 'tenants', vlan: { from: 100, to: 199 }, vni: { from: 10100, to: 10199 }, supernet: '10.64.0.0/16', tenancyPrefix: 24 }]);
  });

  test('BMC credentials are sealed like switch credentials', async () => {
    await run(BASE);
    const { blob } = (await store.getCredential('bmc'))!;
    expect(blob.includes(Buffer.from('bmc-secret-pw'))).toBe(false);
    expect(cipher.open('bmc', blob)).toEqual({ username: 'root', password: 'bmc-secret-pw' });
  });

  test('a file with a topology problem imports nothing at all', async () => {
    await expect(run(edited(['serial: SN2', 'serial: SN1']))).rejects.toBeInstanceOf(InventoryError);
    expect(await store.listSwitches()).toEqual([]);
    expect(await store.allocation.listServers()).toEqual([]);
  });

  test('re-import keeps lifecycle state and follows re-cabling', async () => {
    await run(BASE);
    store.db.prepare("UPDATE servers SET state = 'active', owner = 'inst-1' WHERE id = 's1'").run();
    await run(edited(['port: Ethernet1 }]', 'port: Ethernet3 }]']));
    expect(await store.allocation.getServer('s1')).toMatchObject({ state: 'active', owner: 'inst-1', nics: [{ cabledTo: { switchId: 'leaf1', port: 'Ethernet3' } }] });
  });

  test('the example data-center inventory validates and imports', async () => {
    const source = readFileSync(join(__dirname, '../../examples/inventory/datacenter.yaml'), 'utf8');
    expect(await importInventory(store, source, { cipher, dialects })).toMatchObject({ switches: 3, servers: 12, credentials: 2 });
    const servers = await store.allocation.listServers();
    expect(servers.filter((s) => s.profile === 'gpu-large')).toHaveLength(8);
    expect(new Set(servers.map((s) => s.rack))).toEqual(new Set(['r01', 'r02']));
  });
});
