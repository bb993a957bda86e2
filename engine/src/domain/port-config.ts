// Port config: the desired or observed state of one switch port, and its pure rules.

export type PortMode = 'access' | 'trunk';
export type AdminState = 'up' | 'down';

/**
 * One port's configuration. `accessVlan` is set only in access mode;
 * `allowedVlans` (sorted, unique) and `nativeVlan` only in trunk mode
 * (`nativeVlan` null = the device default, VLAN 1).
 */
export interface PortConfig {
  mode: PortMode;
  accessVlan: number | null;
  allowedVlans: number[] | null;
  nativeVlan: number | null;
  mtu: number;
  description: string;
  adminState: AdminState;
}

/** A rule broken by an input, named by its API field (snake_case, as users write it). */
export interface FieldViolation {
  field: string;
  reason: string;
}

export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;
export const MTU_MIN = 68;
export const MTU_MAX = 9216;

/** Control characters (including newline and DEL) never reach a device CLI. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function vlanViolation(field: string, vlan: number): FieldViolation | null {
  if (!Number.isInteger(vlan) || vlan < VLAN_MIN || vlan > VLAN_MAX) {
    return { field, reason: `VLAN ${vlan} is outside ${VLAN_MIN}..${VLAN_MAX}` };
  }
  return null;
}

/**
 * Every rule a port config breaks, independent of any device except the
 * dialect's description limit. An empty list means valid.
 */
export function validatePortConfig(cfg: PortConfig, limits: { descriptionMax: number }): FieldViolation[] {
  const out: FieldViolation[] = [];
  const push = (v: FieldViolation | null) => v && out.push(v);
  if (cfg.mode === 'access') {
    if (cfg.accessVlan === null) out.push({ field: 'access_vlan', reason: 'an access port needs access_vlan' });
    else push(vlanViolation('access_vlan', cfg.accessVlan));
    if (cfg.allowedVlans !== null) out.push({ field: 'allowed_vlans', reason: 'allowed_vlans applies to trunk ports only; set mode = "trunk" or remove it' });
    if (cfg.nativeVlan !== null) out.push({ field: 'native_vlan', reason: 'native_vlan applies to trunk ports only; set mode = "trunk" or remove it' });
  } else if (cfg.mode === 'trunk') {
    if (cfg.accessVlan !== null) out.push({ field: 'access_vlan', reason: 'access_vlan applies to access ports only; set mode = "access" or remove it' });
    if (cfg.allowedVlans === null || cfg.allowedVlans.length === 0) out.push({ field: 'allowed_vlans', reason: 'a trunk port needs at least one allowed VLAN' });
    for (const v of cfg.allowedVlans ?? []) push(vlanViolation('allowed_vlans', v));
    if (cfg.nativeVlan !== null) push(vlanViolation('native_vlan', cfg.nativeVlan));
  } else {
    out.push({ field: 'mode', reason: `mode must be "access" or "trunk", not ${JSON.stringify(cfg.mode)}` });
  }
  if (!Number.isInteger(cfg.mtu) || cfg.mtu < MTU_MIN || cfg.mtu > MTU_MAX) {
    out.push({ field: 'mtu', reason: `MTU ${cfg.mtu} is outside ${MTU_MIN}..${MTU_MAX}` });
  }
  if (CONTROL_CHARS.test(cfg.description)) {
    out.push({ field: 'description', reason: 'description must not contain newlines or control characters' });
  }
  if (cfg.description.length > limits.descriptionMax) {
    out.push({ field: 'description', reason: `description is ${cfg.description.length} characters; this switch allows at most ${limits.descriptionMax}` });
  }
  if (cfg.adminState !== 'up' && cfg.adminState !== 'down') {
    out.push({ field: 'admin_state', reason: `admin_state must be "up" or "down", not ${JSON.stringify(cfg.adminState)}` });
  }
  return out;
}

/** The configuration every unowned port returns to: access in the quarantine VLAN. */
export function quarantineConfig(quarantineVlan: number): PortConfig {
  return { mode: 'access', accessVlan: quarantineVlan, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' };
}

/** True when two configs mean the same thing on a device. */
export function samePortConfig(a: PortConfig, b: PortConfig): boolean {
  return (
    a.mode === b.mode &&
    a.accessVlan === b.accessVlan &&
    (a.nativeVlan ?? 1) === (b.nativeVlan ?? 1) &&
    a.mtu === b.mtu &&
    a.description === b.description &&
    a.adminState === b.adminState &&
    JSON.stringify(a.allowedVlans ?? []) === JSON.stringify(b.allowedVlans ?? [])
  );
}
