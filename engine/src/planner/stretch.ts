// How each switch dialect carries a segment to other switches: the planner's one capability flag per dialect.

/**
 * `trunk`: the tenancy VLAN is added to the allowed VLANs of the fabric links
 * on the path between switches (and created on the switches in between).
 * `vxlan`: the switch stretches the segment itself with a VXLAN device keyed
 * by the tenancy's VNI (ensure_vlan carries the VNI); fabric trunks are untouched.
 */
export type Stretch = 'trunk' | 'vxlan';

/** Dialects that stretch with VXLAN; every other dialect trunks. One line per dialect that differs. */
const VXLAN_DIALECTS: ReadonlySet<string> = new Set(['linux']);

export function stretchOf(dialect: string): Stretch {
  return VXLAN_DIALECTS.has(dialect) ? 'vxlan' : 'trunk';
}
