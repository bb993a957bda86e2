// A running simulated lab: its devices, and the engine inventory that describes them.

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSwitchSimulator, type SwitchSimulator } from './ssh-switch/server';
import { topologyPorts, type Topology } from './topology';

/** What `lab.json` records, for `maestro lab down` and for tools that look at the lab. */
export interface LabManifest {
  pid: number;
  inventory_file: string;
  switches: Array<{ id: string; dialect: string; endpoint: string; host_key: string; command_log: string }>;
}

export interface Lab {
  manifest: LabManifest;
  switches: Map<string, SwitchSimulator>;
  close(): Promise<void>;
}

const USERNAME = 'admin';

/**
 * Starts every device of the topology on loopback and writes into `dir`:
 * `inventory.yaml` (endpoints, pinned host keys, fresh credentials) and
 * `lab.json` (the manifest). Each switch logs its commands to `<id>.commands.jsonl`.
 */
export async function startLab(topology: Topology, dir: string): Promise<Lab> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const password = randomBytes(12).toString('base64url');
  const switches = new Map<string, SwitchSimulator>();
  const manifest: LabManifest = { pid: process.pid, inventory_file: join(dir, 'inventory.yaml'), switches: [] };
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
  } catch (err) {
    await Promise.all([...switches.values()].map((s) => s.close()));
    throw err;
  }
  const inventory = {
    credentials: { 'lab-switch': { username: USERNAME, password } },
    segments: topology.segments,
    switches: topology.switches.map((entry, i) => ({
      id: entry.id,
      dialect: entry.dialect,
      endpoint: manifest.switches[i].endpoint,
      credentials: 'lab-switch',
      host_key: manifest.switches[i].host_key,
      ports: entry.ports,
    })),
  };
  writeFileSync(manifest.inventory_file, `# Written by maestro lab up; describes the simulated lab.\n${stringify(inventory)}`, { mode: 0o600 });
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(manifest, null, 2));
  return { manifest, switches, close: async () => void (await Promise.all([...switches.values()].map((s) => s.close()))) };
}
