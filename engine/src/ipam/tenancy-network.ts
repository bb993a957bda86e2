// Tenancy networks as store transactions: VLAN, VNI and subnet from a segment pool, allocated and released together.

import { AllocationError } from '../domain/allocation-error';
import type { AllocationStore, SegmentPoolRecord, TenancyNetworkRecord, TenancyNetworkView } from '../store/allocation-store';
import { gatewayOf } from './host-address';
import { formatCidr, formatIpv4, parseCidr } from './ipv4';
import { pickFromRange } from './number-range';
import { pickSubnet } from './subnet';

export interface TenancyNetworkRequest {
  tenancyId: string;
  /** Pool name; default: the first pool of the inventory. */
  pool?: string;
  /** Specific values; each must be inside the pool and free. */
  vlan?: number;
  vni?: number;
  cidr?: string;
  /** Default 1500. */
  mtu?: number;
}

export const DEFAULT_TENANCY_MTU = 1500;

function poolFor(view: TenancyNetworkView, name?: string): SegmentPoolRecord {
  const pool = name === undefined ? view.pools[0] : view.pools.find((p) => p.name === name);
  if (pool) return pool;
  if (view.pools.length === 0) throw new AllocationError('not_found', 'no segment pool in inventory; add one under segments.pools');
  throw new AllocationError('not_found', `no segment pool "${name}" (pools: ${view.pools.map((p) => p.name).join(', ')})`);
}

/** A network already held by the tenancy, when it matches every value the request names. */
function existing(view: TenancyNetworkView, req: TenancyNetworkRequest): TenancyNetworkRecord | undefined {
  const net = view.networks.find((n) => n.tenancyId === req.tenancyId);
  if (!net) return undefined;
  const wanted = { pool: req.pool, vlan: req.vlan, vni: req.vni, cidr: req.cidr, mtu: req.mtu };
  const clash = Object.entries(wanted).find(([k, v]) => v !== undefined && net[k as keyof typeof wanted] !== v);
  if (clash) throw new AllocationError('conflict', `tenancy "${req.tenancyId}" already has ${clash[0]} ${net[clash[0] as keyof typeof wanted]}, not ${clash[1]}`);
  return net;
}

/** The new network for `req`; throws CapacityError / AllocationError from the pickers. */
function carve(view: TenancyNetworkView, req: TenancyNetworkRequest): TenancyNetworkRecord {
  const pool = poolFor(view, req.pool);
  const holder = (field: 'vlan' | 'vni') => (v: number) => view.networks.find((n) => n[field] === v)?.tenancyId;
  const vlan = pickFromRange({ label: `VLAN pool ${pool.name}`, ...pool.vlan }, new Set(view.networks.map((n) => n.vlan)), req.vlan, holder('vlan'));
  const vni = pickFromRange({ label: `VNI pool ${pool.name}`, ...pool.vni }, new Set(view.networks.map((n) => n.vni)), req.vni, holder('vni'));
  const supernet = { pool: pool.name, cidr: parseCidr(pool.supernet), tenancyPrefix: pool.tenancyPrefix };
  const cidr = pickSubnet(supernet, view.networks.map((n) => parseCidr(n.cidr)), req.cidr);
  return {
    tenancyId: req.tenancyId, pool: pool.name, vlan, vni, cidr: formatCidr(cidr), gateway: formatIpv4(gatewayOf(cidr)), mtu: req.mtu ?? DEFAULT_TENANCY_MTU,
  };
}

/**
 * Gives `req.tenancyId` a VLAN, a VNI and a subnet (gateway = first host) from
 * one pool, atomically: lowest free values, or the requested ones. Idempotent:
 * a tenancy that already has a network gets it back (AllocationError `conflict`
 * when the request names different values). Throws CapacityError naming the
 * exhausted pool (`VLAN pool tenants 100-199 is exhausted ...`), AllocationError
 * `out_of_pool`/`conflict` for requested values outside the pool or taken.
 */
export async function allocateTenancyNetwork(store: { allocation: AllocationStore }, req: TenancyNetworkRequest): Promise<TenancyNetworkRecord> {
  if (!req.tenancyId) throw new AllocationError('invalid_request', 'a tenancy network needs a tenancy id');
  return store.allocation.changeTenancyNetworks((view) => {
    const held = existing(view, req);
    if (held) return { write: [], result: held };
    const net = carve(view, req);
    return { write: [{ add: net }], result: net };
  });
}

/**
 * Returns the tenancy's VLAN, VNI and subnet to its pool. Releasing a tenancy
 * without a network is success. Throws AllocationError `conflict` while IPs of
 * the tenancy are still allocated.
 */
export async function releaseTenancyNetwork(store: { allocation: AllocationStore }, tenancyId: string): Promise<void> {
  return store.allocation.changeTenancyNetworks((view) => {
    const ips = view.ipCounts.get(tenancyId) ?? 0;
    if (ips > 0) throw new AllocationError('conflict', `tenancy "${tenancyId}" still has ${ips} allocated IP(s); release them first`);
    const held = view.networks.some((n) => n.tenancyId === tenancyId);
    return { write: held ? [{ remove: tenancyId }] : [], result: undefined };
  });
}
