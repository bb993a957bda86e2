// The mode machine shared by the simulated Cisco CLIs (NX-OS, IOS): modes, interface/VLAN commands, caret errors, show helpers.
// Each platform (nxos.ts, ios.ts) supplies its wording, show formats, limits and extra commands as a CiscoFlavor.

import { ALL_VLANS, formatVlanList, parseVlanList } from '../../../engine/src/drivers/switch/vlan-list';
import type { CliReply, LoginContext, SimulatedCli, TerminalControl } from './cli';
import { type Command, findCommand, type MatchFailure } from './command-grammar';
import { DEFAULT_MTU, type InterfaceSettings, type SwitchState } from './state';

export type Mode = { kind: 'exec' } | { kind: 'enable' } | { kind: 'config' } | { kind: 'interface'; port: string } | { kind: 'vlan'; vlan: number };

/** What a command handler may touch: the switch, the terminal, this shell's mode and login. */
export interface CiscoShell {
  state: SwitchState;
  terminal: TerminalControl;
  login: LoginContext;
  mode: Mode;
  endSession: boolean;
  /** Set while the CLI waits for a secret; receives the next line instead of the command matcher. */
  secret: ((line: string) => string) | null;
}

/** What differs between the Cisco platforms. */
export interface CiscoFlavor {
  /** Where a session starts: IOS users land in user EXEC (`>`), NX-OS admins in `#`. */
  startMode: 'exec' | 'enable';
  /** `Eth1/1`, `Gi1/0/1`: how `show vlan brief` abbreviates a port. */
  shortName(port: string): string;
  /** The platform's words for a line that matched no command (`caret` = the column under the bad token). */
  failure(f: MatchFailure, line: string, caret: number): string;
  /** `show running-config interface X`. */
  runningConfig(port: string, s: InterfaceSettings): string;
  /** The error for an MTU the port cannot take, if any. */
  mtuError(port: string, mtu: number): string | undefined;
  /** The error for deleting a VLAN the platform keeps (VLAN 1), if any. */
  deleteVlanError(vlan: number): string | undefined;
  /** Called when an access VLAN does not exist; may create it and say so (IOS). */
  accessVlanMissing(state: SwitchState, vlan: number): string | undefined;
  /** Rows `show vlan brief` always ends with (IOS's legacy VLANs 1002-1005). */
  vlanBriefExtraRows: string[];
  /** Whether `show vlan brief` lists trunk ports under the VLANs they carry (NX-OS) or access ports only (IOS). */
  trunksInVlanBrief: boolean;
  /** Platform-only commands, by mode (save, enable, `switchport`). */
  commands: Partial<Record<Mode['kind'], Command<CiscoShell>[]>>;
}

/** The port a typed name means: any case, any prefix of the type (`eth1/1`, `e1/1`, `gi1/0/1`). */
export function resolvePort(state: SwitchState, typed: string): string | undefined {
  const split = (name: string) => /^([a-z-]*)(.*)$/.exec(name.toLowerCase())!;
  const [, kind, rest] = split(typed);
  return state.portNames().find((p) => {
    const [, pKind, pRest] = split(p);
    return kind !== '' && pKind.startsWith(kind) && pRest === rest;
  });
}

/** The line with a caret under column `caret`, as both platforms point at a bad token. */
export function caretLine(caret: number): string {
  return `${' '.repeat(caret)}^`;
}

/** `switchport trunk allowed vlan 10,20-22` plus `... add ...` continuation lines, as both platforms wrap long lists. */
export function allowedVlanLines(vlans: number[]): string[] {
  const parts = vlans.length === 0 ? ['none'] : formatVlanList(vlans).split(',');
  const lines: string[] = [];
  let current: string[] = [];
  for (const part of parts) {
    if (current.length > 0 && [...current, part].join(',').length > 60) {
      lines.push(current.join(','));
      current = [];
    }
    current.push(part);
  }
  lines.push(current.join(','));
  return lines.map((l, i) => `switchport trunk allowed vlan ${i === 0 ? '' : 'add '}${l}`);
}

/** The non-default `switchport` lines of a port: access VLAN, native VLAN, allowed list. */
export function switchportLines(s: InterfaceSettings): string[] {
  return [
    ...(s.accessVlan !== 1 ? [`switchport access vlan ${s.accessVlan}`] : []),
    ...(s.trunkNative !== 1 ? [`switchport trunk native vlan ${s.trunkNative}`] : []),
    ...(s.trunkAllowed.length !== ALL_VLANS.length ? allowedVlanLines(s.trunkAllowed) : []),
  ];
}

/** What a handler returns when its last argument names nothing the switch has (an unknown port, a bad VLAN list). */
export const BAD_ARGUMENT = '\u0000bad-argument';

function iface(sh: CiscoShell): InterfaceSettings {
  return sh.state.settings((sh.mode as { port: string }).port);
}

/** `show vlan brief`: port lists wrap at 31 columns onto lines indented to the Ports column. */
function vlanBrief(sh: CiscoShell, flavor: CiscoFlavor): string {
  const carries = (s: InterfaceSettings, v: number) => (s.mode === 'access' ? s.accessVlan === v : flavor.trunksInVlanBrief && s.trunkAllowed.includes(v));
  const rows = sh.state.vlans().flatMap((v) => {
    const ports = sh.state.portNames().filter((p) => carries(sh.state.settings(p), v)).map((p) => flavor.shortName(p));
    const chunks = wrap(ports, 31);
    const first = `${String(v).padEnd(5)}${sh.state.vlanName(v)!.padEnd(33)}${'active'.padEnd(10)}${chunks[0] ?? ''}`;
    return [first.trimEnd(), ...chunks.slice(1).map((c) => ' '.repeat(48) + c)];
  });
  return ['', 'VLAN Name                             Status    Ports', '---- -------------------------------- --------- -------------------------------', ...rows, ...flavor.vlanBriefExtraRows].join('\n');
}

function wrap(names: string[], width: number): string[] {
  const lines: string[] = [];
  for (const name of names) {
    const last = lines.at(-1);
    if (last !== undefined && `${last}, ${name}`.length <= width) lines[lines.length - 1] = `${last}, ${name}`;
    else lines.push(name);
  }
  return lines.map((l, i) => (i < lines.length - 1 ? `${l},` : l));
}

/** Commands every mode's command list is built from; the platform adds its own. */
function commandSets(flavor: CiscoFlavor): Record<Mode['kind'], Command<CiscoShell>[]> {
  const extra = (kind: Mode['kind']) => flavor.commands[kind] ?? [];
  const exec: Command<CiscoShell>[] = [
    { template: 'show running-config interface <word>', run: ({ word }, sh) => {
      const port = resolvePort(sh.state, word);
      return port ? flavor.runningConfig(port, sh.state.settings(port)) : BAD_ARGUMENT;
    } },
    { template: 'show vlan brief', run: (_, sh) => vlanBrief(sh, flavor) },
    { template: 'show vlan', run: (_, sh) => vlanBrief(sh, flavor) },
    { template: 'terminal length <num>', run: ({ num }, sh) => sh.terminal.setPageLength(Number(num)) },
    { template: 'exit', run: (_, sh) => void (sh.endSession = true) },
    ...extra('exec'),
  ];
  const enable = [...exec, { template: 'configure terminal', run: (_, sh) => void (sh.mode = { kind: 'config' }) }, ...extra('enable')] as Command<CiscoShell>[];
  const config: Command<CiscoShell>[] = [
    { template: 'interface <word>', run: ({ word }, sh) => {
      const port = resolvePort(sh.state, word);
      if (!port) return BAD_ARGUMENT;
      sh.mode = { kind: 'interface', port };
    } },
    { template: 'vlan <vlan>', run: ({ vlan }, sh) => {
      sh.state.ensureVlan(Number(vlan));
      sh.mode = { kind: 'vlan', vlan: Number(vlan) };
    } },
    { template: 'no vlan <vlan>', run: ({ vlan }, sh) => flavor.deleteVlanError(Number(vlan)) ?? sh.state.deleteVlan(Number(vlan)) },
    { template: 'exit', run: (_, sh) => void (sh.mode = { kind: 'enable' }) },
    { template: 'end', run: (_, sh) => void (sh.mode = { kind: 'enable' }) },
    ...extra('config'),
  ];
  const subModeExit: Command<CiscoShell>[] = [
    { template: 'exit', run: (_, sh) => void (sh.mode = { kind: 'config' }) },
    { template: 'end', run: (_, sh) => void (sh.mode = { kind: 'enable' }) },
  ];
  const setAllowed = (sh: CiscoShell, text: string, combine: (old: number[], list: number[]) => number[]) => {
    const list = parseVlanList(text);
    if (!list) return BAD_ARGUMENT;
    iface(sh).trunkAllowed = combine(iface(sh).trunkAllowed, list);
  };
  const interfaceMode: Command<CiscoShell>[] = [
    ...subModeExit,
    { template: 'description <text>', run: ({ text }, sh) => void (iface(sh).description = text) },
    { template: 'no description', run: (_, sh) => void (iface(sh).description = '') },
    { template: 'switchport mode access', run: (_, sh) => void (iface(sh).mode = 'access') },
    { template: 'switchport mode trunk', run: (_, sh) => void (iface(sh).mode = 'trunk') },
    { template: 'switchport access vlan <vlan>', run: ({ vlan }, sh) => {
      iface(sh).accessVlan = Number(vlan);
      return sh.state.vlanName(Number(vlan)) === undefined ? flavor.accessVlanMissing(sh.state, Number(vlan)) ?? '' : '';
    } },
    { template: 'no switchport access vlan', run: (_, sh) => void (iface(sh).accessVlan = 1) },
    { template: 'switchport trunk allowed vlan none', run: (_, sh) => void (iface(sh).trunkAllowed = []) },
    { template: 'switchport trunk allowed vlan all', run: (_, sh) => void (iface(sh).trunkAllowed = [...ALL_VLANS]) },
    { template: 'switchport trunk allowed vlan add <vlans>', run: ({ vlans }, sh) => setAllowed(sh, vlans, (old, list) => [...new Set([...old, ...list])].sort((a, b) => a - b)) },
    { template: 'switchport trunk allowed vlan remove <vlans>', run: ({ vlans }, sh) => setAllowed(sh, vlans, (old, list) => old.filter((v) => !list.includes(v))) },
    { template: 'switchport trunk allowed vlan <vlans>', run: ({ vlans }, sh) => setAllowed(sh, vlans, (_old, list) => list) },
    { template: 'no switchport trunk allowed vlan', run: (_, sh) => void (iface(sh).trunkAllowed = [...ALL_VLANS]) },
    { template: 'switchport trunk native vlan <vlan>', run: ({ vlan }, sh) => void (iface(sh).trunkNative = Number(vlan)) },
    { template: 'no switchport trunk native vlan', run: (_, sh) => void (iface(sh).trunkNative = 1) },
    { template: 'mtu <mtu>', run: ({ mtu }, sh) => flavor.mtuError((sh.mode as { port: string }).port, Number(mtu)) ?? void (iface(sh).mtu = Number(mtu)) },
    { template: 'no mtu', run: (_, sh) => void (iface(sh).mtu = DEFAULT_MTU) },
    { template: 'shutdown', run: (_, sh) => void (iface(sh).shutdown = true) },
    { template: 'no shutdown', run: (_, sh) => void (iface(sh).shutdown = false) },
    ...extra('interface'),
    ...config,
  ];
  const vlanMode: Command<CiscoShell>[] = [
    ...subModeExit,
    { template: 'name <word>', run: ({ word }, sh) => sh.state.ensureVlan((sh.mode as { vlan: number }).vlan, word) },
    ...extra('vlan'),
    ...config,
  ];
  return { exec, enable, config, interface: interfaceMode, vlan: vlanMode };
}

/**
 * One shell's Cisco CLI. A handler returning BAD_ARGUMENT fails the line like
 * a syntax error, with the caret under its last argument, as both platforms do.
 */
export class CiscoCli implements SimulatedCli {
  private readonly shell: CiscoShell;
  private readonly commands: Record<Mode['kind'], Command<CiscoShell>[]>;

  constructor(
    state: SwitchState,
    terminal: TerminalControl,
    login: LoginContext,
    private readonly flavor: CiscoFlavor,
  ) {
    this.shell = { state, terminal, login, mode: { kind: flavor.startMode }, endSession: false, secret: null };
    this.commands = commandSets(flavor);
  }

  prompt(): string {
    if (this.shell.secret) return 'Password: ';
    const mode = this.shell.mode;
    const host = this.shell.state.hostname;
    if (mode.kind === 'exec') return `${host}>`;
    if (mode.kind === 'enable') return `${host}#`;
    if (mode.kind === 'config') return `${host}(config)#`;
    return `${host}(config-${mode.kind === 'interface' ? 'if' : 'vlan'})#`;
  }

  readingSecret(): boolean {
    return this.shell.secret !== null;
  }

  execute(line: string): CliReply {
    const secret = this.shell.secret;
    if (secret) {
      this.shell.secret = null;
      return { output: secret(line) };
    }
    const caretBase = this.prompt().length;
    const found = findCommand(this.commands[this.shell.mode.kind], line);
    if ('failure' in found) return { output: this.flavor.failure(found.failure, line, caretBase + found.failure.at) };
    const output = found.command.run(found.args, this.shell);
    if (output === BAD_ARGUMENT) {
      const at = line.trimEnd().lastIndexOf(' ') + 1;
      return { output: this.flavor.failure({ kind: 'invalid', token: line.trim().split(/\s+/).length - 1, text: line.slice(at).trim(), at }, line, caretBase + at) };
    }
    return { output: typeof output === 'string' ? output : '', endSession: this.shell.endSession };
  }
}
