// Shared setup of the engine benchmarks: simulated switches and BMCs, an inventory for them, an in-process engine.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '../engine/src/api/client';
import { startDaemon, type Daemon } from '../engine/src/api/daemon';
import { jsonLogger } from '../engine/src/api/logger';
import { connectSwitch } from '../engine/src/drivers/switch/cli-driver';
import type { WorkflowConfig } from '../engine/src/workflow/runtime';
import { startRedfishSimulator, type RedfishSimulator } from '../lab/src/redfish-bmc/server';
import { simEstateInventory } from '../lab/src/sim-estate-inventory';
import { startSwitchSimulator, type SwitchSimulator } from '../lab/src/ssh-switch/server';

export const QUARANTINE = 999;
export const PROVISIONING = 998;

export interface BenchLab {
  dir: string;
  switches: SwitchSimulator[];
  bmcs: RedfishSimulator[];
  daemon: Daemon;
  client: EngineClient;
  close(): Promise<void>;
}

export interface BenchLabOptions {
  switches: number;
  portsPerSwitch: number;
  /** Latency of every switch command. */
  commandDelayMs: number;
  /** One server (and BMC simulator) per two ports, when set. */
  servers?: { powerDelayMs: number; requestDelayMs: number; installMs?: number };
  workflow: Partial<WorkflowConfig>;
}

const portNames = (n: number) => Array.from({ length: n }, (_, i) => `Ethernet${i + 1}`);

function inventory(lab: { switches: SwitchSimulator[]; bmcs: RedfishSimulator[] }, portsPerSwitch: number): string {
  const serversPerSwitch = portsPerSwitch / 2;
  return simEstateInventory({
    quarantineVlan: QUARANTINE, provisioningVlan: PROVISIONING,
    leaves: lab.switches.map((s, i) => ({ id: `leaf${i + 1}`, port: s.port, hostKeyFingerprint: s.hostKeyFingerprint, ports: portsPerSwitch })),
    servers: lab.bmcs.map((b, i) => {
      const leaf = `leaf${Math.floor(i / serversPerSwitch) + 1}`;
      const port = (i % serversPerSwitch) * 2 + 1;
      const mac = (n: number) => `52:54:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:0${n}`;
      return {
        id: `srv-${i + 1}`, serial: `S${i + 1}`, bmc: b,
        nics: [{ name: 'eth0', mac: mac(0), switch: leaf, port: `Ethernet${port}` }, { name: 'eth1', mac: mac(1), switch: leaf, port: `Ethernet${port + 1}` }],
      };
    }),
  });
}

/** Starts the simulators and an engine (in this process) whose inventory describes them. */
export async function startBenchLab(opts: BenchLabOptions): Promise<BenchLab> {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-bench-'));
  const switches = await Promise.all(Array.from({ length: opts.switches }, (_, i) => startSwitchSimulator({
    dialect: 'eos', hostname: `leaf${i + 1}`, ports: portNames(opts.portsPerSwitch), username: 'admin', password: 'sw-pass',
    quarantineVlan: QUARANTINE, commandDelayMs: opts.commandDelayMs,
  })));
  const servers = opts.servers ? (opts.switches * opts.portsPerSwitch) / 2 : 0;
  const bmcs = await Promise.all(Array.from({ length: servers }, () => startRedfishSimulator({ username: 'root', password: 'bmc-pass', powerDelayMs: opts.servers!.powerDelayMs, installMs: opts.servers!.installMs, secureEraseMs: 100 })));
  for (const b of bmcs) b.setFaults({ delayMs: opts.servers!.requestDelayMs });
  writeFileSync(join(dir, 'inventory.yaml'), inventory({ switches, bmcs }, opts.portsPerSwitch));
  const daemon = await startDaemon({
    dataDir: join(dir, 'engine'), listen: '127.0.0.1:0', inventoryFile: join(dir, 'inventory.yaml'), connect: (e) => connectSwitch(e),
    logger: jsonLogger({ write: () => 0 }), workflow: opts.workflow, jobTimeoutMs: 600_000,
  });
  const client = EngineClient.fromDataDir(join(dir, 'engine'));
  return {
    dir, switches, bmcs, daemon, client,
    close: async () => {
      client.close();
      await daemon.stop();
      await Promise.all([...switches, ...bmcs].map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ms = (n: number) => `${n.toFixed(0)} ms`;
