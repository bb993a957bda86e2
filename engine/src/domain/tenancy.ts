// Tenancy rules that need no store: name grammar, description and MTU limits, and the field names users see.

import { MTU_MAX, MTU_MIN, type FieldViolation } from './port-config';

/** A tenancy name: it ends up in VLAN names (`tenancy-<name>`) on every leaf, so it stays short and plain. */
export const TENANCY_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const TENANCY_DESCRIPTION_MAX = 255;
/** Name of a tenancy's VLAN on the switches. */
export const segmentName = (name: string): string => `tenancy-${name}`;

/**
 * Request fields as users write them (the terraform attribute names); every
 * FieldViolation about a tenancy uses these.
 */
export const TENANCY_FIELDS = { name: 'name', description: 'description', vlan: 'vlan_id', vni: 'vni', cidr: 'cidr', mtu: 'mtu' } as const;

/** What a tenancy asks for; unset network values are allocated. */
export interface TenancyRequest {
  name: string;
  description: string;
  vlan?: number;
  vni?: number;
  cidr?: string;
  mtu?: number;
}

/** Checks of single values, before anything is compared with other tenancies or the pool. */
export function tenancyValueViolations(req: Partial<TenancyRequest>): FieldViolation[] {
  const out: FieldViolation[] = [];
  const bad = (field: string, reason: string) => out.push({ field, reason });
  if (req.name !== undefined && !TENANCY_NAME.test(req.name)) {
    bad(TENANCY_FIELDS.name, `must be 1-63 lowercase letters, digits and dashes, starting with a letter or digit; got ${JSON.stringify(req.name)}`);
  }
  if (req.description !== undefined) {
    if (/[\u0000-\u001f\u007f]/.test(req.description)) bad(TENANCY_FIELDS.description, 'must not contain newlines or other control characters');
    if (req.description.length > TENANCY_DESCRIPTION_MAX) bad(TENANCY_FIELDS.description, `must be at most ${TENANCY_DESCRIPTION_MAX} characters; got ${req.description.length}`);
  }
  if (req.mtu !== undefined && !(Number.isInteger(req.mtu) && req.mtu >= MTU_MIN && req.mtu <= MTU_MAX)) {
    bad(TENANCY_FIELDS.mtu, `must be a whole number from ${MTU_MIN} to ${MTU_MAX}; got ${req.mtu}`);
  }
  return out;
}
