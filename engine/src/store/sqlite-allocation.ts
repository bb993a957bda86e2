// SQLite implementation of AllocationStore and of the topology half of an inventory import.

import type Database from 'better-sqlite3';
import type {
  AllocationStore, CabledNicRecord, Decision, FabricLinkRecord, IpAllocationRecord, IpView, IpWrite, PortRef, ProfileRecord, RackRecord,
  SegmentPoolRecord, ServerLifecycle, ServerOsRecord, ServerRecord, SwitchPlacementRecord, TenancyNetworkRecord, TenancyNetworkView,
  TenancyNetworkWrite, TopologyRecords,
} from './allocation-store';

type Row = Record<string, any>;

const now = () => new Date().toISOString();

const toProfile = (r: Row): ProfileRecord => ({ name: r.name, cpuCores: r.cpu_cores, memoryGib: r.memory_gib, disks: JSON.parse(r.disks), nics: r.nics });

const toPool = (r: Row): SegmentPoolRecord => ({
  name: r.name, vlan: { from: r.vlan_from, to: r.vlan_to }, vni: { from: r.vni_from, to: r.vni_to }, supernet: r.supernet, tenancyPrefix: r.tenancy_prefix,
});

const toNetwork = (r: Row): TenancyNetworkRecord => ({
  tenancyId: r.tenancy_id, pool: r.pool, vlan: r.vlan, vni: r.vni, cidr: r.cidr, gateway: r.gateway, mtu: r.mtu,
});

const toIp = (r: Row): IpAllocationRecord => ({ tenancyId: r.tenancy_id, address: r.address, owner: r.owner });

const toLink = (r: Row): FabricLinkRecord => ({ a: { switchId: r.a_switch, port: r.a_port }, b: { switchId: r.b_switch, port: r.b_port } });

/** Writes the topology of an inventory file; the caller runs it inside the import transaction. Lifecycle fields are kept. */
export function importTopology(db: Database.Database, t: TopologyRecords): void {
  const put = (sql: string) => db.prepare(sql);
  const rack = put('INSERT INTO racks (id, site) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET site = excluded.site');
  const profile = put(`INSERT INTO profiles (name, cpu_cores, memory_gib, disks, nics) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET cpu_cores = excluded.cpu_cores, memory_gib = excluded.memory_gib, disks = excluded.disks, nics = excluded.nics`);
  const placement = put('UPDATE switches SET rack = ?, role = ? WHERE id = ?');
  const link = put('INSERT OR REPLACE INTO fabric_links (a_switch, a_port, b_switch, b_port) VALUES (?, ?, ?, ?)');
  const pool = put(`INSERT INTO segment_pools (name, position, vlan_from, vlan_to, vni_from, vni_to, supernet, tenancy_prefix) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET position = excluded.position, vlan_from = excluded.vlan_from, vlan_to = excluded.vlan_to,
      vni_from = excluded.vni_from, vni_to = excluded.vni_to, supernet = excluded.supernet, tenancy_prefix = excluded.tenancy_prefix`);
  const server = put(`INSERT INTO servers (id, serial, profile, rack, bmc_driver, bmc_endpoint, bmc_credentials_ref, bmc_tls_pin, disks,
      os_endpoint, os_credentials_ref, os_host_key, os_interface, os_root_dir)
    VALUES (@id, @serial, @profile, @rack, @driver, @endpoint, @credentialsRef, @tlsPin, @disks, @osEndpoint, @osCredentialsRef, @osHostKey, @osInterface, @osRootDir)
    ON CONFLICT (id) DO UPDATE SET serial = excluded.serial, profile = excluded.profile, rack = excluded.rack, bmc_driver = excluded.bmc_driver,
      bmc_endpoint = excluded.bmc_endpoint, bmc_credentials_ref = excluded.bmc_credentials_ref, bmc_tls_pin = excluded.bmc_tls_pin, disks = excluded.disks,
      os_endpoint = excluded.os_endpoint, os_credentials_ref = excluded.os_credentials_ref, os_host_key = excluded.os_host_key,
      os_interface = excluded.os_interface, os_root_dir = excluded.os_root_dir`);
  const dropNics = put('DELETE FROM server_nics WHERE server_id = ?');
  const nic = put('INSERT INTO server_nics (server_id, name, position, mac, switch_id, port) VALUES (?, ?, ?, ?, ?, ?)');
  for (const r of t.racks) rack.run(r.id, r.site);
  for (const p of t.profiles) profile.run(p.name, p.cpuCores, p.memoryGib, JSON.stringify(p.disks), p.nics);
  for (const s of t.switchPlacement) placement.run(s.rack, s.role, s.switchId);
  for (const l of t.fabricLinks) link.run(l.a.switchId, l.a.port, l.b.switchId, l.b.port);
  t.pools.forEach((p, i) => pool.run(p.name, i, p.vlan.from, p.vlan.to, p.vni.from, p.vni.to, p.supernet, p.tenancyPrefix));
  // Cabling may move between servers: drop every NIC first so MAC and port uniqueness hold at each insert.
  for (const s of t.servers) dropNics.run(s.id);
  for (const s of t.servers) {
    server.run({
      id: s.id, serial: s.serial, profile: s.profile, rack: s.rack, ...s.bmc, disks: JSON.stringify(s.disks),
      osEndpoint: s.os?.endpoint ?? null, osCredentialsRef: s.os?.credentialsRef ?? null, osHostKey: s.os?.hostKey ?? null,
      osInterface: s.os?.interface ?? null, osRootDir: s.os?.rootDir ?? null,
    });
    s.nics.forEach((n, i) => nic.run(s.id, n.name, i, n.mac, n.cabledTo?.switchId ?? null, n.cabledTo?.port ?? null));
  }
}

export class SqliteAllocationStore implements AllocationStore {
  constructor(private readonly db: Database.Database) {}

  async listRacks(): Promise<RackRecord[]> {
    return this.db.prepare('SELECT id, site FROM racks ORDER BY id').all() as RackRecord[];
  }

  async listProfiles(): Promise<ProfileRecord[]> {
    return this.db.prepare('SELECT * FROM profiles ORDER BY name').all().map((r) => toProfile(r as Row));
  }

  async listServers(): Promise<ServerRecord[]> {
    return this.readServers();
  }

  async getServer(id: string): Promise<ServerRecord | undefined> {
    return this.readServers(id)[0];
  }

  async getCabledNic(port: PortRef): Promise<CabledNicRecord | undefined> {
    const at = this.db.prepare('SELECT server_id, name FROM server_nics WHERE switch_id = ? AND port = ?').get(port.switchId, port.port) as Row | undefined;
    if (!at) return undefined;
    const server = this.readServers(at.server_id)[0];
    const nic = server?.nics.find((n) => n.name === at.name);
    return nic ? { server, nic } : undefined;
  }

  async listSwitchPlacement(): Promise<SwitchPlacementRecord[]> {
    return this.db.prepare('SELECT id AS switchId, rack, role FROM switches ORDER BY id').all() as SwitchPlacementRecord[];
  }

  async listFabricLinks(): Promise<FabricLinkRecord[]> {
    return this.db.prepare('SELECT * FROM fabric_links ORDER BY a_switch, a_port').all().map((r) => toLink(r as Row));
  }

  async listPools(): Promise<SegmentPoolRecord[]> {
    return this.readPools();
  }

  async listTenancyNetworks(): Promise<TenancyNetworkRecord[]> {
    return this.readNetworks();
  }

  async listIps(tenancyId?: string): Promise<IpAllocationRecord[]> {
    const rows = tenancyId === undefined
      ? this.db.prepare('SELECT * FROM ip_allocations ORDER BY tenancy_id, address').all()
      : this.db.prepare('SELECT * FROM ip_allocations WHERE tenancy_id = ? ORDER BY address').all(tenancyId);
    return rows.map((r) => toIp(r as Row));
  }

  async changeServers<T>(decide: (servers: ServerRecord[]) => Decision<Pick<ServerRecord, 'id'> & ServerLifecycle, T>): Promise<T> {
    const update = this.db.prepare(`UPDATE servers SET state = @state, state_reason = @stateReason, owner = @owner, tenancy_id = @tenancyId,
      needs_cleaning = @needsCleaning, cleaned_at = @cleanedAt, state_changed_at = @at WHERE id = @id`);
    return this.exclusive(() => {
      const { write, result } = decide(this.readServers());
      for (const s of write) update.run({ ...s, needsCleaning: s.needsCleaning ? 1 : 0, at: now() });
      return result;
    });
  }

  async changeTenancyNetworks<T>(decide: (view: TenancyNetworkView) => Decision<TenancyNetworkWrite, T>): Promise<T> {
    const add = this.db.prepare(`INSERT INTO tenancy_networks (tenancy_id, pool, vlan, vni, cidr, gateway, mtu, created_at)
      VALUES (@tenancyId, @pool, @vlan, @vni, @cidr, @gateway, @mtu, @at)`);
    const remove = this.db.prepare('DELETE FROM tenancy_networks WHERE tenancy_id = ?');
    return this.exclusive(() => {
      const counts = this.db.prepare('SELECT tenancy_id, COUNT(*) AS n FROM ip_allocations GROUP BY tenancy_id').all() as Row[];
      const { write, result } = decide({ pools: this.readPools(), networks: this.readNetworks(), ipCounts: new Map(counts.map((r) => [r.tenancy_id, r.n])) });
      for (const w of write) {
        if ('add' in w) add.run({ ...w.add, at: now() });
        else remove.run(w.remove);
      }
      return result;
    });
  }

  async changeIps<T>(tenancyId: string, decide: (view: IpView) => Decision<IpWrite, T>): Promise<T> {
    const add = this.db.prepare('INSERT INTO ip_allocations (tenancy_id, address, owner, created_at) VALUES (?, ?, ?, ?)');
    const remove = this.db.prepare('DELETE FROM ip_allocations WHERE tenancy_id = ? AND address = ?');
    return this.exclusive(() => {
      const network = this.readNetworks(tenancyId)[0];
      const ips = this.db.prepare('SELECT * FROM ip_allocations WHERE tenancy_id = ? ORDER BY address').all(tenancyId).map((r) => toIp(r as Row));
      const { write, result } = decide({ network, ips });
      for (const w of write) {
        if ('add' in w) add.run(tenancyId, w.add.address, w.add.owner, now());
        else remove.run(tenancyId, w.remove);
      }
      return result;
    });
  }

  /** BEGIN IMMEDIATE takes the database's write lock before the first read, so no other connection decides on the same snapshot. */
  private async exclusive<T>(fn: () => T): Promise<T> {
    return this.db.transaction(fn).immediate();
  }

  private readPools(): SegmentPoolRecord[] {
    return this.db.prepare('SELECT * FROM segment_pools ORDER BY position, name').all().map((r) => toPool(r as Row));
  }

  private readNetworks(tenancyId?: string): TenancyNetworkRecord[] {
    const rows = tenancyId === undefined
      ? this.db.prepare('SELECT * FROM tenancy_networks ORDER BY tenancy_id').all()
      : this.db.prepare('SELECT * FROM tenancy_networks WHERE tenancy_id = ?').all(tenancyId);
    return rows.map((r) => toNetwork(r as Row));
  }

  private readServers(id?: string): ServerRecord[] {
    const [one, args] = id === undefined ? ['', []] : ['= ?', [id]];
    const rows = this.db.prepare(`SELECT * FROM servers ${one && `WHERE id ${one}`} ORDER BY id`).all(...args) as Row[];
    const nicRows = this.db.prepare(`SELECT * FROM server_nics ${one && `WHERE server_id ${one}`} ORDER BY server_id, position`).all(...args) as Row[];
    const nics = new Map<string, Row[]>();
    for (const n of nicRows) nics.set(n.server_id, [...(nics.get(n.server_id) ?? []), n]);
    return rows.map((r) => toServer(r, nics.get(r.id) ?? []));
  }
}

function toServer(r: Row, nics: Row[]): ServerRecord {
  return {
    id: r.id, serial: r.serial, profile: r.profile, rack: r.rack,
    bmc: { driver: r.bmc_driver, endpoint: r.bmc_endpoint, credentialsRef: r.bmc_credentials_ref, tlsPin: r.bmc_tls_pin },
    nics: nics.map((n) => ({ name: n.name, mac: n.mac, cabledTo: n.switch_id === null ? null : { switchId: n.switch_id, port: n.port } })),
    disks: JSON.parse(r.disks),
    ...(r.os_endpoint === null || r.os_endpoint === undefined ? {} : { os: toServerOs(r) }),
    state: r.state, stateReason: r.state_reason, owner: r.owner, tenancyId: r.tenancy_id,
    needsCleaning: r.needs_cleaning === 1, cleanedAt: r.cleaned_at,
  };
}

function toServerOs(r: Row): ServerOsRecord {
  return {
    endpoint: r.os_endpoint, credentialsRef: r.os_credentials_ref,
    ...(r.os_host_key === null ? {} : { hostKey: r.os_host_key }),
    ...(r.os_interface === null ? {} : { interface: r.os_interface }),
    ...(r.os_root_dir === null ? {} : { rootDir: r.os_root_dir }),
  };
}
