// Plan-time check of a tenancy network request against the pool and every other tenancy, one violation per field. Pure.

import { AllocationError } from '../domain/allocation-error';
import type { FieldViolation } from '../domain/port-config';
import { TENANCY_FIELDS } from '../domain/tenancy';
import type { SegmentPoolRecord, TenancyNetworkRecord } from '../store/allocation-store';
import { parseCidr } from './ipv4';
import { pickFromRange } from './number-range';
import { pickSubnet } from './subnet';

export interface NetworkCheckView {
  /** In inventory order: the first is the pool tenancies draw from. */
  pools: SegmentPoolRecord[];
  /** Every other tenancy's network (the one being replaced or updated left out). */
  networks: TenancyNetworkRecord[];
  /** How a holder is named in messages (`tenancy "web" (tn-...)`); default: its id. */
  holderName?(tenancyId: string): string;
}

/** The AllocationError of `pick` as a violation of `field`; none when it would succeed. */
function violation(field: string, pick: () => unknown): FieldViolation[] {
  try {
    pick();
    return [];
  } catch (err) {
    if (err instanceof AllocationError) return [{ field, reason: err.message }];
    throw err;
  }
}

/**
 * What allocateTenancyNetwork would refuse, as field violations (vlan_id,
 * vni, cidr): a requested value outside the pool or held by another tenancy
 * (naming it), or the pool exhausted for a value left to allocation. Reads
 * nothing and allocates nothing: two plans may both pass and one apply then fails.
 */
export function tenancyNetworkViolations(view: NetworkCheckView, req: { vlan?: number; vni?: number; cidr?: string }): FieldViolation[] {
  const pool = view.pools[0];
  if (!pool) return [{ field: TENANCY_FIELDS.vlan, reason: 'the engine\'s inventory has no segment pool to allocate from; add one under segments.pools' }];
  const name = view.holderName ?? ((id: string) => id);
  const holder = (field: 'vlan' | 'vni') => (v: number) => {
    const id = view.networks.find((n) => n[field] === v)?.tenancyId;
    return id === undefined ? undefined : name(id);
  };
  const used = (field: 'vlan' | 'vni') => new Set(view.networks.map((n) => n[field]));
  const supernet = { pool: pool.name, cidr: parseCidr(pool.supernet), tenancyPrefix: pool.tenancyPrefix };
  return [
    ...violation(TENANCY_FIELDS.vlan, () => pickFromRange({ label: `VLAN pool ${pool.name}`, ...pool.vlan }, used('vlan'), req.vlan, holder('vlan'))),
    ...violation(TENANCY_FIELDS.vni, () => pickFromRange({ label: `VNI pool ${pool.name}`, ...pool.vni }, used('vni'), req.vni, holder('vni'))),
    ...violation(TENANCY_FIELDS.cidr, () => pickSubnet(supernet, view.networks.map((n) => parseCidr(n.cidr)), req.cidr)),
  ];
}
