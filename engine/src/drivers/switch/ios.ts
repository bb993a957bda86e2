// The Cisco IOS / IOS-XE (Catalyst) dialect: command templates, prompt and error patterns, and `show` parsers.

import type { FieldViolation, PortConfig } from '../../domain/port-config';
import { ciscoCommon, descriptionCommand, parseInterfaceConfig, parseVlanBrief, shutdownCommand, switchportCommands } from './cisco-switchport';
import type { Dialect } from './driver';

/**
 * Per-port MTU (`mtu N` on the interface) is what IOS-XE 17.1 and later
 * offer on Catalyst 9000 switches, 1500-9198 bytes; older Catalysts only have
 * the global `system mtu` and reject the interface command.
 */
const DEFAULT_MTU = 1500;
const MAX_MTU = 9198;

/** `Switch>`, `Switch#`, `Switch(config)#`, `Switch(config-if)#`, `Switch(config-vlan)#`. */
const PROMPT = /^[A-Za-z0-9_.\-]+(?:\([A-Za-z0-9_.\-]+\))?[>#] ?$/;

/** VLANs IOS keeps for FDDI and Token Ring: always present, never deletable, never Ethernet segments. */
const LEGACY_VLANS = new Set([1002, 1003, 1004, 1005]);

/**
 * IOS errors start with `%` (`% Invalid input detected at '^' marker.`,
 * `% Incomplete command.`, `% Ambiguous command:  "sh v"`, `%Default VLAN 1
 * may not be deleted.`, `% Bad secrets`) or `Command rejected:`, except two
 * informational messages: `% Access VLAN does not exist. Creating vlan N` and
 * `% Applying VLAN changes may take few minutes.  Please do not interrupt.`
 */
const ERROR = /^(?:%(?! ?(?:Access VLAN does not exist|Applying VLAN changes))|Command rejected:).*$/m;

function configurePort(port: string, cfg: PortConfig): string[] {
  return [`interface ${port}`, descriptionCommand(cfg), ...switchportCommands(cfg), `mtu ${cfg.mtu}`, shutdownCommand(cfg), 'exit'];
}

function portViolations(cfg: PortConfig): FieldViolation[] {
  if (cfg.mtu >= DEFAULT_MTU && cfg.mtu <= MAX_MTU) return [];
  return [{ field: 'mtu', reason: `IOS-XE per-port MTU is ${DEFAULT_MTU}..${MAX_MTU}, not ${cfg.mtu}` }];
}

/**
 * Parses `show running-config interface GigabitEthernet1/0/1` (one-space indent):
 *
 *   Building configuration...
 *
 *   Current configuration : 203 bytes
 *   !
 *   interface GigabitEthernet1/0/1
 *    description uplink
 *    switchport trunk native vlan 10
 *    switchport trunk allowed vlan 10,20-22
 *    switchport trunk allowed vlan add 30
 *    switchport mode trunk
 *    mtu 9000
 *    shutdown
 *   end
 *
 * A missing port answers `% Invalid input detected at '^' marker.` (see
 * parseInterfaceConfig for the defaults).
 */
function parsePort(output: string): PortConfig {
  return parseInterfaceConfig(output, ERROR, DEFAULT_MTU);
}

/** `show vlan brief`, without the legacy VLANs 1002-1005. */
function parseVlans(output: string): number[] {
  return parseVlanBrief(output).filter((v) => !LEGACY_VLANS.has(v));
}

export const ios: Dialect = {
  ...ciscoCommon,
  name: 'ios',
  // Catalyst configuration guides allow 200 characters (some IOS trains take 240).
  descriptionMax: 200,
  prompt: PROMPT,
  errorPatterns: [ERROR],
  // `enable` asks `Password:` when an enable secret is set (answered with SwitchEndpoint.enablePassword); at `#` it is a no-op.
  sessionSetup: ['enable', 'terminal length 0'],
  portViolations,
  configurePort,
  // `write memory` rather than `copy running-config startup-config`, which stops at `Destination filename [startup-config]?`.
  save: ['write memory'],
  parsePort,
  parseVlans,
};
