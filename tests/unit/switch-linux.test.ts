// Unit: the linux dialect's exact commands and parsers, and the driver passing a VNI through (the netns tests run it for real, as root).

import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { CliSwitchDriver, type CommandChannel } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { defaultVni, linux } from '../../engine/src/drivers/switch/linux';

const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...quarantineConfig(999), accessVlan: vlan, ...extra });

describe('linux.configurePort emits exactly', () => {
  test.each([
    ['an access port', access(110), "ip link set dev swp1 master br110 mtu 1500 alias '' up"],
    ['a shut down jumbo port with a description', access(20, { adminState: 'down', mtu: 9000, description: 'db-01 bond0' }), "ip link set dev swp1 master br20 mtu 9000 alias 'db-01 bond0' down"],
    ['a description with quotes and shell characters, quoted literally', access(5, { description: `it's $(id); ok` }), `ip link set dev swp1 master br5 mtu 1500 alias 'it'\\''s $(id); ok' up`],
  ])('%s', (_name, cfg, command) => {
    expect(linux.configurePort('swp1', cfg)).toEqual([command]);
  });

  test('a trunk is one command that reports why it is refused and fails', () => {
    const [command, ...rest] = linux.configurePort('swp1', { ...access(1), mode: 'trunk', accessVlan: null, allowedVlans: [10] });
    expect(rest).toEqual([]);
    expect(command).toMatch(/^if \[ -d \/proc\/net\/vlan \]; then echo "Error: .*"; else echo "Error: trunk ports need 802\.1Q .*"; fi; false$/);
  });
});

describe('linux VLAN commands', () => {
  test('ensureVlan: bridge if missing, VXLAN recreated with the VNI, flooding to every peer, all up', () => {
    expect(linux.ensureVlan(110, 'web', undefined, { vni: 10110 })).toEqual([
      '[ -n "$MAESTRO_VTEP_LOCAL" ] || { echo "Error: this switch has no VXLAN underlay address (MAESTRO_VTEP_LOCAL is not set in its login environment)"; false; }',
      'ip link show dev br110 >/dev/null 2>&1 || ip link add dev br110 type bridge',
      "ip link set dev br110 alias 'web' up",
      '! ip link show dev vx110 >/dev/null 2>&1 || ip link del dev vx110',
      'ip link add dev vx110 type vxlan id 10110 local "$MAESTRO_VTEP_LOCAL" dstport 4789',
      'ip link set dev vx110 master br110 up',
      `echo "$MAESTRO_VTEP_PEERS" | tr , '\\n' | xargs -rI{} bridge fdb append 00:00:00:00:00:00 dev vx110 dst {}`,
    ]);
  });

  test('without a VNI the VLAN id is the VNI', () => {
    expect(defaultVni(120)).toBe(120);
    expect(linux.ensureVlan(120, 'db')).toContain('ip link add dev vx120 type vxlan id 120 local "$MAESTRO_VTEP_LOCAL" dstport 4789');
  });

  test('removeVlan deletes only what is there', () => {
    expect(linux.removeVlan(110)).toEqual(['! ip link show dev vx110 >/dev/null 2>&1 || ip link del dev vx110', '! ip link show dev br110 >/dev/null 2>&1 || ip link del dev br110']);
  });
});

describe('linux parsers', () => {
  const port = (fields: Record<string, unknown>) => JSON.stringify([{ ifindex: 4, ifname: 'swp1', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, linkinfo: { info_kind: 'veth', info_slave_kind: 'bridge' }, ...fields }]);

  test.each([
    ['a port in br110 with an alias', port({ master: 'br110', mtu: 9000, ifalias: 'web-01 eth0' }), access(110, { mtu: 9000, description: 'web-01 eth0' })],
    ['a port that is down (no UP flag; NO-CARRIER alone does not count)', port({ master: 'br999', flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST'] }), access(999, { adminState: 'down' })],
    ['an UP port whose far end is down', port({ master: 'br999', flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP', 'M-DOWN'] }), access(999)],
    ['a port in no bridge', port({}), { ...access(1), accessVlan: null }],
    ['a port in a bridge that is not a VLAN', port({ master: 'mgmt' }), { ...access(1), accessVlan: null }],
  ])('%s', (_name, output, expected) => {
    expect(linux.parsePort(output, 'swp1')).toEqual(expected);
  });

  test.each([
    ['Device "swp99" does not exist.', /the port does not exist on the switch \(Device "swp99" does not exist\.\)/],
    ['[]', /the port does not exist on the switch/],
    [JSON.stringify([{ ifname: 'swp1', linkinfo: { info_kind: 'bridge' } }]), /swp1 is a bridge device of the switch, not a port/],
    ['-bash: ip: command not found', /the switch refused to show the link: -bash: ip: command not found/],
  ])('%j fails with a DeviceError', (output, message) => {
    expect(() => linux.parsePort(output, 'swp1')).toThrow(DeviceError);
    expect(() => linux.parsePort(output, 'swp1')).toThrow(message);
  });

  test('VLANs are the bridges named br<N>', () => {
    const output = JSON.stringify([{ ifname: 'br999' }, { ifname: 'br110' }, { ifname: 'mgmt' }, { ifname: 'br1x' }, { ifname: 'br20' }]);
    expect(linux.parseVlans(output)).toEqual([20, 110, 999]);
  });

  test('iproute2 messages are reported before the exit status line', () => {
    const output = 'Cannot find device "swp99"\ncommand failed: exit status 1';
    const first = linux.errorPatterns.map((p) => p.exec(output)).find((m) => m);
    expect(first?.[0]).toBe('Cannot find device "swp99"');
    expect(linux.errorPatterns.some((p) => p.test('command failed: exit status 2'))).toBe(true);
  });

  test.each(['root@leaf1:~# ', 'root@leaf1:/tmp# ', 'cumulus@sw-01:~$ '])('%j is a prompt', (line) => {
    expect(linux.prompt.test(line)).toBe(true);
  });
});

describe('the driver with the linux dialect', () => {
  function recording(): { channel: CommandChannel; sent: string[] } {
    const sent: string[] = [];
    return { sent, channel: { run: async (command) => (sent.push(command), command.startsWith('ip -j') ? '[]' : ''), close: async () => undefined } };
  }

  test('ensureVlan passes the VNI to the dialect and sends nothing for an invalid one', async () => {
    const { channel, sent } = recording();
    const driver = new CliSwitchDriver(channel, linux, 'leaf1');
    await driver.ensureVlan(110, 'web', { vni: 70000 });
    expect(sent).toContain('ip link add dev vx110 type vxlan id 70000 local "$MAESTRO_VTEP_LOCAL" dstport 4789');
    sent.length = 0;
    await expect(driver.ensureVlan(110, 'web', { vni: 0x1000000 })).rejects.toThrow('leaf1: refusing to send invalid values to the switch: vni: VNI 16777216 is outside 1..16777215');
    expect(sent).toEqual([]);
  });

  test('save sends nothing', async () => {
    const { channel, sent } = recording();
    await new CliSwitchDriver(channel, linux, 'leaf1').save();
    expect(sent).toEqual([]);
  });
});
