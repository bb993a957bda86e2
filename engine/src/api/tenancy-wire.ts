// The engine API's tenancy values as TypeScript sees them, and their converters to and from the wire.

import type { TenancyNetworkRecord } from '../store/allocation-store';
import type { TenancyRecord, TenancyState } from '../store/tenancy-store';

export type { TenancyState };

/** A tenancy as the API shows it; `network` is null while its create job has not allocated one yet. */
export type TenancyInfo = Omit<TenancyRecord, 'network'> & { network: Omit<TenancyNetworkRecord, 'tenancyId'> | null };

/** What CreateTenancy asks for; unset network values are allocated from the first segment pool. */
export interface TenancyCreateRequest {
  name: string;
  description?: string;
  vlan?: number;
  vni?: number;
  cidr?: string;
  /** Default 1500. */
  mtu?: number;
}

/** What ValidateTenancy checks: a create (no `id`) or the tenancy `id` being updated or replaced (its own values never clash). */
export type TenancyValidateRequest = TenancyCreateRequest & { id?: string };

/** proto-loader objects (camelCase; "" and 0 for an unset network). */
export interface WireTenancy {
  id: string; name: string; description: string; state: string; createdAt: string;
  pool: string; vlan: number; vni: number; cidr: string; gateway: string; mtu: number;
}
export interface WireTenancyRequest { id?: string; name: string; description: string; vlan?: number; vni?: number; cidr: string; mtu?: number }

export function tenancyToWire(t: TenancyRecord): WireTenancy {
  const n = t.network;
  return {
    id: t.id, name: t.name, description: t.description, state: t.state, createdAt: t.createdAt,
    pool: n?.pool ?? '', vlan: n?.vlan ?? 0, vni: n?.vni ?? 0, cidr: n?.cidr ?? '', gateway: n?.gateway ?? '', mtu: n?.mtu ?? 0,
  };
}

export function tenancyFromWire(w: WireTenancy): TenancyInfo {
  const network = w.vlan === 0 ? null : { pool: w.pool, vlan: w.vlan, vni: w.vni, cidr: w.cidr, gateway: w.gateway, mtu: w.mtu };
  return { id: w.id, name: w.name, description: w.description, state: w.state as TenancyState, createdAt: w.createdAt, network };
}

export function tenancyRequestToWire(r: TenancyValidateRequest): WireTenancyRequest {
  return { id: r.id ?? '', name: r.name, description: r.description ?? '', vlan: r.vlan, vni: r.vni, cidr: r.cidr ?? '', mtu: r.mtu };
}

/** The request with "" and unset fields as undefined (description "" stays: it is a value). */
export function tenancyRequestFromWire(w: WireTenancyRequest): TenancyValidateRequest {
  return { id: w.id || undefined, name: w.name, description: w.description, vlan: w.vlan, vni: w.vni, cidr: w.cidr || undefined, mtu: w.mtu };
}
