// The Arista EOS dialect: command templates, prompt and error patterns, and `show` parsers.

import type { PortConfig } from '../../domain/port-config';
import { type Dialect, DeviceError } from './driver';
import { ALL_VLANS, formatVlanList, parseVlanList } from './vlan-list';

/**
 * Assumed when the running config has no `mtu` line. EOS's `mtu` is the layer-3
 * MTU and defaults to 1500 on Ethernet and Port-Channel interfaces.
 */
const DEFAULT_MTU = 1500;

/** `leaf1>`, `leaf1#`, `leaf1(config)#`, `leaf1(config-if-Et1/1)#`, `leaf1(config-vlan-10)#`. */
const PROMPT = /^[A-Za-z0-9_.\-]+(?:\([A-Za-z0-9_.\-\/,:]+\))?[>#] ?$/;

/**
 * EOS prefixes every error with `% ` at the start of a line: `% Invalid input`,
 * `% Invalid input (at token 1: 'foo')`, `% Incomplete command`,
 * `% Ambiguous command`, `% Invalid input (privileged mode required)`, ...
 * Warnings start with `! ` and are not errors.
 */
const ERROR = /^% .*$/m;

function configurePort(port: string, cfg: PortConfig): string[] {
  const description = cfg.description === '' ? 'no description' : `description ${cfg.description}`;
  const shutdown = cfg.adminState === 'down' ? 'shutdown' : 'no shutdown';
  return [`interface ${port}`, description, ...switchportCommands(cfg), `mtu ${cfg.mtu}`, shutdown, 'exit'];
}

/** Sets the active mode's VLANs and clears the other mode's, so no leftover survives a mode change. */
function switchportCommands(cfg: PortConfig): string[] {
  if (cfg.mode === 'access') {
    return ['switchport mode access', `switchport access vlan ${cfg.accessVlan}`, 'no switchport trunk allowed vlan', 'no switchport trunk native vlan'];
  }
  const allowed = cfg.allowedVlans && cfg.allowedVlans.length > 0 ? formatVlanList(cfg.allowedVlans) : 'none';
  const native = cfg.nativeVlan === null ? 'no switchport trunk native vlan' : `switchport trunk native vlan ${cfg.nativeVlan}`;
  return ['switchport mode trunk', 'no switchport access vlan', `switchport trunk allowed vlan ${allowed}`, native];
}

/**
 * Parses `show running-config interfaces <port>`. EOS prints only non-default
 * lines, indented by three spaces:
 *
 *   interface Ethernet1
 *      description web-01
 *      mtu 9000
 *      switchport trunk native vlan 10
 *      switchport trunk allowed vlan 10,20-22
 *      switchport mode trunk
 *      shutdown
 *
 * Defaults when a line is absent: access mode, access VLAN 1, MTU 1500, admin
 * up, native VLAN 1 (null), and on a trunk every VLAN 1-4094 (returned as the
 * full list, so it compares honestly with a desired list).
 * `switchport trunk allowed vlan none` is the empty list. Settings of the mode
 * the port is not in (an access VLAN on a trunk) are inactive and ignored.
 * Throws DeviceError when the output is an error or names no interface.
 */
function parsePort(output: string): PortConfig {
  const error = ERROR.exec(output);
  if (error && /^% Invalid input/.test(error[0])) throw new DeviceError(`the port does not exist on the switch (${error[0]})`, '', false);
  if (error) throw new DeviceError(`the switch refused to show the port: ${error[0]}`, '', false);
  const lines = output.split('\n').map((l) => l.trim());
  if (!lines.some((l) => /^interface \S+$/.test(l))) throw new DeviceError('the port does not exist on the switch (no configuration shown for it)', '', false);
  if (lines.includes('no switchport')) throw new DeviceError('the port is a routed port (no switchport); Maestro manages layer-2 ports only', '', false);
  const value = (prefix: string) => lines.find((l) => l.startsWith(prefix + ' '))?.slice(prefix.length + 1);
  const mode = value('switchport mode') === 'trunk' ? 'trunk' : 'access';
  const base = { mtu: Number(value('mtu') ?? DEFAULT_MTU), description: value('description') ?? '', adminState: lines.includes('shutdown') ? 'down' : 'up' } as const;
  if (mode === 'access') {
    return { ...base, mode, accessVlan: Number(value('switchport access vlan') ?? 1), allowedVlans: null, nativeVlan: null };
  }
  const allowedText = value('switchport trunk allowed vlan');
  const allowedVlans = allowedText === undefined ? [...ALL_VLANS] : parseVlanList(allowedText);
  if (allowedVlans === null) throw new DeviceError(`cannot parse the trunk allowed VLAN list ${JSON.stringify(allowedText)}`, '', false);
  const native = value('switchport trunk native vlan');
  return { ...base, mode, accessVlan: null, allowedVlans, nativeVlan: native === undefined ? null : Number(native) };
}

/**
 * Splits `show running-config` into the `interface X` sections parsePort
 * reads: a section is its `interface` line and the indented lines under it,
 * ended by any unindented line (`!`, `vlan 10`, the next `interface`):
 *
 *   vlan 10
 *      name web
 *   !
 *   interface Ethernet1
 *      description web-01
 *   !
 *   interface Ethernet2
 *   !
 *
 * EOS lists every physical interface, even one with only default settings, so
 * a port missing from the map does not exist (or was named by an abbreviation).
 * Throws DeviceError when the switch answered with an error instead.
 */
function splitAllPorts(output: string): Map<string, string> {
  const first = output.split('\n').find((l) => l.trim() !== '') ?? '';
  if (ERROR.test(first)) throw new DeviceError(`the switch refused to show its running config: ${first.trim()}`, '', false);
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n').map((l) => l.trimEnd())) {
    const name = /^interface (\S+)$/.exec(line)?.[1];
    if (name !== undefined) sections.set(name, (current = [line]));
    else if (current && /^\s/.test(line)) current.push(line);
    else current = undefined;
  }
  return new Map([...sections].map(([name, lines]) => [name, lines.join('\n')]));
}

/**
 * Parses `show vlan brief`; continuation lines (long port lists) start with spaces:
 *
 *   VLAN  Name                             Status    Ports
 *   ----- -------------------------------- --------- -------------------------------
 *   1     default                          active
 *   10    web                              active    Et1, Et2
 *   999   quarantine                       active    Et3, Et4, Et5, Et6, Et7, Et8
 *                                                    Et9, Et10
 */
function parseVlans(output: string): number[] {
  const vlans = output.split('\n').flatMap((l) => /^(\d+)\s+\S/.exec(l)?.[1] ?? []).map(Number);
  return [...new Set(vlans)].sort((a, b) => a - b);
}

export const eos: Dialect = {
  name: 'eos',
  descriptionMax: 240,
  prompt: PROMPT,
  errorPatterns: [ERROR],
  // `enable` is harmless when already privileged; `terminal length 0` works in exec mode.
  sessionSetup: ['enable', 'terminal length 0'],
  enterConfig: ['configure'],
  exitConfig: ['end'],
  configurePort,
  ensureVlan: (vlan, name) => [`vlan ${vlan}`, `name ${name}`, 'exit'],
  removeVlan: (vlan) => [`no vlan ${vlan}`],
  save: ['copy running-config startup-config'],
  showPort: (port) => `show running-config interfaces ${port}`,
  parsePort,
  showAllPorts: 'show running-config',
  splitAllPorts,
  showVlans: 'show vlan brief',
  parseVlans,
};
