// Turns the physical part of a validated inventory file into store records (snake_case -> camelCase, refs resolved).

import type { DiskSpec, ServerOsRecord, TopologyRecords } from '../store/allocation-store';
import type { InventoryFile } from './schema';

const disk = (d: { size_gb: number; type: string }): DiskSpec => ({ sizeGb: d.size_gb, type: d.type });

export function toTopology(inv: InventoryFile): TopologyRecords {
  return {
    racks: inv.sites.flatMap((s) => s.racks.map((id) => ({ id, site: s.id }))),
    profiles: Object.entries(inv.profiles).map(([name, p]) => ({ name, cpuCores: p.cpu_cores, memoryGib: p.memory_gib, disks: p.disks.map(disk), nics: p.nics })),
    switchPlacement: inv.switches.map((s) => ({ switchId: s.id, rack: s.rack ?? null, role: s.role ?? null })),
    fabricLinks: inv.fabric_links.map(({ a, b }) => ({ a: { switchId: a.switch, port: a.port }, b: { switchId: b.switch, port: b.port } })),
    pools: inv.segments.pools.map((p) => ({ name: p.name, vlan: p.vlan_range, vni: p.vni_range, supernet: p.supernet.text, tenancyPrefix: p.tenancy_prefix })),
    servers: inv.servers.map((s) => ({
      id: s.id, serial: s.serial, profile: s.profile, rack: s.rack,
      bmc: { driver: s.bmc.driver, endpoint: s.bmc.endpoint, credentialsRef: s.bmc.credentials, tlsPin: s.bmc.tls_pin ?? null },
      nics: s.nics.map((n) => ({ name: n.name, mac: n.mac, cabledTo: n.switch === undefined ? null : { switchId: n.switch, port: n.port! } })),
      disks: s.disks.map((d) => ({ id: d.id, ...disk(d) })),
      ...(s.os === undefined ? {} : { os: serverOs(s) }),
    })),
  };
}

type InventoryServer = InventoryFile['servers'][number];

/** The `os:` block; the interface defaults to the first cabled NIC (the first NIC when none is cabled). */
function serverOs(s: InventoryServer): ServerOsRecord {
  const os = s.os!;
  const iface = os.interface ?? (s.nics.find((n) => n.switch !== undefined) ?? s.nics[0]).name;
  return {
    endpoint: os.endpoint, credentialsRef: os.credentials, interface: iface,
    ...(os.host_key === undefined ? {} : { hostKey: os.host_key }),
    ...(os.root_dir === undefined ? {} : { rootDir: os.root_dir }),
  };
}
