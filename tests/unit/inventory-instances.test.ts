// Inventory additions for instances: images, a server's os: block and key-only credentials; every bad input names its path;
// import persists them (images upserted, os access on the server record, private key sealed).

import { randomBytes } from 'node:crypto';
import { importInventory, InventoryError, parseInventory } from '../../engine/src/inventory/import';
import { CredentialCipher } from '../../engine/src/store/credential-cipher';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';

const dialects = ['eos'];
const bmcDrivers = ['redfish'];

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAAAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5\n-----END OPENSSH PRIVATE KEY-----\n';

const BASE = `
credentials:
  sw: { username: admin, password: pw }
  bmc: { username: root, password: bmc-secret-pw }
  os-key:
    username: maestro
    private_key: ${JSON.stringify(KEY)}
sites:
  - { id: dc1, racks: [r1] }
profiles:
  small: { cpu_cores: 8, memory_gib: 32, nics: 1 }
segments:
  quarantine: { vlan: 999 }
switches:
  - { id: leaf1, dialect: eos, endpoint: "10.0.0.11:22", credentials: sw, rack: r1, role: leaf, ports: [Ethernet1-4] }
images:
  debian-12: { url: "https://images.example/debian-12.iso", install_timeout_s: 600 }
  alma-9: { url: "http://10.9.0.1:8080/alma.iso" }
servers:
  - id: s1
    serial: SN1
    profile: small
    rack: r1
    bmc: { driver: redfish, endpoint: "https://10.1.0.1", credentials: bmc }
    nics:
      - { name: eno1, mac: "52:54:00:ab:cd:00" }
      - { name: eth0, mac: "52:54:00:ab:cd:01", switch: leaf1, port: Ethernet1 }
    os:
      endpoint: "198.18.0.4"
      credentials: os-key
      host_key: "SHA256:abcDEF+/0123"
      root_dir: /var/lib/lab/s1/disk0
  - id: s2
    serial: SN2
    profile: small
    rack: r1
    bmc: { driver: redfish, endpoint: "https://10.1.0.2", credentials: bmc }
    nics: [{ name: eth0, mac: "52:54:00:ab:cd:02", switch: leaf1, port: Ethernet2 }]
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

function edited(...swaps: [string, string][]): string {
  return swaps.reduce((src, [from, to]) => {
    if (!src.includes(from)) throw new Error(`BASE has no ${JSON.stringify(from)}`);
    return src.replace(from, to);
  }, BASE);
}

test('the base file is valid: default install timeout, canonical os endpoint, key-only credentials', () => {
  const inv = parseInventory(BASE, dialects, bmcDrivers);
  expect(inv.images).toEqual({
    'debian-12': { url: 'https://images.example/debian-12.iso', install_timeout_s: 600 },
    'alma-9': { url: 'http://10.9.0.1:8080/alma.iso', install_timeout_s: 900 },
  });
  expect(inv.servers[0].os).toEqual({ endpoint: '198.18.0.4:22', credentials: 'os-key', host_key: 'SHA256:abcDEF+/0123', root_dir: '/var/lib/lab/s1/disk0' });
  expect(inv.credentials['os-key']).toEqual({ username: 'maestro', private_key: KEY });
});

test('a file without images or os blocks is still valid', () => {
  const src = BASE.replace(/images:\n(  .*\n)+/, '').replace(/    os:\n(      .*\n)+/, '');
  const inv = parseInventory(src, dialects, bmcDrivers);
  expect(inv.images).toEqual({});
  expect(inv.servers[0].os).toBeUndefined();
});

test.each<[string, [string, string][], string[]]>([
  ['an image url that is not http(s)', [['https://images.example/debian-12.iso', 'ftp://images.example/d.iso']],
    ['images.debian-12.url: url "ftp://images.example/d.iso" must be an absolute http:// or https:// URL without spaces or quotes']],
  ['an image url that is not a URL', [['https://images.example/debian-12.iso', 'debian.iso']],
    ['images.debian-12.url: url "debian.iso" must be an absolute http:// or https:// URL without spaces or quotes']],
  ['an image url with a space', [['https://images.example/debian-12.iso', 'https://images.example/a b.iso']],
    ['images.debian-12.url: url "https://images.example/a b.iso" must be an absolute http:// or https:// URL without spaces or quotes']],
  ['a zero install timeout', [['install_timeout_s: 600', 'install_timeout_s: 0']], ['images.debian-12.install_timeout_s: install_timeout_s must be a positive number of seconds']],
  ['an unknown image field', [['install_timeout_s: 600', 'install_timeout_s: 600, checksum: abc']], ['images.debian-12: Unrecognized key: "checksum"']],
  ['a bad image name', [['debian-12:', 'Debian_12:']], ['images.Debian_12: image names must match [a-z0-9][a-z0-9-]*']],
  ['an os endpoint that is not host:port', [['endpoint: "198.18.0.4"', 'endpoint: "198.18.0.4:99999"']],
    ['servers[0].os.endpoint: endpoint "198.18.0.4:99999" must be host:port, e.g. 198.18.0.4:22']],
  ['os credentials not defined', [['credentials: os-key', 'credentials: nope']], ['servers[0].os.credentials: credentials "nope" are not defined under credentials:']],
  ['an os interface that is not a NIC of the server', [['credentials: os-key\n', 'credentials: os-key\n      interface: eth9\n']],
    ['servers[0].os.interface: interface "eth9" is not one of this server\'s NICs (eno1, eth0)']],
  ['an os interface with shell syntax', [['credentials: os-key\n', 'credentials: os-key\n      interface: "eth0;reboot"\n']],
    ['servers[0].os.interface: "eth0;reboot" is not a valid interface name: 1..15 letters, digits, "_", "." or "-", starting with a letter or digit']],
  ['a bad os host key', [['SHA256:abcDEF+/0123', 'md5:aa:bb']], ['servers[0].os.host_key: host_key must be an OpenSSH fingerprint like SHA256:AbC...']],
  ['a relative root_dir', [['root_dir: /var/lib/lab/s1/disk0', 'root_dir: lab/../s1']],
    ['servers[0].os.root_dir: "lab/../s1" must be an absolute path of letters, digits, ".", "_", "-" and "/", without ".."']],
  ['an unknown os field', [['credentials: os-key\n', 'credentials: os-key\n      user: root\n']], ['servers[0].os: Unrecognized key: "user"']],
  ['credentials with neither password nor key', [['  os-key:\n', '  empty: { username: x }\n  os-key:\n']],
    ['credentials.empty: credentials need a password or a private_key']],
  ['a private key that is not a key', [[JSON.stringify(KEY), '"ssh-ed25519 AAAA me@host"']],
    ['credentials.os-key.private_key: private_key must be a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY----- ... -----END ... PRIVATE KEY-----)']],
  ['a switch using key-only credentials', [['credentials: sw, rack', 'credentials: os-key, rack']],
    ['switches[0].credentials: credentials "os-key" have no password; switches log in with a password']],
  ['a BMC using key-only credentials', [['endpoint: "https://10.1.0.2", credentials: bmc', 'endpoint: "https://10.1.0.2", credentials: os-key']],
    ['servers[1].bmc.credentials: credentials "os-key" have no password; BMCs log in with a password']],
])('%s is reported with its path', (_what, swaps, expected) => {
  expect(problemsOf(edited(...swaps))).toEqual(expected);
});

test('every problem of a file is reported in one run', () => {
  const problems = problemsOf(edited(
    ['https://images.example/debian-12.iso', 'file:///d.iso'],
    ['credentials: os-key\n', 'credentials: nope\n      interface: eth7\n'],
  ));
  expect(problems).toEqual(expect.arrayContaining([
    expect.stringMatching(/^images\.debian-12\.url: /),
    'servers[0].os.credentials: credentials "nope" are not defined under credentials:',
    'servers[0].os.interface: interface "eth7" is not one of this server\'s NICs (eno1, eth0)',
  ]));
});

describe('import', () => {
  let store: SqliteStore;
  const cipher = new CredentialCipher(randomBytes(32));
  beforeEach(() => (store = openSqliteStore(':memory:')));
  afterEach(() => store.close());

  test('images and the os block are persisted; the interface defaults to the first cabled NIC', async () => {
    const summary = await importInventory(store, BASE, { cipher, dialects, bmcDrivers });
    expect(summary.images).toBe(2);
    expect(await store.listImages()).toEqual([
      { name: 'alma-9', url: 'http://10.9.0.1:8080/alma.iso', installTimeoutS: 900 },
      { name: 'debian-12', url: 'https://images.example/debian-12.iso', installTimeoutS: 600 },
    ]);
    expect(await store.getImage('debian-12')).toEqual({ name: 'debian-12', url: 'https://images.example/debian-12.iso', installTimeoutS: 600 });
    expect(await store.getImage('nope')).toBeUndefined();
    const s1 = await store.allocation.getServer('s1');
    expect(s1?.os).toEqual({ endpoint: '198.18.0.4:22', credentialsRef: 'os-key', hostKey: 'SHA256:abcDEF+/0123', interface: 'eth0', rootDir: '/var/lib/lab/s1/disk0' });
    expect((await store.allocation.getServer('s2'))?.os).toBeUndefined();
  });

  test('the private key is sealed; openOs returns it, open refuses a key-only entry', async () => {
    await importInventory(store, BASE, { cipher, dialects, bmcDrivers });
    const cred = (await store.getCredential('os-key'))!;
    expect(cred.blob.includes(Buffer.from('OPENSSH'))).toBe(false);
    expect(cipher.openOs(cred.ref, cred.blob)).toEqual({ username: 'maestro', privateKey: KEY });
    expect(() => cipher.open(cred.ref, cred.blob)).toThrow('credentials "os-key" have no password (only a private_key)');
    const bmc = (await store.getCredential('bmc'))!;
    expect(cipher.open(bmc.ref, bmc.blob)).toEqual({ username: 'root', password: 'bmc-secret-pw' });
  });

  test('re-import updates images and os access, keeps images missing from the file, and removes an os block that went away', async () => {
    await importInventory(store, BASE, { cipher, dialects, bmcDrivers });
    const next = edited(['install_timeout_s: 600', 'install_timeout_s: 1200'], ['  alma-9: { url: "http://10.9.0.1:8080/alma.iso" }\n', ''])
      .replace(/    os:\n(      .*\n)+/, '');
    await importInventory(store, next, { cipher, dialects, bmcDrivers });
    expect((await store.listImages()).map((i) => [i.name, i.installTimeoutS])).toEqual([['alma-9', 900], ['debian-12', 1200]]);
    expect((await store.allocation.getServer('s1'))?.os).toBeUndefined();
  });

  test('an explicit os interface is kept', async () => {
    await importInventory(store, edited(['credentials: os-key\n', 'credentials: os-key\n      interface: eno1\n']), { cipher, dialects, bmcDrivers });
    expect((await store.allocation.getServer('s1'))?.os?.interface).toBe('eno1');
  });
});
