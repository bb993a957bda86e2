// Unit: the SONiC dialect's membership diff, shell quoting, limits and parsers, and the simulated SONiC shell.

import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { CliSwitchDriver, type CommandChannel } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { shellQuote, sonic } from '../../engine/src/drivers/switch/sonic';
import { createSonicCli, shellWords } from '../../lab/src/ssh-switch/sonic';
import { SwitchState } from '../../lab/src/ssh-switch/state';

const BASE = quarantineConfig(999);
const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, accessVlan: vlan, ...extra });
const trunk = (allowedVlans: number[], extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, mode: 'trunk', accessVlan: null, allowedVlans, ...extra });

describe('sonic.configurePort emits exactly (removals first, then additions, then changed attributes)', () => {
  const cases: Array<[string, PortConfig | undefined, PortConfig, string[]]> = [
    ['quarantine -> access 110', BASE, access(110), ['sudo config vlan member del 999 Ethernet0', 'sudo config vlan member add -u 110 Ethernet0']],
    ['access -> trunk with native', access(110), trunk([110, 120, 130], { nativeVlan: 120, mtu: 9100 }), [
      'sudo config vlan member del 110 Ethernet0',
      'sudo config vlan member add 110 Ethernet0', 'sudo config vlan member add -u 120 Ethernet0', 'sudo config vlan member add 130 Ethernet0',
      'sudo config interface mtu Ethernet0 9100',
    ]],
    ['trunk -> access in one of its VLANs', trunk([110, 120], { nativeVlan: 120 }), access(110), ['sudo config vlan member del 110 Ethernet0', 'sudo config vlan member del 120 Ethernet0', 'sudo config vlan member add -u 110 Ethernet0']],
    ['a trunk on the default native VLAN has no untagged member', trunk([110]), trunk([110, 120]), ['sudo config vlan member add 120 Ethernet0']],
    ['the same config sends nothing', trunk([110, 120], { nativeVlan: 110 }), trunk([120, 110], { nativeVlan: 110 }), []],
    ['description and admin state only', access(110), access(110, { description: 'web-01', adminState: 'down' }), ["sudo config interface description Ethernet0 'web-01'", 'sudo config interface shutdown Ethernet0']],
    ['clearing the description and starting the port', access(110, { description: 'web-01', adminState: 'down' }), access(110), ["sudo config interface description Ethernet0 ''", 'sudo config interface startup Ethernet0']],
    ['without a current state, every attribute is set', undefined, access(110), [
      'sudo config vlan member add -u 110 Ethernet0', 'sudo config interface mtu Ethernet0 1500', "sudo config interface description Ethernet0 ''", 'sudo config interface startup Ethernet0',
    ]],
  ];
  test.each(cases)('%s', (_name, current, cfg, expected) => expect(sonic.configurePort('Ethernet0', cfg, current)).toEqual(expected));
});

test.each([
  ['web-01', "'web-01'"],
  ["it's $HOME; `reboot` \"x\"", "'it'\\''s $HOME; `reboot` \"x\"'"],
  ['', "''"],
])('shellQuote(%j) = %s, and bash splits it back into the same single word', (text, quoted) => {
  expect(shellQuote(text)).toBe(quoted);
  expect(shellWords(`sudo config interface description Ethernet0 ${quoted}`)).toEqual(['sudo', 'config', 'interface', 'description', 'Ethernet0', text]);
});

describe('sonic VLAN commands depend on what the switch has', () => {
  test.each<[string, readonly number[], string[]]>([
    ['creates a missing VLAN', [999], ['sudo config vlan add 110']],
    ['leaves an existing VLAN alone', [110, 999], []],
  ])('ensureVlan %s', (_name, present, expected) => expect(sonic.ensureVlan(110, 'web', present)).toEqual(expected));

  test.each<[string, readonly number[], string[]]>([
    ['deletes an existing VLAN', [110, 999], ['sudo config vlan del 110']],
    ['leaves a missing VLAN alone', [999], []],
  ])('removeVlan %s', (_name, present, expected) => expect(sonic.removeVlan(110, present)).toEqual(expected));

  test('save', () => expect(sonic.save).toEqual(['sudo config save -y']));
});

describe('sonic.portViolations (what VLAN memberships cannot express)', () => {
  const cases: Array<[string, PortConfig, string[]]> = [
    ['an access port', access(110), []],
    ['a trunk with its native VLAN allowed', trunk([110, 120], { nativeVlan: 110 }), []],
    ['a trunk on the default native VLAN', trunk([110], { nativeVlan: 1 }), []],
    ['access VLAN 1', access(1), ['access_vlan']],
    ['VLAN 1 on a trunk', trunk([1, 110]), ['allowed_vlans']],
    ['a native VLAN the trunk does not carry', trunk([120], { nativeVlan: 110 }), ['native_vlan']],
    ['a trunk carrying only its native VLAN', trunk([110], { nativeVlan: 110 }), ['allowed_vlans']],
  ];
  test.each(cases)('%s', (_name, cfg, fields) => expect(sonic.portViolations!(cfg).map((v) => v.field)).toEqual(fields));
});

describe('sonic.parsePort reads the JSON running configuration', () => {
  const configDb = JSON.stringify({
    PORT: {
      Ethernet0: { admin_status: 'up', alias: 'etp1', description: 'web-01', index: '1', lanes: '1,2,3,4', mtu: '9100', speed: '100000' },
      Ethernet4: { admin_status: 'down', alias: 'etp2', index: '2', lanes: '5,6,7,8', mtu: '1500', speed: '100000' },
      Ethernet8: { alias: 'etp3', index: '3', lanes: '9,10,11,12', speed: '100000' },
    },
    VLAN: { Vlan10: { vlanid: '10' }, Vlan20: { vlanid: '20' }, Vlan30: { vlanid: '30' } },
    VLAN_MEMBER: {
      'Vlan10|Ethernet0': { tagging_mode: 'untagged' },
      'Vlan20|Ethernet0': { tagging_mode: 'tagged' },
      'Vlan30|Ethernet0': { tagging_mode: 'tagged' },
      'Vlan30|Ethernet4': { tagging_mode: 'untagged' },
    },
  }, null, 4);
  test.each<[string, PortConfig]>([
    ['Ethernet0', trunk([10, 20, 30], { nativeVlan: 10, mtu: 9100, description: 'web-01' })],
    ['Ethernet4', access(30, { adminState: 'down' })],
    ['Ethernet8', { ...access(1), accessVlan: null, mtu: 9100, adminState: 'down' }],
  ])('%s', (port, expected) => expect(sonic.parsePort(configDb, port)).toEqual(expected));

  test.each<[string, string, RegExp]>([
    ['an unknown port', configDb, /does not exist on the switch/],
    ['a Click error instead of JSON', 'Usage: show [OPTIONS] COMMAND [ARGS]...\n\nError: No such command "runningconfig".', /refused to show its configuration: Error: No such command/],
    ['garbage', 'Traceback (most recent call last):', /not JSON/],
  ])('throws a DeviceError for %s', (_name, output, message) => {
    expect(() => sonic.parsePort(output, 'Ethernet999')).toThrow(DeviceError);
    expect(() => sonic.parsePort(output, 'Ethernet999')).toThrow(message);
  });
});

test('sonic.parseVlans reads the documented show vlan brief grid', () => {
  const output = [
    '+-----------+--------------+-----------+----------------+-----------------------+-------------+',
    '|   VLAN ID | IP Address   | Ports     | Port Tagging   | DHCP Helper Address   | Proxy ARP   |',
    '+===========+==============+===========+================+=======================+=============+',
    '|       100 | 1.1.2.2/16   | Ethernet0 | tagged         | 192.0.0.1             | disabled    |',
    '|           |              | Ethernet4 | tagged         | 192.0.0.2             |             |',
    '+-----------+--------------+-----------+----------------+-----------------------+-------------+',
    '|      1000 |              |           |                |                       | disabled    |',
    '+-----------+--------------+-----------+----------------+-----------------------+-------------+',
  ].join('\n');
  expect(sonic.parseVlans(output)).toEqual([100, 1000]);
});

test.each(['admin@sonic:~$', 'admin@sonic:~$ ', 'root@leaf-1:/home/admin#'])('prompt matches %j', (p) => expect(sonic.prompt.test(p)).toBe(true));

test('the driver reads the current state before configuring, once for all ports', async () => {
  const sent: string[] = [];
  const db = (untagged: number) => JSON.stringify({ PORT: { Ethernet0: { admin_status: 'up', mtu: '1500' }, Ethernet4: { admin_status: 'up', mtu: '1500' } }, VLAN_MEMBER: { [`Vlan${untagged}|Ethernet0`]: { tagging_mode: 'untagged' }, [`Vlan${untagged}|Ethernet4`]: { tagging_mode: 'untagged' } } });
  let untagged = 999;
  const channel: CommandChannel = {
    run: async (command) => {
      sent.push(command);
      if (command.includes('member add')) untagged = 110;
      return command === 'show runningconfiguration all' ? db(untagged) : '';
    },
    close: async () => undefined,
  };
  await new CliSwitchDriver(channel, sonic, 'leaf1').configurePorts(['Ethernet0', 'Ethernet4'].map((port) => ({ port, config: access(110) })));
  expect(sent).toEqual([
    'show runningconfiguration all',
    'sudo config vlan member del 999 Ethernet0', 'sudo config vlan member add -u 110 Ethernet0',
    'sudo config vlan member del 999 Ethernet4', 'sudo config vlan member add -u 110 Ethernet4',
    'show runningconfiguration all',
  ]);
});

describe('the simulated SONiC shell', () => {
  function session() {
    const state = new SwitchState('sonic', ['Ethernet0', 'Ethernet4'], 999);
    const pages: number[] = [];
    const cli = createSonicCli(state, { setPageLength: (n) => pages.push(n) }, { username: 'admin' });
    return { run: (line: string) => cli.execute(line).output, prompt: () => cli.prompt(), state, pages };
  }

  test('a bash prompt, no pager', () => {
    const s = session();
    expect(s.prompt()).toBe('admin@sonic:~$ ');
    expect(s.pages).toEqual([0]);
  });

  test.each<[string, string]>([
    ['config vlan add 10', 'Root privileges are required for this operation'],
    ['sudo config vlan add 1', 'Error: Invalid VLAN ID 1 (2-4094)'],
    ['sudo config vlan add 999', 'Error: Vlan999 already exists.'],
    ['sudo config vlan del 999', 'Error: VLAN ID 999 can not be removed. First remove all members assigned to this VLAN.'],
    ['sudo config vlan member add -u 1 Ethernet0', 'Error: Vlan1 is default VLAN'],
    ['sudo config vlan member add 999 Ethernet0', 'Error: Ethernet0 is already a member of Vlan999'],
    ['sudo config vlan member del 10 Ethernet0', 'Error: Vlan10 does not exist'],
    ['sudo config interface mtu Ethernet2 9100', 'Error: Interface name is invalid. Please enter a valid interface name!!'],
    ['sudo config vlan member add 999', 'Usage: config vlan member add [OPTIONS] <vid> port\nTry "config vlan member add -h" for help.\n\nError: Missing argument "port".'],
    ['reboot', '-bash: reboot: command not found'],
  ])('%s -> %j', (line, output) => expect(session().run(line)).toBe(output));

  test('a second untagged VLAN is refused until the first is removed', () => {
    const s = session();
    s.run('sudo config vlan add 10');
    expect(s.run('sudo config vlan member add -u 10 Ethernet0')).toBe('Error: Ethernet0 is already untagged member!');
    expect(s.run('sudo config vlan member del 999 Ethernet0')).toBe('');
    expect(s.run('sudo config vlan member add -u 10 Ethernet0')).toBe('');
    expect(s.state.port('Ethernet0')).toEqual(access(10));
  });

  test('the dialect commands reach the state, and both show formats parse back', () => {
    const s = session();
    ['sudo config vlan add 10', 'sudo config vlan add 20'].forEach((l) => s.run(l));
    const cfg = trunk([10, 20], { nativeVlan: 10, mtu: 9100, description: "rack 4 'A'", adminState: 'down' });
    const outputs = sonic.configurePort('Ethernet4', cfg, s.state.port('Ethernet4')).map((l) => s.run(l));
    expect(outputs.filter((o) => o !== '')).toEqual([]);
    expect(s.state.port('Ethernet4')).toEqual(cfg);
    expect(sonic.parsePort(s.run('show runningconfiguration all'), 'Ethernet4')).toEqual(cfg);
    expect(sonic.parseVlans(s.run('show vlan brief'))).toEqual([10, 20, 999]);
    expect(s.run('show vlan config').split('\n')).toEqual([
      'Name       VID  Member     Mode',
      '-------  -----  ---------  --------',
      'Vlan10      10  Ethernet4  untagged',
      'Vlan20      20  Ethernet4  tagged',
      'Vlan999    999  Ethernet0  untagged',
    ]);
    expect(s.run('sudo config save -y')).toMatch(/^Running command: .*config_db\.json$/);
    expect(s.state.savedMatchesRunning()).toBe(true);
  });
});
