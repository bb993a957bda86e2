// Inventory YAML for a small estate of EOS switch simulators and Redfish BMC simulators: what engine tests and benchmarks
// that start their own simulators import (one profile `general`, one rack, a tenancy pool over 10.64.0.0/16).

/** A switch simulator as the inventory needs it. */
export interface SimLeaf {
  id: string;
  port: number;
  hostKeyFingerprint: string;
  /** Ports Ethernet1..N. */
  ports: number;
}

/** A server whose BMC is a simulator; `os` is the flow map of its `os:` block, when it has one. */
export interface SimServer {
  id: string;
  serial: string;
  bmc: { endpoint: string; fingerprintSha256: string };
  nics: Array<{ name: string; mac: string; switch: string; port: string }>;
  os?: string;
}

export interface SimEstate {
  quarantineVlan: number;
  provisioningVlan: number;
  leaves: SimLeaf[];
  servers: SimServer[];
  /** More `credentials:` entries, each `name: { ... }`. */
  credentials?: string[];
  /** `images:` entries, each `name: { ... }`. */
  images?: string[];
}

const server = (s: SimServer) => [
  `  - id: ${s.id}`,
  `    serial: ${s.serial}`,
  '    profile: general',
  '    rack: r1',
  `    bmc: { driver: redfish, endpoint: "${s.bmc.endpoint}", credentials: bmc, tls_pin: "${s.bmc.fingerprintSha256}" }`,
  '    nics:',
  ...s.nics.map((n) => `      - { name: ${n.name}, mac: "${n.mac}", switch: ${n.switch}, port: ${n.port} }`),
  '    disks: [{ id: Disk.0, size_gb: 480, type: ssd }]',
  ...(s.os ? [`    os: ${s.os}`] : []),
];

/** The inventory file: switch credentials `sw`, BMC credentials `bmc`, profile `general` (2 NICs, one 480 GB SSD). */
export function simEstateInventory(e: SimEstate): string {
  return [
    'credentials:',
    '  sw: { username: admin, password: sw-pass }',
    '  bmc: { username: root, password: bmc-pass }',
    ...(e.credentials ?? []).map((c) => `  ${c}`),
    'sites: [{ id: lab, racks: [r1] }]',
    'profiles:',
    '  general: { cpu_cores: 32, memory_gib: 64, nics: 2, disks: [{ size_gb: 480, type: ssd }] }',
    'segments:',
    `  quarantine: { vlan: ${e.quarantineVlan} }`,
    `  provisioning: { vlan: ${e.provisioningVlan} }`,
    '  pools: [{ name: tenants, vlan_range: [100, 199], vni_range: [10100, 10199], supernet: 10.64.0.0/16, tenancy_prefix: 24 }]',
    ...(e.images && e.images.length > 0 ? ['images:', ...e.images.map((i) => `  ${i}`)] : []),
    'switches:',
    ...e.leaves.map((l) => `  - { id: ${l.id}, dialect: eos, endpoint: "127.0.0.1:${l.port}", credentials: sw, host_key: "${l.hostKeyFingerprint}", rack: r1, role: leaf, ports: [Ethernet1-${l.ports}] }`),
    ...(e.servers.length > 0 ? ['servers:', ...e.servers.flatMap(server)] : []),
    '',
  ].join('\n');
}
