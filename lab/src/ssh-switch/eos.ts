// The simulated Arista EOS CLI: modes, prompts, the commands the eos dialect sends, and EOS-formatted `show` output.

import { formatVlanList, parseVlanList, ALL_VLANS } from '../../../engine/src/drivers/switch/vlan-list';
import type { CliFactory, CliReply, SimulatedCli, TerminalControl } from './cli';
import { type Command, matchCommand } from './command-grammar';
import { DEFAULT_MTU, type InterfaceSettings, type SwitchState } from './state';

type Mode = { kind: 'exec' } | { kind: 'enable' } | { kind: 'config' } | { kind: 'interface'; port: string } | { kind: 'vlan'; vlan: number };

/** What a command handler may touch: the switch, the terminal, and this shell's mode. */
interface Shell {
  state: SwitchState;
  terminal: TerminalControl;
  mode: Mode;
  endSession: boolean;
}

/** EOS abbreviations: `Et1`, `Po10`, `Ma1`. */
function shortName(port: string): string {
  return port.replace(/^Ethernet/, 'Et').replace(/^Port-Channel/, 'Po').replace(/^Management/, 'Ma');
}

/** The port a typed name means: any case, any prefix of the type (`et1`, `eth1`, `po10`). */
function resolvePort(state: SwitchState, typed: string): string | undefined {
  const [, kind = '', rest = ''] = /^([A-Za-z-]*)(.*)$/.exec(typed.toLowerCase()) ?? [];
  return state.portNames().find((p) => {
    const [, pKind = '', pRest = ''] = /^([A-Za-z-]*)(.*)$/.exec(p.toLowerCase()) ?? [];
    return kind !== '' && pKind.startsWith(kind) && pRest === rest;
  });
}

function invalid(token: number, text: string): string {
  return `% Invalid input (at token ${token}: '${text}')`;
}

/** `show running-config interfaces X`: only non-default lines, three-space indent. */
function runningConfig(port: string, s: InterfaceSettings): string {
  const lines = [
    s.description && `description ${s.description}`,
    s.mtu !== DEFAULT_MTU && `mtu ${s.mtu}`,
    s.accessVlan !== 1 && `switchport access vlan ${s.accessVlan}`,
    s.trunkNative !== 1 && `switchport trunk native vlan ${s.trunkNative}`,
    s.trunkAllowed.length !== ALL_VLANS.length && `switchport trunk allowed vlan ${s.trunkAllowed.length === 0 ? 'none' : formatVlanList(s.trunkAllowed)}`,
    s.mode === 'trunk' && 'switchport mode trunk',
    s.shutdown && 'shutdown',
  ];
  return [`interface ${port}`, ...lines.filter((l): l is string => typeof l === 'string' && l !== '').map((l) => `   ${l}`)].join('\n');
}

/**
 * `show running-config`: a header, the VLANs but 1 (which EOS never lists)
 * with their names, then every interface section, default ones included,
 * each section closed by `!` as EOS prints it.
 */
function fullRunningConfig(state: SwitchState): string {
  const vlans = state.vlans().filter((v) => v !== 1).flatMap((v) => [`vlan ${v}`, `   name ${state.vlanName(v)}`, '!']);
  const interfaces = state.portNames().flatMap((p) => [runningConfig(p, state.settings(p)), '!']);
  return ['! Command: show running-config', `! device: ${state.hostname} (vEOS-lab, EOS-4.30.0F)`, '!', `hostname ${state.hostname}`, '!', ...vlans, ...interfaces, 'end'].join('\n');
}

/** The ports carrying a VLAN: access ports in it, trunks allowing it. */
function membersOf(state: SwitchState, vlan: number): string[] {
  return state.portNames().filter((p) => {
    const s = state.settings(p);
    return s.mode === 'access' ? s.accessVlan === vlan : s.trunkAllowed.includes(vlan);
  });
}

/** `show vlan brief`, wrapping long port lists onto continuation lines like EOS. */
function vlanBrief(state: SwitchState): string {
  const header = ['VLAN  Name                             Status    Ports', '----- -------------------------------- --------- -------------------------------'];
  const rows = state.vlans().flatMap((v) => {
    const chunks = wrapPorts(membersOf(state, v).map(shortName), 31);
    const first = `${String(v).padEnd(6)}${state.vlanName(v)!.padEnd(33)}${'active'.padEnd(10)}${chunks[0] ?? ''}`;
    return [first.trimEnd(), ...chunks.slice(1).map((c) => ' '.repeat(49) + c)];
  });
  return [...header, ...rows].join('\n');
}

function wrapPorts(names: string[], width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const name of names) {
    const joined = current === '' ? name : `${current}, ${name}`;
    if (joined.length <= width || current === '') {
      current = joined;
    } else {
      lines.push(`${current},`);
      current = name;
    }
  }
  return current === '' ? lines : [...lines, current];
}

/** `show interfaces status`. */
function interfacesStatus(state: SwitchState): string {
  const rows = state.portNames().map((p) => {
    const s = state.settings(p);
    const vlan = s.mode === 'trunk' ? 'trunk' : String(s.accessVlan);
    return `${shortName(p).padEnd(10)}${s.description.slice(0, 18).padEnd(19)}${(s.shutdown ? 'disabled' : 'connected').padEnd(11)}${vlan.padEnd(7)}full   10G   10GBASE-T`;
  });
  return ['Port      Name               Status     Vlan   Duplex Speed Type', ...rows].join('\n');
}

function iface(sh: Shell): InterfaceSettings {
  return sh.state.settings((sh.mode as { port: string }).port);
}

const anywhere: Command<Shell>[] = [
  { template: 'show running-config interfaces <word>', run: ({ word }, sh) => {
    const port = resolvePort(sh.state, word);
    return port ? runningConfig(port, sh.state.settings(port)) : invalid(3, word);
  } },
  { template: 'show running-config', run: (_, sh) => fullRunningConfig(sh.state) },
  { template: 'show vlan brief', run: (_, sh) => vlanBrief(sh.state) },
  { template: 'show vlan', run: (_, sh) => vlanBrief(sh.state) },
  { template: 'show interfaces status', run: (_, sh) => interfacesStatus(sh.state) },
];

const exec: Command<Shell>[] = [
  ...anywhere,
  { template: 'enable', run: (_, sh) => void (sh.mode = { kind: 'enable' }) },
  { template: 'disable', run: (_, sh) => void (sh.mode = { kind: 'exec' }) },
  { template: 'terminal length <num>', run: ({ num }, sh) => {
    sh.terminal.setPageLength(Number(num));
    return num === '0' ? 'Pagination disabled.' : `Pagination set to ${num} lines.`;
  } },
  { template: 'exit', run: (_, sh) => void (sh.endSession = true) },
  { template: 'logout', run: (_, sh) => void (sh.endSession = true) },
];

/** Commands that need `enable` first. */
const privileged: Command<Shell>[] = [
  { template: 'configure', run: (_, sh) => void (sh.mode = { kind: 'config' }) },
  { template: 'configure terminal', run: (_, sh) => void (sh.mode = { kind: 'config' }) },
  { template: 'copy running-config startup-config', run: (_, sh) => (sh.state.save(), 'Copy completed successfully.') },
  { template: 'write memory', run: (_, sh) => (sh.state.save(), 'Copy completed successfully.') },
];

const config: Command<Shell>[] = [
  ...anywhere,
  { template: 'interface <word>', run: ({ word }, sh) => {
    const port = resolvePort(sh.state, word);
    if (!port) return invalid(1, word);
    sh.mode = { kind: 'interface', port };
  } },
  { template: 'vlan <vlan>', run: ({ vlan }, sh) => {
    sh.state.ensureVlan(Number(vlan));
    sh.mode = { kind: 'vlan', vlan: Number(vlan) };
  } },
  { template: 'no vlan <vlan>', run: ({ vlan }, sh) => (vlan === '1' ? '% The default VLAN 1 cannot be deleted' : sh.state.deleteVlan(Number(vlan))) },
  { template: 'exit', run: (_, sh) => void (sh.mode = { kind: 'enable' }) },
  { template: 'end', run: (_, sh) => void (sh.mode = { kind: 'enable' }) },
];

/** Sub-modes fall back to the config commands, as EOS does (`interface Et2` straight from `config-if-Et1`). */
const subModeExit: Command<Shell>[] = [
  { template: 'exit', run: (_, sh) => void (sh.mode = { kind: 'config' }) },
  { template: 'end', run: (_, sh) => void (sh.mode = { kind: 'enable' }) },
];

const interfaceMode: Command<Shell>[] = [
  ...subModeExit,
  { template: 'description <text>', run: ({ text }, sh) => void (iface(sh).description = text) },
  { template: 'no description', run: (_, sh) => void (iface(sh).description = '') },
  { template: 'switchport mode access', run: (_, sh) => void (iface(sh).mode = 'access') },
  { template: 'switchport mode trunk', run: (_, sh) => void (iface(sh).mode = 'trunk') },
  { template: 'switchport access vlan <vlan>', run: ({ vlan }, sh) => {
    iface(sh).accessVlan = Number(vlan);
    if (sh.state.vlanName(Number(vlan)) !== undefined) return;
    sh.state.ensureVlan(Number(vlan));
    return `! Access VLAN does not exist. Creating vlan ${vlan}`;
  } },
  { template: 'no switchport access vlan', run: (_, sh) => void (iface(sh).accessVlan = 1) },
  { template: 'switchport trunk allowed vlan none', run: (_, sh) => void (iface(sh).trunkAllowed = []) },
  { template: 'switchport trunk allowed vlan all', run: (_, sh) => void (iface(sh).trunkAllowed = [...ALL_VLANS]) },
  { template: 'switchport trunk allowed vlan <vlans>', run: ({ vlans }, sh) => {
    const list = parseVlanList(vlans);
    if (!list) return invalid(4, vlans);
    iface(sh).trunkAllowed = list;
  } },
  { template: 'no switchport trunk allowed vlan', run: (_, sh) => void (iface(sh).trunkAllowed = [...ALL_VLANS]) },
  { template: 'switchport trunk native vlan <vlan>', run: ({ vlan }, sh) => void (iface(sh).trunkNative = Number(vlan)) },
  { template: 'no switchport trunk native vlan', run: (_, sh) => void (iface(sh).trunkNative = 1) },
  { template: 'mtu <mtu>', run: ({ mtu }, sh) => void (iface(sh).mtu = Number(mtu)) },
  { template: 'no mtu', run: (_, sh) => void (iface(sh).mtu = DEFAULT_MTU) },
  { template: 'shutdown', run: (_, sh) => void (iface(sh).shutdown = true) },
  { template: 'no shutdown', run: (_, sh) => void (iface(sh).shutdown = false) },
  ...config,
];

const vlanMode: Command<Shell>[] = [
  ...subModeExit,
  { template: 'name <word>', run: ({ word }, sh) => sh.state.ensureVlan((sh.mode as { vlan: number }).vlan, word) },
  ...config,
];

const commandsByMode: Record<Mode['kind'], Command<Shell>[]> = {
  exec: [...exec, ...privileged],
  enable: [...exec, ...privileged],
  config,
  interface: interfaceMode,
  vlan: vlanMode,
};

class EosCli implements SimulatedCli {
  private readonly shell: Shell;

  constructor(state: SwitchState, terminal: TerminalControl) {
    this.shell = { state, terminal, mode: { kind: 'exec' }, endSession: false };
  }

  prompt(): string {
    const mode = this.shell.mode;
    const host = this.shell.state.hostname;
    if (mode.kind === 'exec') return `${host}>`;
    if (mode.kind === 'enable') return `${host}#`;
    if (mode.kind === 'config') return `${host}(config)#`;
    if (mode.kind === 'interface') return `${host}(config-if-${shortName(mode.port)})#`;
    return `${host}(config-vlan-${mode.vlan})#`;
  }

  execute(line: string): CliReply {
    const match = matchCommand(commandsByMode[this.shell.mode.kind], line);
    if ('error' in match) return { output: match.error };
    if (this.shell.mode.kind === 'exec' && privileged.includes(match.command)) return { output: '% Invalid input (privileged mode required)' };
    const output = match.command.run(match.args, this.shell);
    return { output: typeof output === 'string' ? output : '', endSession: this.shell.endSession };
  }
}

export const createEosCli: CliFactory = (state, terminal) => new EosCli(state, terminal);
