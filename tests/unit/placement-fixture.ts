// Test support for allocators: an in-memory store holding a small topology built in code (two racks, one leaf each).

import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import type { SegmentPoolRecord, ServerSpec, TopologyRecords } from '../../engine/src/store/allocation-store';

export interface FixtureShape {
  /** Servers per rack, per profile: `{ 'gpu-large': 4 }` puts 4 in each rack. */
  perRack: Record<string, number>;
  racks?: string[];
  pools?: SegmentPoolRecord[];
}

export const TENANTS_POOL: SegmentPoolRecord = {
  name: 'tenants', vlan: { from: 100, to: 103 }, vni: { from: 10100, to: 10103 }, supernet: '10.64.0.0/22', tenancyPrefix: 24,
};

const mac = (n: number) => `52:54:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;

/** Server ids look like `r1-gpu-large-2`; each server's eth0 is cabled to its rack's leaf (`leaf-r1`), port Ethernet<n>. */
export function topology(shape: FixtureShape): TopologyRecords & { ports: Map<string, string[]> } {
  const racks = shape.racks ?? ['r1', 'r2'];
  const servers: ServerSpec[] = [];
  const ports = new Map<string, string[]>(racks.map((r) => [`leaf-${r}`, []]));
  for (const rack of racks) {
    for (const [profile, count] of Object.entries(shape.perRack)) {
      for (let i = 1; i <= count; i++) {
        const port = `Ethernet${ports.get(`leaf-${rack}`)!.length + 1}`;
        ports.get(`leaf-${rack}`)!.push(port);
        servers.push({
          id: `${rack}-${profile}-${i}`, serial: `SN-${rack}-${profile}-${i}`, profile, rack,
          bmc: { driver: 'redfish', endpoint: `https://bmc-${rack}-${profile}-${i}`, credentialsRef: 'bmc', tlsPin: null },
          nics: [{ name: 'eth0', mac: mac(servers.length + 1), cabledTo: { switchId: `leaf-${rack}`, port } }],
          disks: [],
        });
      }
    }
  }
  return {
    racks: racks.map((id) => ({ id, site: 'dc1' })),
    profiles: Object.keys(shape.perRack).map((name) => ({ name, cpuCores: 8, memoryGib: 64, disks: [], nics: 1 })),
    switchPlacement: racks.map((r) => ({ switchId: `leaf-${r}`, rack: r, role: 'leaf' as const })),
    fabricLinks: [],
    pools: shape.pools ?? [TENANTS_POOL],
    servers,
    ports,
  };
}

/** Opens `file` (':memory:' by default) and imports the topology with its switches and credentials. */
export async function allocationStore(shape: FixtureShape, file = ':memory:'): Promise<SqliteStore> {
  const store = openSqliteStore(file);
  const { ports, ...topo } = topology(shape);
  await store.importInventory({
    credentials: [{ ref: 'bmc', blob: Buffer.from('sealed') }, { ref: 'sw', blob: Buffer.from('sealed') }],
    segments: [{ name: 'quarantine', vlan: 999 }],
    switches: [...ports].map(([id, names]) => ({ id, dialect: 'eos', host: '127.0.0.1', sshPort: 22, credentialsRef: 'sw', hostKey: null, ports: names })),
    topology: topo,
  });
  return store;
}
