// Interface commands and `show running-config interface` / `show vlan brief` parsing shared by the Cisco CLIs (NX-OS, IOS).

import type { PortConfig } from '../../domain/port-config';
import { type Dialect, DeviceError } from './driver';
import { ALL_VLANS, formatVlanList, parseVlanList } from './vlan-list';

/** What NX-OS and IOS share word for word: config mode, VLAN commands, and the show commands read back. */
export const ciscoCommon = {
  enterConfig: ['configure terminal'],
  exitConfig: ['end'],
  ensureVlan: (vlan: number, name: string) => [`vlan ${vlan}`, `name ${name}`, 'exit'],
  removeVlan: (vlan: number) => [`no vlan ${vlan}`],
  showPort: (port: string) => `show running-config interface ${port}`,
  showVlans: 'show vlan brief',
} satisfies Partial<Dialect>;

/**
 * The `switchport` lines that set the active mode's VLANs and clear the other
 * mode's, so nothing of an earlier mode survives a change (both CLIs keep
 * the inactive mode's settings in the running config otherwise).
 */
export function switchportCommands(cfg: PortConfig): string[] {
  if (cfg.mode === 'access') {
    return ['switchport mode access', `switchport access vlan ${cfg.accessVlan}`, 'no switchport trunk allowed vlan', 'no switchport trunk native vlan'];
  }
  const allowed = cfg.allowedVlans && cfg.allowedVlans.length > 0 ? formatVlanList(cfg.allowedVlans) : 'none';
  const native = cfg.nativeVlan === null ? 'no switchport trunk native vlan' : `switchport trunk native vlan ${cfg.nativeVlan}`;
  return ['switchport mode trunk', 'no switchport access vlan', `switchport trunk allowed vlan ${allowed}`, native];
}

/** `description X` or `no description`, and `shutdown` or `no shutdown`. */
export function descriptionCommand(cfg: PortConfig): string {
  return cfg.description === '' ? 'no description' : `description ${cfg.description}`;
}

export function shutdownCommand(cfg: PortConfig): string {
  return cfg.adminState === 'down' ? 'shutdown' : 'no shutdown';
}

/**
 * Parses the output of `show running-config interface X` on NX-OS or IOS:
 * whatever surrounds it (NX-OS `!Command:`/`version` headers, IOS `Building
 * configuration...`/`Current configuration : N bytes`/`!`/`end`), the port is
 * the `interface X` line and the indented lines after it. Only non-default
 * lines are printed; long allowed lists continue on `switchport trunk allowed
 * vlan add ...` lines. Defaults: access mode (IOS's dynamic modes count as
 * access), access VLAN 1, `defaultMtu`, admin up, native VLAN 1 (null), and
 * on a trunk without an allowed list every VLAN 1-4094. Inactive settings of
 * the other mode are ignored.
 *
 * `errorPattern` matches the platform's error lines: an `Invalid ...` one
 * means the port does not exist. Throws DeviceError for errors, a missing
 * interface, a routed port (`no switchport`) and an unreadable VLAN list.
 */
export function parseInterfaceConfig(output: string, errorPattern: RegExp, defaultMtu: number): PortConfig {
  const error = errorPattern.exec(output);
  if (error && /invalid/i.test(error[0])) throw new DeviceError(`the port does not exist on the switch (${error[0].trim()})`, '', false);
  if (error) throw new DeviceError(`the switch refused to show the port: ${error[0].trim()}`, '', false);
  const all = output.split('\n');
  const start = all.findIndex((l) => /^interface \S+\s*$/.test(l));
  if (start < 0) throw new DeviceError('the port does not exist on the switch (no configuration shown for it)', '', false);
  const end = all.findIndex((l, i) => i > start && !/^\s/.test(l));
  const lines = all.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim());
  if (lines.includes('no switchport')) throw new DeviceError('the port is a routed port (no switchport); Maestro manages layer-2 ports only', '', false);
  const value = (prefix: string) => lines.find((l) => l.startsWith(prefix + ' '))?.slice(prefix.length + 1);
  const base = { mtu: Number(value('mtu') ?? defaultMtu), description: value('description') ?? '', adminState: lines.includes('shutdown') ? 'down' : 'up' } as const;
  if (value('switchport mode') !== 'trunk') {
    return { ...base, mode: 'access', accessVlan: Number(value('switchport access vlan') ?? 1), allowedVlans: null, nativeVlan: null };
  }
  const native = value('switchport trunk native vlan');
  return { ...base, mode: 'trunk', accessVlan: null, allowedVlans: allowedVlans(lines), nativeVlan: native === undefined ? null : Number(native) };
}

/** The trunk's allowed list: the `allowed vlan` line plus every `allowed vlan add` continuation. */
function allowedVlans(lines: string[]): number[] {
  const prefix = 'switchport trunk allowed vlan ';
  const texts = lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length).replace(/^add /, ''));
  if (texts.length === 0) return [...ALL_VLANS];
  const out = new Set<number>();
  for (const text of texts) {
    const list = parseVlanList(text);
    if (list === null) throw new DeviceError(`cannot parse the trunk allowed VLAN list ${JSON.stringify(text)}`, '', false);
    list.forEach((v) => out.add(v));
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Parses `show vlan brief` (same layout on NX-OS and IOS); long port lists
 * continue on lines starting with spaces:
 *
 *   VLAN Name                             Status    Ports
 *   ---- -------------------------------- --------- -------------------------------
 *   1    default                          active    Eth1/1, Eth1/2
 *   10   web                              active    Eth1/3, Eth1/4, Eth1/5, Eth1/6
 *                                                   Eth1/7
 */
export function parseVlanBrief(output: string): number[] {
  const vlans = output.split('\n').flatMap((l) => /^(\d+)\s+\S/.exec(l)?.[1] ?? []).map(Number);
  return [...new Set(vlans)].sort((a, b) => a - b);
}
