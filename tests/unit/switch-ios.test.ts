// Unit: the IOS dialect's exact commands, limits and parsers, and the simulated IOS CLI (enable secret, caret errors).

import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { ios } from '../../engine/src/drivers/switch/ios';
import { createIosCli } from '../../lab/src/ssh-switch/ios';
import { SwitchState } from '../../lab/src/ssh-switch/state';

const BASE = quarantineConfig(999);
const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, accessVlan: vlan, ...extra });
const trunk = (allowedVlans: number[], extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, mode: 'trunk', accessVlan: null, allowedVlans, ...extra });

describe('ios.configurePort emits exactly', () => {
  const cases: Array<[string, PortConfig, string[]]> = [
    ['an access port (trunk settings cleared)', access(110, { description: 'web-01 eth0' }), [
      'interface GigabitEthernet1/0/1', 'description web-01 eth0', 'switchport mode access', 'switchport access vlan 110',
      'no switchport trunk allowed vlan', 'no switchport trunk native vlan', 'mtu 1500', 'no shutdown', 'exit',
    ]],
    ['a jumbo trunk with a native VLAN (access VLAN cleared)', trunk([10, 20, 21, 22], { nativeVlan: 10, mtu: 9000, adminState: 'down' }), [
      'interface GigabitEthernet1/0/1', 'no description', 'switchport mode trunk', 'no switchport access vlan',
      'switchport trunk allowed vlan 10,20-22', 'switchport trunk native vlan 10', 'mtu 9000', 'shutdown', 'exit',
    ]],
  ];
  test.each(cases)('%s', (_name, cfg, expected) => expect(ios.configurePort('GigabitEthernet1/0/1', cfg)).toEqual(expected));

  test('session, VLAN and save commands', () => {
    expect(ios.sessionSetup).toEqual(['enable', 'terminal length 0']);
    expect([ios.enterConfig, ios.exitConfig, ios.save]).toEqual([['configure terminal'], ['end'], ['write memory']]);
    expect(ios.ensureVlan(110, 'web')).toEqual(['vlan 110', 'name web', 'exit']);
    expect(ios.removeVlan(110)).toEqual(['no vlan 110']);
    expect(ios.showPort('Gi1/0/7')).toBe('show running-config interface Gi1/0/7');
  });
});

test.each([[1500, 0], [9198, 0], [1400, 1], [9216, 1]])('ios.portViolations: MTU %d -> %d violation(s)', (mtu, count) => {
  expect(ios.portViolations!(access(10, { mtu }))).toHaveLength(count);
});

describe('ios.parsePort', () => {
  const trunkOutput = [
    'Building configuration...',
    '',
    'Current configuration : 251 bytes',
    '!',
    'interface GigabitEthernet1/0/1',
    ' description uplink to dist1',
    ' switchport access vlan 30',
    ' switchport trunk native vlan 10',
    ' switchport trunk allowed vlan 10,20-22',
    ' switchport trunk allowed vlan add 40,50-51',
    ' switchport mode trunk',
    ' mtu 9000',
    ' spanning-tree portfast trunk',
    'end',
  ].join('\n');
  const cases: Array<[string, string, PortConfig]> = [
    ['a trunk (add lines joined, inactive access VLAN ignored)', trunkOutput, trunk([10, 20, 21, 22, 40, 50, 51], { nativeVlan: 10, mtu: 9000, description: 'uplink to dist1' })],
    ['a shut down access port', 'Building configuration...\n\nCurrent configuration : 96 bytes\n!\ninterface GigabitEthernet1/0/2\n switchport access vlan 120\n switchport mode access\n shutdown\nend', access(120, { adminState: 'down' })],
    ['a port without a switchport mode line (dynamic, not trunking)', '!\ninterface GigabitEthernet1/0/3\nend', access(1)],
    ['a trunk allowing none', '!\ninterface GigabitEthernet1/0/4\n switchport trunk allowed vlan none\n switchport mode trunk\nend', trunk([])],
  ];
  test.each(cases)('%s', (_name, output, expected) => expect(ios.parsePort(output, 'GigabitEthernet1/0/1')).toEqual(expected));

  const failures: Array<[string, string, RegExp]> = [
    ['invalid input (unknown port)', "                                                 ^\n% Invalid input detected at '^' marker.", /does not exist on the switch \(% Invalid input detected/],
    ['a routed port', '!\ninterface GigabitEthernet1/0/5\n no switchport\n ip address 10.0.0.1 255.255.255.0\nend', /routed port/],
  ];
  test.each(failures)('throws a DeviceError for %s', (_name, output, message) => {
    expect(() => ios.parsePort(output, 'GigabitEthernet1/0/9')).toThrow(DeviceError);
    expect(() => ios.parsePort(output, 'GigabitEthernet1/0/9')).toThrow(message);
  });
});

test('ios.parseVlans leaves out the legacy FDDI/Token Ring VLANs', () => {
  const output = [
    'VLAN Name                             Status    Ports',
    '---- -------------------------------- --------- -------------------------------',
    '1    default                          active    Gi1/0/1, Gi1/0/2',
    '110  web                              active',
    '1002 fddi-default                     act/unsup',
    '1003 token-ring-default               act/unsup',
    '1004 fddinet-default                  act/unsup',
    '1005 trnet-default                    act/unsup',
  ].join('\n');
  expect(ios.parseVlans(output)).toEqual([1, 110]);
});

test.each([
  ["% Invalid input detected at '^' marker.", true],
  ['% Incomplete command.', true],
  ['% Ambiguous command:  "sh v"', true],
  ['%Default VLAN 1 may not be deleted.', true],
  ['Command rejected: An interface whose trunk encapsulation is "Auto" can not be configured to "trunk" mode.', true],
  ['% Access VLAN does not exist. Creating vlan 30', false],
  ['% Applying VLAN changes may take few minutes.  Please do not interrupt.', false],
  ['[OK]', false],
])('error pattern on %j: %s', (line, isError) => expect(ios.errorPatterns.some((p) => p.test(line))).toBe(isError));

test.each(['Switch>', 'Switch#', 'Switch(config)#', 'Switch(config-if)#', 'sw-1.lab(config-vlan)# '])('prompt matches %j', (p) => expect(ios.prompt.test(p)).toBe(true));

describe('the simulated IOS CLI', () => {
  function session(enablePassword?: string) {
    const state = new SwitchState('Switch', ['GigabitEthernet1/0/1', 'GigabitEthernet1/0/2'], 999);
    const cli = createIosCli(state, { setPageLength: () => undefined }, { username: 'admin', enablePassword });
    return { run: (line: string) => cli.execute(line).output, prompt: () => cli.prompt(), secret: () => cli.readingSecret!(), state };
  }

  test('enable asks for the secret without echo; the right one reaches privileged mode', () => {
    const s = session('s3cret');
    expect(s.prompt()).toBe('Switch>');
    s.run('enable');
    expect([s.prompt(), s.secret()]).toEqual(['Password: ', true]);
    expect(s.run('s3cret')).toBe('');
    expect([s.prompt(), s.secret()]).toEqual(['Switch#', false]);
  });

  test('a wrong secret answers % Bad secrets and stays in user mode', () => {
    const s = session('s3cret');
    s.run('enable');
    expect(s.run('guess')).toBe('% Bad secrets');
    expect(s.prompt()).toBe('Switch>');
  });

  test('configuration needs enable: invalid input with a caret', () => {
    const s = session();
    expect(s.run('configure terminal')).toBe(`${' '.repeat('Switch>'.length)}^\n% Invalid input detected at '^' marker.\n`);
    s.run('enable');
    s.run('configure terminal');
    expect(s.prompt()).toBe('Switch(config)#');
  });

  test('a missing access VLAN is created with an informational message', () => {
    const s = session();
    ['enable', 'configure terminal', 'interface Gi1/0/1'].forEach((l) => s.run(l));
    expect(s.run('switchport access vlan 130')).toBe('% Access VLAN does not exist. Creating vlan 130');
    expect(s.state.vlans()).toContain(130);
    expect(s.run('mtu 9216')).toMatch(/% Invalid input detected/);
  });

  test('the dialect commands configure the port, and the running config parses back', () => {
    const s = session();
    const cfg = trunk([10, 11, 12], { nativeVlan: 11, mtu: 9000, description: 'uplink' });
    const outputs = ['enable', ...ios.enterConfig, ...ios.configurePort('GigabitEthernet1/0/2', cfg), ...ios.exitConfig].map((l) => s.run(l));
    expect(outputs.filter((o) => o !== '')).toEqual([]);
    const shown = s.run('show running-config interface GigabitEthernet1/0/2');
    expect(shown.split('\n').slice(3)).toEqual(['!', 'interface GigabitEthernet1/0/2', ' description uplink', ' switchport trunk native vlan 11', ' switchport trunk allowed vlan 10-12', ' switchport mode trunk', ' mtu 9000', 'end', '']);
    expect(shown).toMatch(/^Building configuration\.\.\.\n\nCurrent configuration : \d+ bytes\n/);
    expect(ios.parsePort(shown, 'GigabitEthernet1/0/2')).toEqual(cfg);
    expect(s.run('write memory')).toBe('Building configuration...\n[OK]');
    expect(s.state.savedMatchesRunning()).toBe(true);
  });
});
