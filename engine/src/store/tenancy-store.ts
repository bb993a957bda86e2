// The store contract for tenancies: a named, described segment whose network (VLAN, VNI, subnet) lives in IPAM's table.

import type { TenancyNetworkRecord } from './allocation-store';

/** creating: its job runs; active: its segment exists on every leaf; deleting: its delete job runs. */
export type TenancyState = 'creating' | 'active' | 'deleting';

export interface TenancyRecord {
  /** Generated once (`tn-` + 12 hex digits), never reused; the IPAM tenancy id of its network. */
  id: string;
  /** Unique; `[a-z0-9][a-z0-9-]{0,62}`. */
  name: string;
  description: string;
  state: TenancyState;
  createdAt: string;
  /** The tenancy's network; null until the create job allocated it (and after the delete job released it). */
  network: TenancyNetworkRecord | null;
}

/**
 * Tenancy rows. Every method is one statement or one transaction; none touches
 * a device. The network columns are IPAM's (allocateTenancyNetwork writes them).
 */
export interface TenancyStore {
  /** Ordered by name. */
  listTenancies(): Promise<TenancyRecord[]>;
  /** undefined when no tenancy has this id. */
  getTenancy(id: string): Promise<TenancyRecord | undefined>;
  /** undefined when no tenancy has this name. */
  findTenancy(name: string): Promise<TenancyRecord | undefined>;
  /**
   * Adds a tenancy in state `creating`. Idempotent for the same id and name
   * (a resumed job). Throws AllocationError `conflict` naming the holder when
   * another tenancy has the name.
   */
  insertTenancy(t: { id: string; name: string; description: string }): Promise<void>;
  setTenancyState(id: string, state: TenancyState): Promise<void>;
  /** Changes the description and/or the network's MTU (the MTU only when the tenancy has a network). */
  updateTenancy(id: string, change: { description?: string; mtu?: number }): Promise<void>;
  /** Removes the row; removing an absent tenancy is success. The network must have been released first. */
  deleteTenancy(id: string): Promise<void>;
}
