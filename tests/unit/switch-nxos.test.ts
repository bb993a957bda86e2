// Unit: the NX-OS dialect's exact commands, limits and parsers, and the simulated NX-OS CLI.

import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { CliSwitchDriver, type CommandChannel } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { nxos } from '../../engine/src/drivers/switch/nxos';
import { createNxosCli } from '../../lab/src/ssh-switch/nxos';
import { SwitchState } from '../../lab/src/ssh-switch/state';

const BASE = quarantineConfig(999);
const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, accessVlan: vlan, ...extra });
const trunk = (allowedVlans: number[], extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, mode: 'trunk', accessVlan: null, allowedVlans, ...extra });

describe('nxos.configurePort emits exactly', () => {
  const cases: Array<[string, PortConfig, string[]]> = [
    ['an access port (layer 2 first, trunk settings cleared)', access(110, { description: 'web-01 eth0' }), [
      'interface Ethernet1/1', 'description web-01 eth0', 'switchport', 'switchport mode access', 'switchport access vlan 110',
      'no switchport trunk allowed vlan', 'no switchport trunk native vlan', 'mtu 1500', 'no shutdown', 'exit',
    ]],
    ['a jumbo trunk with a native VLAN (access VLAN cleared)', trunk([10, 20, 21, 22], { nativeVlan: 10, mtu: 9216 }), [
      'interface Ethernet1/1', 'no description', 'switchport', 'switchport mode trunk', 'no switchport access vlan',
      'switchport trunk allowed vlan 10,20-22', 'switchport trunk native vlan 10', 'mtu 9216', 'no shutdown', 'exit',
    ]],
    ['a shut down trunk on the default native VLAN', trunk([30], { adminState: 'down' }), [
      'interface Ethernet1/1', 'no description', 'switchport', 'switchport mode trunk', 'no switchport access vlan',
      'switchport trunk allowed vlan 30', 'no switchport trunk native vlan', 'mtu 1500', 'shutdown', 'exit',
    ]],
  ];
  test.each(cases)('%s', (_name, cfg, expected) => expect(nxos.configurePort('Ethernet1/1', cfg)).toEqual(expected));

  test('VLANs, save and read commands', () => {
    expect(nxos.ensureVlan(110, 'web')).toEqual(['vlan 110', 'name web', 'exit']);
    expect(nxos.removeVlan(110)).toEqual(['no vlan 110']);
    expect(nxos.save).toEqual(['copy running-config startup-config']);
    expect(nxos.showPort('Ethernet1/7')).toBe('show running-config interface Ethernet1/7');
    expect([nxos.sessionSetup, nxos.enterConfig, nxos.exitConfig]).toEqual([['terminal length 0'], ['configure terminal'], ['end']]);
  });
});

describe('nxos.portViolations', () => {
  test.each([1500, 9216])('MTU %d is accepted', (mtu) => expect(nxos.portViolations!(access(10, { mtu }))).toEqual([]));
  test.each([1400, 9000, 9100])('MTU %d is refused (layer-2 ports take 1500 or the jumbo MTU)', (mtu) => {
    expect(nxos.portViolations!(access(10, { mtu }))).toEqual([{ field: 'mtu', reason: expect.stringContaining('1500 or the system jumbo MTU 9216') }]);
  });
  test("a ';' in a description is refused (NX-OS chains commands with it)", () => {
    expect(nxos.portViolations!(access(10, { description: 'web; reload' }))).toEqual([{ field: 'description', reason: expect.stringContaining("';'") }]);
  });
  test('the driver refuses such a change before sending anything', async () => {
    const sent: string[] = [];
    const channel: CommandChannel = { run: async (c) => (sent.push(c), ''), close: async () => undefined };
    await expect(new CliSwitchDriver(channel, nxos, 'leaf1').configurePorts([{ port: 'Ethernet1/1', config: access(10, { mtu: 9000 }) }])).rejects.toThrow(/Ethernet1\/1\.mtu: NX-OS layer-2 ports/);
    expect(sent).toEqual([]);
  });
});

describe('nxos.parsePort', () => {
  // As a Nexus 9000 prints it (7.0(3)I7), including lines Maestro does not manage.
  const peerLink = [
    '!Command: show running-config interface Ethernet1/1',
    '!Running configuration last done at: Sun Aug 18 23:22:42 2019',
    '!Time: Tue Sep  3 23:25:59 2019',
    '',
    'version 7.0(3)I7(6) Bios:version 08.35',
    '',
    'interface Ethernet1/1',
    '  description *** Peer Link ***',
    '  switchport',
    '  switchport mode trunk',
    '  switchport trunk native vlan 330',
    '  switchport trunk allowed vlan 1-99,101-199,201-1399,1401-4094',
    '  channel-group 1 mode active',
    '  no shutdown',
    '',
  ].join('\n');
  const allowed = [...Array.from({ length: 4094 }, (_, i) => i + 1)].filter((v) => v !== 100 && v !== 200 && v !== 1400);

  const cases: Array<[string, string, PortConfig]> = [
    ['a documented peer-link trunk', peerLink, trunk(allowed, { nativeVlan: 330, description: '*** Peer Link ***' })],
    ['an access port', 'interface Ethernet1/7\n  description Layer 2 Access Interface Example\n  switchport access vlan 200\n  no shutdown', access(200, { description: 'Layer 2 Access Interface Example' })],
    ['a trunk whose allowed list continues on add lines', 'interface Ethernet7/2/1\n  switchport\n  switchport mode trunk\n  switchport trunk allowed vlan 521,542,578-581\n  switchport trunk allowed vlan add 658,675\n  mtu 9216\n  shutdown',
      trunk([521, 542, 578, 579, 580, 581, 658, 675], { mtu: 9216, adminState: 'down' })],
    ['a port with every default', 'interface Ethernet1/3\n  switchport', access(1)],
  ];
  test.each(cases)('%s', (_name, output, expected) => expect(nxos.parsePort(output, 'Ethernet1/1')).toEqual(expected));

  const failures: Array<[string, string, RegExp]> = [
    ['an unknown interface', "                                       ^\n% Invalid range at '^' marker.", /does not exist on the switch \(% Invalid range/],
    ['no interface in the output', '!Command: show running-config interface Ethernet1/99\n\nversion 9.3(8)', /does not exist/],
    ['a routed port', 'interface Ethernet1/24\n  no switchport\n  ip address 24.24.24.1/30\n  no shutdown', /routed port/],
    ['a permission error', '% Permission denied for the role', /refused to show the port: % Permission denied/],
  ];
  test.each(failures)('throws a DeviceError for %s', (_name, output, message) => {
    expect(() => nxos.parsePort(output, 'Ethernet1/99')).toThrow(DeviceError);
    expect(() => nxos.parsePort(output, 'Ethernet1/99')).toThrow(message);
  });
});

test('nxos.parseVlans reads ids from show vlan brief, skipping continuation lines', () => {
  const output = [
    '',
    'VLAN Name                             Status    Ports',
    '---- -------------------------------- --------- -------------------------------',
    '1    default                          active    Eth1/1, Eth1/2, Eth1/3, Eth1/4,',
    '                                                Eth1/5',
    '110  web                              active    Eth1/6',
    '999  quarantine                       active',
  ].join('\n');
  expect(nxos.parseVlans(output)).toEqual([1, 110, 999]);
});

test.each(['switch#', 'switch(config)#', 'switch(config-if)#', 'n9k-leaf1(config-vlan)# ', 'switch(config-if-range)#'])('prompt matches %j', (p) => expect(nxos.prompt.test(p)).toBe(true));
test.each(['switch>', '  description leaf#', 'Copy complete.'])('prompt does not match %j', (p) => expect(nxos.prompt.test(p)).toBe(false));

test.each([
  ["% Invalid command at '^' marker.", true],
  ['% Incomplete command at \'^\' marker.', true],
  ['ERROR: Ethernet1/1: MTU on L2 interfaces can only be set to default or system-jumboMTU', true],
  ['Deletion of VLAN 1 is not allowed!!', true],
  ['Warning: Vlan 1 is default vlan and cannot be deleted', false],
  ['Copy complete.', false],
])('error pattern on %j: %s', (line, isError) => expect(nxos.errorPatterns.some((p) => p.test(line))).toBe(isError));

describe('the simulated NX-OS CLI', () => {
  function session(ports = ['Ethernet1/1', 'Ethernet1/2']) {
    const state = new SwitchState('leaf1', ports, 999);
    const cli = createNxosCli(state, { setPageLength: () => undefined });
    return { run: (line: string) => cli.execute(line).output, prompt: () => cli.prompt(), state };
  }

  test('starts privileged and walks the NX-OS modes', () => {
    const s = session();
    const prompts = [s.prompt(), ...['conf t', 'interface eth1/2', 'vlan 10', 'exit', 'end'].map((l) => (s.run(l), s.prompt()))];
    expect(prompts).toEqual(['leaf1#', 'leaf1(config)#', 'leaf1(config-if)#', 'leaf1(config-vlan)#', 'leaf1(config)#', 'leaf1#']);
  });

  test('an unknown command points a caret at the bad token', () => {
    const s = session();
    s.run('configure terminal');
    expect(s.run('interface Ethernet1/99')).toBe(`${' '.repeat('leaf1(config)#interface '.length)}^\n% Invalid command at '^' marker.`);
    expect(s.run('vlan')).toMatch(/% Incomplete command at '\^' marker\.$/);
  });

  test('the dialect commands configure the port, and the running config parses back', () => {
    const s = session();
    const cfg = trunk([10, 11, 12], { nativeVlan: 10, mtu: 9216, description: 'uplink', adminState: 'down' });
    const outputs = [...nxos.enterConfig, ...nxos.configurePort('Ethernet1/1', cfg), ...nxos.exitConfig].map((l) => s.run(l));
    expect(outputs.filter((o) => o !== '')).toEqual([]);
    expect(s.state.port('Ethernet1/1')).toEqual(cfg);
    const shown = s.run('show running-config interface Ethernet1/1');
    expect(shown.split('\n').slice(7)).toEqual(['interface Ethernet1/1', '  description uplink', '  switchport', '  switchport mode trunk', '  switchport trunk native vlan 10', '  switchport trunk allowed vlan 10-12', '  mtu 9216', '  shutdown', '']);
    expect(nxos.parsePort(shown, 'Ethernet1/1')).toEqual(cfg);
  });

  test('a layer-2 MTU other than 1500 or 9216 is an NX-OS ERROR', () => {
    const s = session();
    ['configure terminal', 'interface Ethernet1/1'].forEach((l) => s.run(l));
    expect(s.run('mtu 9000')).toBe('ERROR: Ethernet1/1: MTU on L2 interfaces can only be set to default or system-jumboMTU');
    expect(s.state.port('Ethernet1/1').mtu).toBe(1500);
  });

  test('VLAN 1 cannot be deleted; saving copies running to startup', () => {
    const s = session();
    s.run('configure terminal');
    expect(s.run('no vlan 1')).toBe('Deletion of VLAN 1 is not allowed!!');
    s.run('end');
    s.state.ensureVlan(20);
    expect(s.run('copy running-config startup-config')).toMatch(/Copy complete\.$/);
    expect(s.state.savedMatchesRunning()).toBe(true);
  });

  test('show vlan brief lists trunks under the VLANs they carry and parses back', () => {
    const s = session(Array.from({ length: 10 }, (_, i) => `Ethernet1/${i + 1}`));
    s.state.setPort('Ethernet1/10', trunk([999, 20]));
    const output = s.run('show vlan brief');
    expect(output.split('\n')[4]).toBe('999  quarantine                       active    Eth1/1, Eth1/2, Eth1/3, Eth1/4,');
    expect(output).toContain('Eth1/10');
    expect(nxos.parseVlans(output)).toEqual([1, 999]);
  });
});
