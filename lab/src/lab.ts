// A running simulated lab: its devices, and the engine inventory that describes them.

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labInventory, labSerial, writeLabInventory } from './lab-inventory';
import { startRedfishSimulator, type RedfishSimulator } from './redfish-bmc/server';
import { startSwitchSimulator, type SwitchSimulator } from './ssh-switch/server';
import { topologyPorts, type Topology, type TopologyServer } from './topology';

/** What `lab.json` records, for `maestro lab down` and for tools that look at the lab. */
export interface LabManifest {
  pid: number;
  inventory_file: string;
  switches: Array<{ id: string; dialect: string; endpoint: string; host_key: string; command_log: string }>;
  servers: Array<{
    id: string;
    nics: Array<{ name: string; mac: string; switch: string; port: string }>;
    bmc: { endpoint: string; fingerprint_sha256: string; username: string; password: string };
    disks: string[];
  }>;
}

export interface Lab {
  manifest: LabManifest;
  switches: Map<string, SwitchSimulator>;
  bmcs: Map<string, RedfishSimulator>;
  close(): Promise<void>;
}

const GiB = 1024 ** 3;

/** A locally administered MAC, stable for a lab directory, unique per server and NIC. */
function nicMac(dir: string, server: number, nic: number): string {
  const h = createHash('sha256').update(dir).digest();
  return ['02', '6c', h[0], h[1], server, nic].map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0'))).join(':');
}

/**
 * Starts one server's BMC simulator (powered off, as racked servers wait to be
 * provisioned). Its installer (a power on from the inserted CD) powers the
 * server off after the default install time; there is no disk to write to.
 */
async function startServerBmc(server: TopologyServer, index: number, dir: string, password: string): Promise<{ bmc: RedfishSimulator; entry: LabManifest['servers'][number] }> {
  const nics = server.nics.map((n, j) => ({ ...n, mac: nicMac(dir, index, j) }));
  const bmc = await startRedfishSimulator({
    username: 'admin',
    password,
    serialNumber: labSerial(server.id),
    initialPowerState: 'Off',
    macs: nics.map((n) => n.mac.toUpperCase()),
    drives: server.disks.map((d) => ({ id: d.id, capacityBytes: d.size_gib * GiB, mediaType: 'SSD' as const, serialNumber: `LAB-${server.id}-${d.id}` })),
  });
  const entry = { id: server.id, nics, bmc: { endpoint: bmc.endpoint, fingerprint_sha256: bmc.fingerprintSha256, username: 'admin', password }, disks: server.disks.map((d) => d.id) };
  return { bmc, entry };
}

const USERNAME = 'admin';

/** Simulator mode's images: on loopback, like every lab device (nothing fetches them; the BMCs record the URL). */
const IMAGE_BASE = 'https://127.0.0.1/images';
/** Tenancy supernet when the topology lists no pools: RFC 2544's benchmarking range, as in netns mode. */
const TENANT_SUPERNET = '198.19.0.0/16';

/**
 * Starts every device of the topology on loopback (SSH switch simulators, one
 * Redfish BMC simulator per server) and writes into `dir`:
 * `inventory.yaml` (endpoints, pinned host keys, fresh credentials) and
 * `lab.json` (the manifest). Each switch logs its commands to `<id>.commands.jsonl`.
 */
export async function startLab(topology: Topology, dir: string): Promise<Lab> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const password = randomBytes(12).toString('base64url');
  const switches = new Map<string, SwitchSimulator>();
  const bmcs = new Map<string, RedfishSimulator>();
  const close = async () => void (await Promise.all([...switches.values(), ...bmcs.values()].map((d) => d.close())));
  const manifest: LabManifest = { pid: process.pid, inventory_file: join(dir, 'inventory.yaml'), switches: [], servers: [] };
  try {
    for (const entry of topology.switches) {
      const commandLog = join(dir, `${entry.id}.commands.jsonl`);
      const sim = await startSwitchSimulator({
        dialect: entry.dialect as Parameters<typeof startSwitchSimulator>[0]['dialect'],
        hostname: entry.id,
        ports: topologyPorts(entry),
        username: USERNAME,
        password,
        quarantineVlan: topology.segments.quarantine.vlan,
        commandLogFile: commandLog,
      });
      switches.set(entry.id, sim);
      manifest.switches.push({ id: entry.id, dialect: entry.dialect, endpoint: `${sim.host}:${sim.port}`, host_key: sim.hostKeyFingerprint, command_log: commandLog });
    }
    for (const [i, server] of topology.servers.entries()) {
      const { bmc, entry } = await startServerBmc(server, i, dir, password);
      bmcs.set(server.id, bmc);
      manifest.servers.push(entry);
    }
  } catch (err) {
    await close();
    throw err;
  }
  const inventory = labInventory({
    credentials: { 'lab-switch': { username: USERNAME, password }, ...(topology.servers.length > 0 && { 'lab-bmc': { username: 'admin', password } }) },
    segments: topology.segments,
    switches: topology.switches.map((entry, i) => ({
      id: entry.id,
      dialect: entry.dialect,
      endpoint: manifest.switches[i].endpoint,
      credentials: 'lab-switch',
      host_key: manifest.switches[i].host_key,
      ports: entry.ports,
    })),
    servers: topology.servers.map((server, i) => ({ ...server, bmc: manifest.servers[i].bmc, nics: manifest.servers[i].nics })),
    bmcCredentials: 'lab-bmc',
    imageBase: IMAGE_BASE,
    tenantSupernet: TENANT_SUPERNET,
  });
  writeLabInventory(manifest.inventory_file, 'Written by maestro lab up; describes the simulated lab.', inventory);
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(manifest, null, 2));
  return { manifest, switches, bmcs, close };
}
