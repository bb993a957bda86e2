// Unit: every SshOsDriver operation refuses invalid input with OsError `invalid-input` before connecting.

import { OsError, type OsDriver } from '../../engine/src/drivers/os/os-driver';
import { createSshOsDriver } from '../../engine/src/drivers/os/ssh';

/** Port 1 on loopback: had the driver tried to connect, the error would be `connection`, not `invalid-input`. */
const options = { device: 'srv-1', host: '127.0.0.1', port: 1, username: 'root', password: 'unused', connectTimeoutMs: 1_000 };

describe('SshOsDriver input checks', () => {
  const driver = createSshOsDriver(options);
  afterAll(() => driver.close());

  test.each<[string, (d: OsDriver) => Promise<unknown>, string]>([
    ['a hostname with a command', (d) => d.setHostname('web;reboot'), 'hostname: "web;reboot" is not a valid host name'],
    ['a user name with a path', (d) => d.setAuthorizedKeys('../root', []), 'user: "../root" is not a valid user name'],
    ['a key with a forced command', (d) => d.setAuthorizedKeys('root', ['command="sh" ssh-ed25519 AAAA']), 'ssh_keys[0]: not a valid SSH public key'],
    ['an interface with arguments', (d) => d.configureAddress({ interface: 'eth0 up', address: '10.0.0.2/24' }), 'interface: "eth0 up" is not a valid interface name'],
    ['an address without prefix', (d) => d.configureAddress({ interface: 'eth0', address: '10.0.0.2' }), 'address: "10.0.0.2" is not an address with prefix length'],
    ['a gateway of the other family', (d) => d.configureAddress({ interface: 'eth0', address: '10.0.0.2/24', gateway: '2001:db8::1' }), 'gateway: "2001:db8::1" is not a valid gateway'],
  ])('refuses %s', async (_why, call, reason) => {
    const error = await call(driver).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OsError);
    expect(error).toMatchObject({ code: 'invalid-input', retryable: false, device: 'srv-1' });
    expect((error as OsError).message).toContain(`srv-1: refusing invalid input: ${reason}`);
    expect(driver.hostKeyFingerprint).toBeUndefined();
  });

  test('lists every violation of one call', async () => {
    const error = (await driver.setAuthorizedKeys('Bad User', ['x', 'y']).catch((e: unknown) => e)) as OsError;
    expect(error.message.match(/user:|ssh_keys\[\d\]:/g)).toEqual(['user:', 'ssh_keys[0]:', 'ssh_keys[1]:']);
  });

  test('a root directory outside the grammar is refused when the driver is created', () => {
    expect(() => createSshOsDriver({ ...options, rootDir: '/srv/../etc' })).toThrow(OsError);
  });
});
