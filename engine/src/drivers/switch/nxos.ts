// The Cisco NX-OS dialect: command templates, prompt and error patterns, and `show` parsers.

import type { FieldViolation, PortConfig } from '../../domain/port-config';
import { ciscoCommon, descriptionCommand, parseInterfaceConfig, parseVlanBrief, shutdownCommand, switchportCommands } from './cisco-switchport';
import type { Dialect } from './driver';

/** NX-OS's default MTU, and the system jumbo MTU (`system jumbomtu`, default 9216): the only two values a layer-2 port takes. */
const DEFAULT_MTU = 1500;
const JUMBO_MTU = 9216;

/** `switch#`, `switch(config)#`, `switch(config-if)#`, `switch(config-vlan)#`, `switch(config-if-range)#`. */
const PROMPT = /^[A-Za-z0-9_.\-]+(?:\([A-Za-z0-9_.\-]+\))?# ?$/;

/**
 * NX-OS errors: parser errors start with `% ` (`% Invalid command at '^'
 * marker.`, `% Incomplete command at '^' marker.`, `% Invalid number, range is
 * (1:4094) at '^' marker.`), component errors with `ERROR: ` (`ERROR:
 * Ethernet1/1: MTU on L2 interfaces can only be set to default or
 * system-jumboMTU`), and VLAN 1 answers `Deletion of VLAN 1 is not allowed!!`.
 * `Warning: ` lines are not errors.
 */
const ERROR = /^(?:% |ERROR: |Deletion of VLAN \d+ is not allowed).*$/m;

/**
 * `switchport` first: on Nexus 9300-EX and later, ports are routed by
 * default, and `switchport` is harmless on a port that already is layer 2.
 */
function configurePort(port: string, cfg: PortConfig): string[] {
  return [`interface ${port}`, descriptionCommand(cfg), 'switchport', ...switchportCommands(cfg), `mtu ${cfg.mtu}`, shutdownCommand(cfg), 'exit'];
}

/**
 * Layer-2 ports only take the default MTU or the system jumbo MTU. And NX-OS
 * chains commands with `;`, so a description must not contain one.
 */
function portViolations(cfg: PortConfig): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (cfg.mtu !== DEFAULT_MTU && cfg.mtu !== JUMBO_MTU) out.push({ field: 'mtu', reason: `NX-OS layer-2 ports take MTU ${DEFAULT_MTU} or the system jumbo MTU ${JUMBO_MTU}, not ${cfg.mtu}` });
  if (cfg.description.includes(';')) out.push({ field: 'description', reason: "NX-OS descriptions must not contain ';' (the CLI chains commands with it)" });
  return out;
}

/**
 * Parses `show running-config interface Ethernet1/1` (two-space indent,
 * `switchport` shown, admin state shown either way):
 *
 *   !Command: show running-config interface Ethernet1/1
 *   !Running configuration last done at: Sun Aug 18 23:22:42 2019
 *   !Time: Tue Sep  3 23:25:59 2019
 *
 *   version 9.3(8) Bios:version 05.44
 *
 *   interface Ethernet1/1
 *     description uplink
 *     switchport
 *     switchport mode trunk
 *     switchport trunk native vlan 10
 *     switchport trunk allowed vlan 10,20-22
 *     switchport trunk allowed vlan add 30
 *     mtu 9216
 *     no shutdown
 *
 * A missing port answers `% Invalid ...` (see parseInterfaceConfig for the defaults).
 */
function parsePort(output: string): PortConfig {
  return parseInterfaceConfig(output, ERROR, DEFAULT_MTU);
}

export const nxos: Dialect = {
  ...ciscoCommon,
  name: 'nxos',
  // NX-OS interface descriptions take up to 254 characters.
  descriptionMax: 254,
  prompt: PROMPT,
  errorPatterns: [ERROR],
  sessionSetup: ['terminal length 0'],
  portViolations,
  configurePort,
  save: ['copy running-config startup-config'],
  parsePort,
  parseVlans: parseVlanBrief,
};
