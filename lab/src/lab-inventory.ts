// The engine inventory both lab modes write: sites and racks, profiles, images, a tenancy pool, servers with pinned BMCs.

import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

const GiB = 1024 ** 3;

/**
 * What every lab profile promises: the BMC simulator's defaults (two 16-core
 * processors, 64 GiB) and at least one NIC; no disk requirement, so servers
 * with one or two drives all fit.
 */
const PROFILE = { cpu_cores: 32, memory_gib: 64, nics: 1 };

/** The default tenancy pool's VLANs and VNIs; clear of the lab's quarantine (999) and provisioning (998) VLANs. */
const POOL_VLANS: [number, number] = [100, 199];
const POOL_VNIS: [number, number] = [10100, 10199];

/** Install timeout of the lab's images: the simulated installer takes well under a second, a stuck one should fail soon. */
const INSTALL_TIMEOUT_S = 120;

/** A lab server as the inventory needs it; `os` only where the server has an OS the engine can reach (netns mode). */
export interface LabServerEntry {
  id: string;
  profile: string;
  rack: string;
  bmc: { endpoint: string; fingerprint_sha256: string };
  nics: Array<{ name: string; mac: string; switch: string; port: string }>;
  disks: Array<{ id: string; size_gib: number }>;
  os?: { endpoint: string; credentials: string; host_key: string; interface: string; root_dir: string };
}

/** The lab's inventory apart from its switches, which each mode describes itself. */
export interface LabInventoryParts {
  credentials: Record<string, { username: string; password?: string; private_key?: string }>;
  segments: { quarantine: { vlan: number }; provisioning: { vlan: number }; pools?: Array<Record<string, unknown>> };
  switches: Array<Record<string, unknown>>;
  servers: LabServerEntry[];
  /** Credentials name of every server's BMC. */
  bmcCredentials: string;
  /** Where the lab's images "are": `<base>/<name>.iso`. Nothing fetches them; BMCs only record the URL. */
  imageBase: string;
  /** Supernet of the default tenancy pool, used when `segments.pools` has none. */
  tenantSupernet: string;
}

/** One tenancy pool over `supernet`, carving /24s (or the supernet itself when it is smaller). */
export function tenantPool(supernet: string): Record<string, unknown> {
  const prefix = Number(supernet.split('/')[1]);
  return { name: 'tenants', vlan_range: POOL_VLANS, vni_range: POOL_VNIS, supernet, tenancy_prefix: Math.min(30, Math.max(24, prefix)) };
}

/** The lab's images by name (`debian-12`). */
export function labImages(base: string): Record<string, { url: string; install_timeout_s: number }> {
  return { 'debian-12': { url: `${base}/debian-12.iso`, install_timeout_s: INSTALL_TIMEOUT_S } };
}

/** The serial number a lab server's BMC reports and the inventory lists. */
export const labSerial = (id: string) => `LAB-${id.toUpperCase()}`;

function serverInventory(s: LabServerEntry, bmcCredentials: string): Record<string, unknown> {
  return {
    id: s.id,
    serial: labSerial(s.id),
    profile: s.profile,
    rack: s.rack,
    bmc: { driver: 'redfish', endpoint: s.bmc.endpoint, credentials: bmcCredentials, tls_pin: s.bmc.fingerprint_sha256 },
    nics: s.nics.map(({ name, mac, switch: sw, port }) => ({ name, mac, switch: sw, port })),
    disks: s.disks.map((d) => ({ id: d.id, size_gb: Math.round((d.size_gib * GiB) / 1e9), type: 'ssd' })),
    ...(s.os ? { os: s.os } : {}),
  };
}

/**
 * The complete inventory: credentials, one site `lab` with every rack the
 * servers use, a profile per profile name used, the images, the segments
 * (with a default tenancy pool unless some are given) and the switches and
 * servers. Without servers it has no sites, profiles or images.
 */
export function labInventory(p: LabInventoryParts): Record<string, unknown> {
  const segments = { ...p.segments, pools: p.segments.pools ?? [tenantPool(p.tenantSupernet)] };
  const estate = p.servers.length === 0 ? {} : {
    sites: [{ id: 'lab', racks: [...new Set(p.servers.map((s) => s.rack))] }],
    profiles: Object.fromEntries([...new Set(p.servers.map((s) => s.profile))].map((name) => [name, PROFILE])),
    images: labImages(p.imageBase),
  };
  return {
    credentials: p.credentials,
    ...estate,
    segments,
    switches: p.switches,
    ...(p.servers.length === 0 ? {} : { servers: p.servers.map((s) => serverInventory(s, p.bmcCredentials)) }),
  };
}

/** Writes `inventory` as YAML under a comment line (mode 0600: it holds credentials). */
export function writeLabInventory(file: string, comment: string, inventory: Record<string, unknown>): void {
  writeFileSync(file, `# ${comment}\n${stringify(inventory)}`, { mode: 0o600 });
}
