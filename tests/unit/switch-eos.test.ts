// Unit: the EOS dialect's exact commands and parsers, VLAN lists, and the driver's input grammar.

import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { CliSwitchDriver, type CommandChannel } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { eos } from '../../engine/src/drivers/switch/eos';
import { ALL_VLANS, formatVlanList, parseVlanList } from '../../engine/src/drivers/switch/vlan-list';

const BASE = quarantineConfig(999);
const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, accessVlan: vlan, ...extra });
const trunk = (allowedVlans: number[], extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, mode: 'trunk', accessVlan: null, allowedVlans, ...extra });

describe('eos.configurePort emits exactly', () => {
  const cases: Array<[string, string, PortConfig, string[]]> = [
    ['an access port (clears any trunk settings)', 'Ethernet1', access(110), [
      'interface Ethernet1', 'no description', 'switchport mode access', 'switchport access vlan 110',
      'no switchport trunk allowed vlan', 'no switchport trunk native vlan', 'mtu 1500', 'no shutdown', 'exit',
    ]],
    ['a trunk with a native VLAN (clears the access VLAN)', 'Ethernet2', trunk([10, 20, 21, 22, 30], { nativeVlan: 10, mtu: 9000, description: 'uplink to spine1' }), [
      'interface Ethernet2', 'description uplink to spine1', 'switchport mode trunk', 'no switchport access vlan',
      'switchport trunk allowed vlan 10,20-22,30', 'switchport trunk native vlan 10', 'mtu 9000', 'no shutdown', 'exit',
    ]],
    ['a trunk on the default native VLAN', 'Ethernet1/1', trunk([5]), [
      'interface Ethernet1/1', 'no description', 'switchport mode trunk', 'no switchport access vlan',
      'switchport trunk allowed vlan 5', 'no switchport trunk native vlan', 'mtu 1500', 'no shutdown', 'exit',
    ]],
    ['a shut down access port with a description', 'Port-Channel10', access(20, { adminState: 'down', description: 'db-01 bond0' }), [
      'interface Port-Channel10', 'description db-01 bond0', 'switchport mode access', 'switchport access vlan 20',
      'no switchport trunk allowed vlan', 'no switchport trunk native vlan', 'mtu 1500', 'shutdown', 'exit',
    ]],
  ];
  test.each(cases)('%s', (_name, port, cfg, expected) => {
    expect(eos.configurePort(port, cfg)).toEqual(expected);
  });

  test('VLAN commands', () => {
    expect(eos.ensureVlan(110, 'web')).toEqual(['vlan 110', 'name web', 'exit']);
    expect(eos.removeVlan(110)).toEqual(['no vlan 110']);
    expect(eos.showPort('Ethernet7')).toBe('show running-config interfaces Ethernet7');
  });
});

describe('VLAN lists', () => {
  const cases: Array<[number[], string]> = [
    [[10], '10'],
    [[10, 11], '10-11'],
    [[30, 10, 20, 21, 22], '10,20-22,30'],
    [[1, 2, 3, 5, 7, 8], '1-3,5,7-8'],
    [[4094, 4093, 4093], '4093-4094'],
    [[...ALL_VLANS], '1-4094'],
  ];
  test.each(cases)('%j compresses to %s and parses back', (vlans, text) => {
    expect(formatVlanList(vlans)).toBe(text);
    expect(parseVlanList(text)).toEqual([...new Set(vlans)].sort((a, b) => a - b));
  });

  test.each(['', '0', '4095', '10-5', 'a', '10,,20', '10-'])('rejects %j', (text) => {
    expect(parseVlanList(text)).toBeNull();
  });

  test('none is the empty list', () => expect(parseVlanList('none')).toEqual([]));
});

describe('eos.parsePort', () => {
  const cases: Array<[string, string[], PortConfig]> = [
    ['a port with every default (access, VLAN 1, MTU 1500, up)', ['interface Ethernet1'], access(1)],
    ['an access port', ['interface Ethernet3', '   description db-01 eth0', '   switchport access vlan 120', '   shutdown'], access(120, { description: 'db-01 eth0', adminState: 'down' })],
    ['a trunk', ['interface Ethernet1', '   description web-01', '   mtu 9000', '   switchport trunk native vlan 10', '   switchport trunk allowed vlan 10,20-22', '   switchport mode trunk', '   shutdown'],
      trunk([10, 20, 21, 22], { description: 'web-01', mtu: 9000, nativeVlan: 10, adminState: 'down' })],
    ['a trunk without an allowed list carries every VLAN', ['interface Ethernet4', '   switchport mode trunk'], trunk([...ALL_VLANS])],
    ['a trunk allowing none', ['interface Ethernet4', '   switchport trunk allowed vlan none', '   switchport mode trunk'], trunk([])],
    ['inactive trunk settings on an access port are ignored', ['interface Ethernet5', '   switchport access vlan 30', '   switchport trunk allowed vlan 40', '   switchport trunk native vlan 40'], access(30)],
    ['inactive access VLAN on a trunk is ignored', ['interface Ethernet6', '   switchport access vlan 30', '   switchport trunk allowed vlan 40', '   switchport mode trunk'], trunk([40])],
    ['a description containing "shutdown"', ['interface Ethernet7', '   description shutdown next week'], access(1, { description: 'shutdown next week' })],
  ];
  test.each(cases)('%s', (_name, lines, expected) => {
    expect(eos.parsePort(lines.join('\n'), 'Ethernet1')).toEqual(expected);
  });

  const failures: Array<[string, string, RegExp]> = [
    ['an invalid-input error', "% Invalid input (at token 3: 'Ethernet99')", /does not exist on the switch/],
    ['empty output', '', /does not exist on the switch/],
    ['another CLI error', '% Authorization denied for command', /refused to show the port: % Authorization denied/],
    ['a routed port', 'interface Ethernet9\n   no switchport', /routed port/],
    ['a garbled allowed list', 'interface Ethernet9\n   switchport trunk allowed vlan 10-x\n   switchport mode trunk', /cannot parse the trunk allowed VLAN list/],
  ];
  test.each(failures)('throws a DeviceError for %s', (_name, output, message) => {
    expect(() => eos.parsePort(output, 'Ethernet9')).toThrow(DeviceError);
    expect(() => eos.parsePort(output, 'Ethernet9')).toThrow(message);
  });
});

test('eos.parseVlans reads ids, skipping headers and continuation lines', () => {
  const output = [
    'VLAN  Name                             Status    Ports',
    '----- -------------------------------- --------- -------------------------------',
    '1     default                          active',
    '10    web                              active    Et1, Et2',
    '999   quarantine                       active    Et3, Et4, Et5, Et6, Et7, Et8,',
    '                                                 Et9, Et10',
    '4094  VLAN4094                         suspended',
  ].join('\n');
  expect(eos.parseVlans(output)).toEqual([1, 10, 999, 4094]);
});

test.each(['leaf1>', 'leaf1#', 'leaf1(config)#', 'leaf1(config-if-Et1)#', 'leaf1(config-if-Et1/1)#', 'leaf-1.dc2(config-vlan-10)# '])('prompt matches %j', (prompt) => {
  expect(eos.prompt.test(prompt)).toBe(true);
});

test.each(['   description leaf1#', 'Copy completed successfully.', 'leaf1# show vlan'])('prompt does not match %j', (line) => {
  expect(eos.prompt.test(line)).toBe(false);
});

describe('the driver refuses bad values before sending anything', () => {
  function driverWithRecorder(): { driver: CliSwitchDriver; sent: string[] } {
    const sent: string[] = [];
    const channel: CommandChannel = {
      run: async (command) => (sent.push(command), ''),
      close: async () => undefined,
    };
    return { driver: new CliSwitchDriver(channel, eos, 'leaf1'), sent };
  }

  const badPorts = ['Ethernet1\nreload', 'Ethernet1; reload', '1Ethernet', 'Ethernet 1', '', 'Ethernet1|include', 'x'.repeat(65)];
  test.each(badPorts)('port name %j', async (port) => {
    const { driver, sent } = driverWithRecorder();
    await expect(driver.configurePorts([{ port, config: access(10) }])).rejects.toThrow(/refusing to send invalid values[\s\S]*is not a port name/);
    await expect(driver.readPorts([port])).rejects.toThrow(/is not a port name/);
    expect(sent).toEqual([]);
  });

  const badDescriptions: Array<[string, RegExp]> = [
    ['web\nreload', /control characters|printable ASCII/],
    ['web\r', /control characters|printable ASCII/],
    ['what?', /except '\?' and '\|'/],
    ['a | b', /except '\?' and '\|'/],
    [' padded', /must not start or end with spaces/],
    ['café', /printable ASCII/],
    ['x'.repeat(241), /at most 240/],
  ];
  test.each(badDescriptions)('description %j', async (description, reason) => {
    const { driver, sent } = driverWithRecorder();
    await expect(driver.configurePorts([{ port: 'Ethernet1', config: access(10, { description }) }])).rejects.toThrow(reason);
    expect(sent).toEqual([]);
  });

  test('one bad change in a batch stops the whole batch, naming the port and field', async () => {
    const { driver, sent } = driverWithRecorder();
    const error = await driver.configurePorts([{ port: 'Ethernet1', config: access(10) }, { port: 'Ethernet2', config: access(5000) }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceError);
    expect((error as DeviceError).retryable).toBe(false);
    expect((error as DeviceError).message).toMatch(/Ethernet2\.access_vlan: VLAN 5000 is outside 1\.\.4094/);
    expect(sent).toEqual([]);
  });

  const badVlans: Array<[number, string, RegExp]> = [
    [0, 'web', /VLAN 0 is outside/],
    [4095, 'web', /VLAN 4095 is outside/],
    [10.5, 'web', /VLAN 10.5 is outside/],
    [10, 'web servers', /VLAN name "web servers"/],
    [10, 'web\nreload', /VLAN name/],
    [10, '', /VLAN name ""/],
  ];
  test.each(badVlans)('VLAN %j named %j', async (vlan, name, reason) => {
    const { driver, sent } = driverWithRecorder();
    await expect(driver.ensureVlan(vlan, name)).rejects.toThrow(reason);
    expect(sent).toEqual([]);
  });
});

test('readPorts turns the switch saying the port is unknown into an error naming the port and switch', async () => {
  const channel: CommandChannel = { run: async () => "% Invalid input (at token 3: 'Ethernet99')", close: async () => undefined };
  const driver = new CliSwitchDriver(channel, eos, 'leaf1');
  const error = (await driver.readPorts(['Ethernet99']).catch((e: unknown) => e)) as DeviceError;
  expect(error).toBeInstanceOf(DeviceError);
  expect(error.message).toBe("leaf1: port Ethernet99: the port does not exist on the switch (% Invalid input (at token 3: 'Ethernet99'))");
  expect(error.device).toBe('leaf1');
  expect(error.sent).toBe('show running-config interfaces Ethernet99');
});

test('configurePorts sends one config block for a batch, then reads each port back', async () => {
  const sent: string[] = [];
  const shown: Record<string, string> = { Ethernet1: 'interface Ethernet1\n   switchport access vlan 10', Ethernet2: 'interface Ethernet2\n   switchport access vlan 20' };
  const channel: CommandChannel = {
    run: async (command) => (sent.push(command), shown[command.split(' ').pop()!] ?? ''),
    close: async () => undefined,
  };
  const driver = new CliSwitchDriver(channel, eos, 'leaf1');
  await driver.configurePorts([{ port: 'Ethernet1', config: access(10) }, { port: 'Ethernet2', config: access(20) }]);
  expect(sent).toEqual([
    'configure',
    ...eos.configurePort('Ethernet1', access(10)),
    ...eos.configurePort('Ethernet2', access(20)),
    'end',
    'show running-config interfaces Ethernet1',
    'show running-config interfaces Ethernet2',
  ]);
});

test('configurePorts fails when a port reads back different from what was sent', async () => {
  const channel: CommandChannel = { run: async (command) => (command.startsWith('show') ? 'interface Ethernet1\n   switchport access vlan 11' : ''), close: async () => undefined };
  const driver = new CliSwitchDriver(channel, eos, 'leaf1');
  await expect(driver.configurePorts([{ port: 'Ethernet1', config: access(10) }])).rejects.toThrow(/port Ethernet1 reads back as .*"accessVlan":11.* after configuring .*"accessVlan":10/);
});

test('read-back compares trunk VLANs as a set, so an unsorted request verifies', async () => {
  const channel: CommandChannel = {
    run: async (command) => (command.startsWith('show') ? 'interface Ethernet2\n   switchport trunk allowed vlan 110,120\n   switchport mode trunk' : ''),
    close: async () => undefined,
  };
  const driver = new CliSwitchDriver(channel, eos, 'leaf1');
  await expect(driver.configurePorts([{ port: 'Ethernet2', config: trunk([120, 110, 120]) }])).resolves.toBeUndefined();
});
