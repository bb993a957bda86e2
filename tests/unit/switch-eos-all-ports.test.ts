// Unit: reading many EOS ports from one `show running-config` (the splitter, the driver's command choice, the simulator's output).

import { type PortConfig, quarantineConfig } from '../../engine/src/domain/port-config';
import { CliSwitchDriver, type CommandChannel } from '../../engine/src/drivers/switch/cli-driver';
import { DeviceError } from '../../engine/src/drivers/switch/driver';
import { eos } from '../../engine/src/drivers/switch/eos';
import { ALL_VLANS } from '../../engine/src/drivers/switch/vlan-list';
import { createEosCli } from '../../lab/src/ssh-switch/eos';
import { SwitchState } from '../../lab/src/ssh-switch/state';

const BASE = quarantineConfig(999);
const access = (vlan: number, extra: Partial<PortConfig> = {}): PortConfig => ({ ...BASE, accessVlan: vlan, ...extra });

const SAMPLE = [
  '! Command: show running-config',
  '! device: leaf1 (vEOS-lab, EOS-4.30.0F)',
  '!',
  'hostname leaf1',
  '!',
  'vlan 10',
  '   name web',
  '!',
  'interface Ethernet1',
  '   description web-01',
  '   mtu 9000',
  '   switchport access vlan 10',
  '!',
  'interface Ethernet2',
  '!',
  'interface Ethernet3',
  '   switchport trunk native vlan 10',
  '   switchport trunk allowed vlan 10,20-22',
  '   switchport mode trunk',
  '   shutdown',
  'interface Ethernet4',
  '   no switchport',
  '   ip address 10.0.0.1/31',
  '!',
  'interface Management1',
  '   ip address 192.0.2.10/24',
  '!',
  'ip route 0.0.0.0/0 192.0.2.1',
  '!',
  'end',
].join('\r\n');

describe('eos.splitAllPorts', () => {
  const sections = eos.splitAllPorts!(SAMPLE);

  test('finds every interface section, default ones included, and nothing else', () => {
    expect([...sections.keys()]).toEqual(['Ethernet1', 'Ethernet2', 'Ethernet3', 'Ethernet4', 'Management1']);
    expect(sections.get('Ethernet3')).toBe(
      ['interface Ethernet3', '   switchport trunk native vlan 10', '   switchport trunk allowed vlan 10,20-22', '   switchport mode trunk', '   shutdown'].join('\n'),
    );
  });

  const parsed: Array<[string, PortConfig]> = [
    ['Ethernet1', access(10, { mtu: 9000, description: 'web-01' })],
    ['Ethernet2', access(1)],
    ['Ethernet3', { ...BASE, mode: 'trunk', accessVlan: null, allowedVlans: [10, 20, 21, 22], nativeVlan: 10, adminState: 'down' }],
  ];
  test.each(parsed)('section %s parses as its own show would', (port, expected) => {
    expect(eos.parsePort(sections.get(port)!, port)).toEqual(expected);
  });

  test('a routed port fails only when it is parsed', () => {
    expect(() => eos.parsePort(sections.get('Ethernet4')!, 'Ethernet4')).toThrow(/routed port/);
  });

  test('an error answer throws instead of reading as no ports', () => {
    expect(() => eos.splitAllPorts!("% Invalid input (at token 1: 'running-config')")).toThrow(DeviceError);
  });
});

describe('the driver reads many EOS ports with one show running-config', () => {
  const ports = (n: number) => Array.from({ length: n }, (_, i) => `Ethernet${i + 1}`);
  const fullConfig = (names: string[]) => ['hostname leaf1', '!', ...names.flatMap((p) => [`interface ${p}`, '   switchport access vlan 10', '!']), 'end'].join('\n');

  function recordingDriver(switchPorts: string[]): { driver: CliSwitchDriver; sent: string[] } {
    const sent: string[] = [];
    const channel: CommandChannel = {
      run: async (command) => {
        sent.push(command);
        if (command === 'show running-config') return fullConfig(switchPorts);
        const port = command.split(' ').pop()!;
        return switchPorts.includes(port) ? `interface ${port}\n   switchport access vlan 10` : `% Invalid input (at token 3: '${port}')`;
      },
      close: async () => undefined,
    };
    return { driver: new CliSwitchDriver(channel, eos, 'leaf1'), sent };
  }

  const cases: Array<[string, string[], string[]]> = [
    ['10 ports: one whole-config show', ports(10), ['show running-config']],
    ['5 ports (just over the threshold): one whole-config show', ports(5), ['show running-config']],
    ['2 ports: one show each', ports(2), ['show running-config interfaces Ethernet1', 'show running-config interfaces Ethernet2']],
    ['4 ports: one show each', ports(4), ports(4).map((p) => `show running-config interfaces ${p}`)],
    ['6 requests of 2 distinct ports: one show each', [...ports(2), ...ports(2), ...ports(2)], ['show running-config interfaces Ethernet1', 'show running-config interfaces Ethernet2']],
  ];
  test.each(cases)('%s', async (_name, requested, expected) => {
    const { driver, sent } = recordingDriver(ports(48));
    const read = await driver.readPorts(requested);
    expect(sent).toEqual(expected);
    expect([...read.keys()]).toEqual([...new Set(requested)]);
    for (const config of read.values()) expect(config).toEqual(access(10));
  });

  test('a port missing from the whole config is read alone and fails as an unknown port, as it would alone', async () => {
    const { driver, sent } = recordingDriver(ports(48));
    const error = (await driver.readPorts([...ports(9), 'Ethernet99']).catch((e: unknown) => e)) as DeviceError;
    expect(sent).toEqual(['show running-config', 'show running-config interfaces Ethernet99']);
    expect(error).toBeInstanceOf(DeviceError);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("leaf1: port Ethernet99: the port does not exist on the switch (% Invalid input (at token 3: 'Ethernet99'))");
  });

  test('a switch refusing the whole-config show fails naming the switch and command', async () => {
    const channel: CommandChannel = { run: async () => '% Invalid input (privileged mode required)', close: async () => undefined };
    const error = (await new CliSwitchDriver(channel, eos, 'leaf1').readPorts(ports(10)).catch((e: unknown) => e)) as DeviceError;
    expect(error).toBeInstanceOf(DeviceError);
    expect(error.message).toBe('leaf1: the switch refused to show its running config: % Invalid input (privileged mode required)');
    expect(error.sent).toBe('show running-config');
  });
});

describe('the simulated EOS show running-config', () => {
  test('lists every interface and the VLANs but 1, and each section parses as the per-port show does', () => {
    const names = ['Ethernet1', 'Ethernet2', 'Ethernet3', 'Port-Channel10'];
    const state = new SwitchState('leaf1', names, 999);
    state.ensureVlan(10, 'web');
    state.setPort('Ethernet2', access(1));
    state.setPort('Ethernet1', access(10, { description: 'web-01', mtu: 9000 }));
    state.setPort('Ethernet3', { ...BASE, mode: 'trunk', accessVlan: null, allowedVlans: [...ALL_VLANS], nativeVlan: 10, adminState: 'down' });
    const cli = createEosCli(state, { setPageLength: () => undefined });
    const output = cli.execute('show running-config').output;
    expect(output.split('\n').filter((l) => /^(vlan|interface) /.test(l))).toEqual(['vlan 10', 'vlan 999', ...names.map((p) => `interface ${p}`)]);
    const sections = eos.splitAllPorts!(output);
    for (const port of names) {
      expect(eos.parsePort(sections.get(port)!, port)).toEqual(eos.parsePort(cli.execute(`show running-config interfaces ${port}`).output, port));
    }
    expect(sections.get('Ethernet2')).toBe('interface Ethernet2');
  });
});
