// Unit: the simulator's command matcher, its EOS CLI (modes, prompts, show output) and port range expansion.

import { matchCommand, type Command } from '../../lab/src/ssh-switch/command-grammar';
import { createEosCli } from '../../lab/src/ssh-switch/eos';
import { expandPorts } from '../../lab/src/ssh-switch/main';
import { SwitchState } from '../../lab/src/ssh-switch/state';
import type { PortConfig } from '../../engine/src/domain/port-config';
import { eos } from '../../engine/src/drivers/switch/eos';

describe('matchCommand', () => {
  const commands: Command<null>[] = ['show vlan brief', 'show version', 'switchport access vlan <vlan>', 'description <text>', 'mtu <mtu>'].map((template) => ({ template, run: () => template }));
  const cases: Array<[string, string | Record<string, string>]> = [
    ['show vlan brief', { template: 'show vlan brief' }],
    ['sh vl br', { template: 'show vlan brief' }],
    ['sw acc vlan 10', { template: 'switchport access vlan <vlan>', vlan: '10' }],
    ['description  two  words ', { template: 'description <text>', text: 'two  words' }],
    ['show ver', { template: 'show version' }],
    ['show v', "% Ambiguous command (at token 1: 'v')"],
    ['show vlan', '% Incomplete command'],
    ['show vlan brief extra', "% Invalid input (at token 3: 'extra')"],
    ['switchport access vlan 4095', "% Invalid input (at token 3: '4095')"],
    ['mtu 67', "% Invalid input (at token 1: '67')"],
    ['reload', "% Invalid input (at token 0: 'reload')"],
  ];
  test.each(cases)('%j', (line, expected) => {
    const match = matchCommand(commands, line);
    if (typeof expected === 'string') return expect(match).toEqual({ error: expected });
    const { template, ...args } = expected;
    expect(match).toMatchObject({ command: { template }, args });
  });
});

describe('the simulated EOS CLI', () => {
  function session(): { run(line: string): string; prompt(): string; state: SwitchState; pageLengths: number[] } {
    const state = new SwitchState('leaf1', ['Ethernet1', 'Ethernet2', 'Port-Channel10'], 999);
    const pageLengths: number[] = [];
    const cli = createEosCli(state, { setPageLength: (n) => pageLengths.push(n) });
    return { run: (line) => cli.execute(line).output, prompt: () => cli.prompt(), state, pageLengths };
  }

  test('walks the modes with EOS prompts', () => {
    const s = session();
    const prompts = ['enable', 'configure terminal', 'interface po10', 'vlan 10', 'interface Ethernet2', 'exit', 'end', 'disable'].map((line) => (s.run(line), s.prompt()));
    expect(prompts).toEqual(['leaf1#', 'leaf1(config)#', 'leaf1(config-if-Po10)#', 'leaf1(config-vlan-10)#', 'leaf1(config-if-Et2)#', 'leaf1(config)#', 'leaf1#', 'leaf1>']);
  });

  test('configuration needs enable', () => {
    const s = session();
    expect(s.run('configure')).toBe('% Invalid input (privileged mode required)');
    expect(s.prompt()).toBe('leaf1>');
  });

  test('terminal length reaches the terminal', () => {
    const s = session();
    expect(s.run('terminal length 0')).toBe('Pagination disabled.');
    expect(s.pageLengths).toEqual([0]);
  });

  test('the eos dialect commands configure the state, and show running-config prints only non-defaults', () => {
    const s = session();
    const cfg: PortConfig = { mode: 'trunk', accessVlan: null, allowedVlans: [10, 11, 12], nativeVlan: 10, mtu: 9000, description: 'uplink', adminState: 'down' };
    const outputs = ['enable', ...eos.enterConfig, ...eos.configurePort('Ethernet1', cfg), ...eos.exitConfig].map((line) => s.run(line));
    expect(outputs.filter((o) => o.startsWith('%'))).toEqual([]);
    expect(s.state.port('Ethernet1')).toEqual(cfg);
    expect(s.run('show running-config interfaces Ethernet1')).toBe(
      ['interface Ethernet1', '   description uplink', '   mtu 9000', '   switchport trunk native vlan 10', '   switchport trunk allowed vlan 10-12', '   switchport mode trunk', '   shutdown'].join('\n'),
    );
    expect(eos.parsePort(s.run('show running-config interfaces Ethernet1'), 'Ethernet1')).toEqual(cfg);
  });

  test('an access VLAN that does not exist is created with a warning', () => {
    const s = session();
    ['enable', 'configure', 'interface Ethernet1'].forEach((l) => s.run(l));
    expect(s.run('switchport access vlan 130')).toBe('! Access VLAN does not exist. Creating vlan 130');
    expect(s.state.vlans()).toEqual([1, 130, 999]);
  });

  test('unknown interfaces and commands are invalid input', () => {
    const s = session();
    ['enable', 'configure'].forEach((l) => s.run(l));
    expect(s.run('interface Ethernet99')).toBe("% Invalid input (at token 1: 'Ethernet99')");
    expect(s.run('show running-config interfaces Et99')).toBe("% Invalid input (at token 3: 'Et99')");
    expect(s.run('no vlan 1')).toMatch(/^% /);
  });

  test('show vlan brief wraps long port lists and parses back', () => {
    const state = new SwitchState('leaf1', Array.from({ length: 12 }, (_, i) => `Ethernet${i + 1}`), 999);
    state.ensureVlan(10, 'web');
    const output = createEosCli(state, { setPageLength: () => undefined }).execute('show vlan brief').output;
    const lines = output.split('\n');
    expect(lines[4]).toBe('999   quarantine                       active    Et1, Et2, Et3, Et4, Et5, Et6,');
    expect(lines[5]).toBe(' '.repeat(49) + 'Et7, Et8, Et9, Et10, Et11, Et12');
    expect(eos.parseVlans(output)).toEqual([1, 10, 999]);
  });
});

test.each<[string, string[]]>([
  ['Ethernet1-3', ['Ethernet1', 'Ethernet2', 'Ethernet3']],
  ['Ethernet1/1-2,Port-Channel10', ['Ethernet1/1', 'Ethernet1/2', 'Port-Channel10']],
  ['Port-Channel10-11', ['Port-Channel10', 'Port-Channel11']],
])('expandPorts(%j)', (spec, expected) => {
  expect(expandPorts(spec)).toEqual(expected);
});
