// Strict grammars for every value the engine interpolates into a switch CLI command.
//
// Interactive CLIs act on characters, not just lines: a newline ends a command,
// `?` triggers context help the moment it is typed, `|` pipes output into
// another command. So values are checked against allow-lists before any
// command is built, and nothing outside them ever reaches a device.

import { type FieldViolation, type PortConfig, validatePortConfig, VLAN_MAX, VLAN_MIN } from '../../domain/port-config';
import type { Dialect, PortChange } from './driver';

/** `Ethernet1`, `Ethernet1/1`, `Port-Channel10`, `swp3`, `GigabitEthernet0/1.100`. */
const PORT_NAME = /^[A-Za-z][A-Za-z0-9/.\-]*$/;
const PORT_NAME_MAX = 64;
/** Printable ASCII without `?` (context help) and `|` (output pipe); no control characters. */
const DESCRIPTION = /^[\x20-\x3e\x40-\x7b\x7d\x7e]*$/;
/** One word, as every dialect's `name` command accepts it. */
const VLAN_NAME = /^[A-Za-z0-9_.\-]{1,32}$/;
const VNI_MIN = 1;
const VNI_MAX = 0xffffff;

export function portNameViolation(port: string, field = 'port'): FieldViolation | null {
  if (typeof port === 'string' && port.length <= PORT_NAME_MAX && PORT_NAME.test(port)) return null;
  return { field, reason: `${JSON.stringify(port)} is not a port name (letters, digits, '/', '.', '-', starting with a letter, at most ${PORT_NAME_MAX} characters)` };
}

export function vlanIdViolation(vlan: number, field = 'vlan'): FieldViolation | null {
  if (Number.isInteger(vlan) && vlan >= VLAN_MIN && vlan <= VLAN_MAX) return null;
  return { field, reason: `VLAN ${vlan} is outside ${VLAN_MIN}..${VLAN_MAX}` };
}

export function vlanNameViolation(name: string, field = 'name'): FieldViolation | null {
  if (typeof name === 'string' && VLAN_NAME.test(name)) return null;
  return { field, reason: `VLAN name ${JSON.stringify(name)} must be 1-32 letters, digits, '_', '.' or '-'` };
}

/** A VXLAN network identifier, when one is given: 24 bits, 0 excluded. */
export function vniViolation(vni: number | undefined, field = 'vni'): FieldViolation | null {
  if (vni === undefined || (Number.isInteger(vni) && vni >= VNI_MIN && vni <= VNI_MAX)) return null;
  return { field, reason: `VNI ${vni} is outside ${VNI_MIN}..${VNI_MAX}` };
}

/**
 * The description rules on top of the domain's: printable ASCII only, no `?`
 * or `|`, and no leading/trailing spaces (CLIs drop them, so the port would
 * read back different from what was asked, forever).
 */
function descriptionViolation(description: string): FieldViolation | null {
  if (!DESCRIPTION.test(description)) {
    return { field: 'description', reason: "description may hold printable ASCII characters except '?' and '|'" };
  }
  if (description !== description.trim()) {
    return { field: 'description', reason: 'description must not start or end with spaces' };
  }
  return null;
}

/** Every rule a port change breaks on this dialect: the domain rules, the CLI grammar and the platform's limits. */
export function portChangeViolations(change: PortChange, dialect: Dialect): FieldViolation[] {
  const cfg: PortConfig = change.config;
  const out = [portNameViolation(change.port), descriptionViolation(cfg.description ?? '')].filter((v): v is FieldViolation => v !== null);
  const domain = validatePortConfig(cfg, { descriptionMax: dialect.descriptionMax });
  // Platform limits only make sense on a config the domain accepts.
  return [...out, ...domain, ...(domain.length === 0 ? dialect.portViolations?.(cfg) ?? [] : [])];
}

/** One readable line per violation, for error messages. */
export function describeViolations(violations: FieldViolation[]): string {
  return violations.map((v) => `${v.field}: ${v.reason}`).join('; ');
}
