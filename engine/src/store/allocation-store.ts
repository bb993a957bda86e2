// The store contract for the physical inventory (racks, profiles, servers, fabric links, segment pools) and for
// allocations (servers, tenancy networks, IPs), written so every allocation is decided inside one exclusive transaction.

import type { ServerState } from '../domain/server-lifecycle';

export interface RackRecord {
  id: string;
  site: string;
}

export interface DiskSpec {
  sizeGb: number;
  /** `ssd`, `hdd` or `nvme`. */
  type: string;
}

/** A server class used for allocation. */
export interface ProfileRecord {
  name: string;
  cpuCores: number;
  memoryGib: number;
  disks: DiskSpec[];
  nics: number;
}

/** A switch port, as cabling and fabric links name it. */
export interface PortRef {
  switchId: string;
  port: string;
}

export interface NicRecord {
  name: string;
  /** Lowercase colon form. */
  mac: string;
  /** Where the NIC is cabled; null when it is not cabled to an inventory switch. */
  cabledTo: PortRef | null;
}

export interface BmcRecord {
  /** A name from the BMC driver registry (`redfish`). */
  driver: string;
  /** Base URL, e.g. `https://10.0.0.5`. */
  endpoint: string;
  /** Name of the credentials entry (encrypted at rest; never returned by the API). */
  credentialsRef: string;
  /** SHA-256 fingerprint of the BMC's TLS certificate (lowercase hex), or null when not pinned. */
  tlsPin: string | null;
}

/** How the engine reaches a server's installed OS over SSH (inventory `os:`). */
export interface ServerOsRecord {
  /** `host:port` (IPv6 hosts in brackets); parse with parseHostPort (inventory/endpoint.ts). */
  endpoint: string;
  /** Name of the credentials entry: username plus password and/or private key (CredentialCipher.openOs). */
  credentialsRef: string;
  /** Pinned SSH host key (`SHA256:...`); absent when not pinned. */
  hostKey?: string;
  /** The NIC that gets the tenancy address; import fills in the first cabled NIC (the first NIC when none is cabled). */
  interface?: string;
  /** OsTarget.rootDir; absent means `/`. */
  rootDir?: string;
}

/** What inventory says about a server; import writes these and never touches lifecycle fields. */
export interface ServerSpec {
  id: string;
  serial: string;
  profile: string;
  rack: string;
  bmc: BmcRecord;
  nics: NicRecord[];
  disks: (DiskSpec & { id: string })[];
  /** Absent when inventory has no `os:` block (instance create then skips OS configuration). */
  os?: ServerOsRecord;
}

/** A server's lifecycle fields: the only part allocations change. */
export interface ServerLifecycle {
  state: ServerState;
  /** Why it is in this state (set on failure and maintenance); null otherwise. */
  stateReason: string | null;
  /** The allocation's owner (an instance id); null when unallocated. */
  owner: string | null;
  /** The tenancy the server was allocated for, when one was named. */
  tenancyId: string | null;
  /** Set on allocation and on a release without a clean; cleared by a successful clean. */
  needsCleaning: boolean;
  /** When the last successful clean finished (ISO), or null. */
  cleanedAt: string | null;
}

export type ServerRecord = ServerSpec & ServerLifecycle;

/** A NIC with the server it belongs to, as found from the switch port it is cabled to. */
export interface CabledNicRecord {
  server: ServerRecord;
  nic: NicRecord;
}

/** A cable between two switches (leaf-spine, leaf-leaf). */
export interface FabricLinkRecord {
  a: PortRef;
  b: PortRef;
}

export interface IntRange {
  from: number;
  to: number;
}

/** Where tenancy networks come from: VLANs, VNIs and subnets of one supernet. */
export interface SegmentPoolRecord {
  name: string;
  vlan: IntRange;
  vni: IntRange;
  /** IPv4 CIDR. */
  supernet: string;
  /** Prefix length of every tenancy subnet allocated from the supernet. */
  tenancyPrefix: number;
}

/** The network of one tenancy. */
export interface TenancyNetworkRecord {
  tenancyId: string;
  pool: string;
  vlan: number;
  vni: number;
  cidr: string;
  gateway: string;
  mtu: number;
}

export interface IpAllocationRecord {
  tenancyId: string;
  address: string;
  /** Who holds the address (an instance id, or the tenancy itself). */
  owner: string;
}

/** Where a switch sits and what it does. */
export interface SwitchPlacementRecord {
  switchId: string;
  rack: string | null;
  role: 'leaf' | 'spine' | null;
}

/** The physical part of an inventory file, written in the same transaction as switches and credentials. */
export interface TopologyRecords {
  racks: RackRecord[];
  profiles: ProfileRecord[];
  switchPlacement: SwitchPlacementRecord[];
  fabricLinks: FabricLinkRecord[];
  pools: SegmentPoolRecord[];
  servers: ServerSpec[];
}

/**
 * What a decide function returns: the rows to write and the caller's result.
 * Throwing inside decide aborts the transaction with nothing written.
 */
export interface Decision<W, T> {
  write: W[];
  result: T;
}

export interface TenancyNetworkView {
  pools: SegmentPoolRecord[];
  networks: TenancyNetworkRecord[];
  /** Allocated IPs per tenancy id (absent = none). */
  ipCounts: Map<string, number>;
}

export type TenancyNetworkWrite = { add: TenancyNetworkRecord } | { remove: string };

export interface IpView {
  /** The tenancy's network; undefined when the tenancy has none. */
  network: TenancyNetworkRecord | undefined;
  ips: IpAllocationRecord[];
}

export type IpWrite = { add: IpAllocationRecord } | { remove: string };

/**
 * Inventory reads and allocation transactions. Each `change*` method runs its
 * `decide` callback inside one write transaction that excludes every other
 * writer of the same database, including other engine processes (SQLite:
 * BEGIN IMMEDIATE; PostgreSQL: a table lock), so two callers never see the same
 * free value. `decide` must be synchronous and pure: it reads the view, applies
 * domain rules and returns what to write. Whatever it throws is rethrown with
 * nothing written; database constraint violations reject likewise.
 */
export interface AllocationStore {
  listRacks(): Promise<RackRecord[]>;
  listProfiles(): Promise<ProfileRecord[]>;
  /** Ordered by id. */
  listServers(): Promise<ServerRecord[]>;
  getServer(id: string): Promise<ServerRecord | undefined>;
  /** The NIC cabled to `port` and its server; undefined when no NIC is (at most one NIC is cabled to a port). */
  getCabledNic(port: PortRef): Promise<CabledNicRecord | undefined>;
  listSwitchPlacement(): Promise<SwitchPlacementRecord[]>;
  listFabricLinks(): Promise<FabricLinkRecord[]>;
  /** In inventory order (the first is the default pool). */
  listPools(): Promise<SegmentPoolRecord[]>;
  listTenancyNetworks(): Promise<TenancyNetworkRecord[]>;
  /** Every allocated IP, or those of one tenancy. */
  listIps(tenancyId?: string): Promise<IpAllocationRecord[]>;

  /** Decides over every server (ordered by id) and writes the lifecycle fields of the servers it returns. */
  changeServers<T>(decide: (servers: ServerRecord[]) => Decision<Pick<ServerRecord, 'id'> & ServerLifecycle, T>): Promise<T>;
  /** Decides over pools, tenancy networks and IP counts; adds or removes tenancy networks. */
  changeTenancyNetworks<T>(decide: (view: TenancyNetworkView) => Decision<TenancyNetworkWrite, T>): Promise<T>;
  /** Decides over one tenancy's network and IPs; adds or removes (by address) IPs of that tenancy. */
  changeIps<T>(tenancyId: string, decide: (view: IpView) => Decision<IpWrite, T>): Promise<T>;
}
