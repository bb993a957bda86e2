// Benchmark: a fleet of instance.create jobs (allocate server and IP, ports to provisioning, install from virtual media
// until the installer powers off, ports to the tenancy, disk boot + power on, active; no OS access in this inventory)
// over several switches with simulated BMC delays, against a lower bound computed from the configured delays and the
// parallelism limits.
//
//   npm run build && node dist/bench/engine-fleet.js [--jobs 64] [--switches 4] [--bmc-parallelism 16] [--install-ms 300]

import { parseArgs } from 'node:util';
import { connectSwitch } from '../engine/src/drivers/switch/cli-driver';
import { getDialect } from '../engine/src/drivers/switch/registry';
import { allocateTenancyNetwork } from '../engine/src/ipam';
import type { JobInfo } from '../engine/src/api/client';
import type { InstanceRecord } from '../engine/src/store/instance-store';
import { openSqliteStore } from '../engine/src/store/sqlite';
import type { InstanceCreateInput } from '../engine/src/workflow/instance-create';
import { ms, PROVISIONING, startBenchLab } from './engine-bench-lab';

/** Redfish requests the install needs at the least: insert media, set the boot override, power on, eject. */
const INSTALL_REQUESTS = 4;
/** Redfish requests the disk boot needs at the least: set the boot override, power on. */
const DISK_BOOT_REQUESTS = 2;

const IMAGE = { name: 'bench-image', url: 'https://images.example/bench.iso', installTimeoutS: 600 };

/** The record the API writes before it starts a create. */
function recordOf(input: InstanceCreateInput): InstanceRecord {
  return {
    id: input.instanceId, tenancyId: input.tenancyId, profile: input.profile, serverId: null, image: input.image.name, hostname: '',
    sshAuthorizedKeys: [], userData: '', powerState: 'on', secureEraseOnDelete: true, ipAddress: null, state: 'creating', stateReason: null,
    createdAt: new Date().toISOString(), jobId: null,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      jobs: { type: 'string', default: '64' }, switches: { type: 'string', default: '4' }, 'bmc-parallelism': { type: 'string', default: '16' },
      'command-delay-ms': { type: 'string', default: '5' }, 'bmc-delay-ms': { type: 'string', default: '20' }, 'power-delay-ms': { type: 'string', default: '300' },
      'install-ms': { type: 'string', default: '300' },
    },
  });
  const [jobs, switches, bmcParallelism, commandDelayMs, requestDelayMs, powerDelayMs, installMs] =
    [values.jobs, values.switches, values['bmc-parallelism'], values['command-delay-ms'], values['bmc-delay-ms'], values['power-delay-ms'], values['install-ms']].map(Number);
  const portsPerSwitch = (jobs / switches) * 2;
  const lab = await startBenchLab({
    switches, portsPerSwitch, commandDelayMs, servers: { powerDelayMs, requestDelayMs, installMs },
    workflow: { gateway: { windowMs: 25 }, limits: { bmc: bmcParallelism }, bmcTiming: { pollIntervalMs: 20 } },
  });
  try {
    const sim = lab.switches[0];
    const endpoint = { id: 'leaf1', dialect: 'eos', host: sim.host, port: sim.port, username: 'admin', password: 'sw-pass', hostKeyFingerprint: sim.hostKeyFingerprint };
    let t = performance.now();
    await (await connectSwitch(endpoint)).close();
    const sessionSetup = performance.now() - t;

    const store = openSqliteStore(lab.daemon.dataDir.database);
    const tenancy = await allocateTenancyNetwork(store, { tenancyId: 'bench' });
    const inputs = Array.from({ length: jobs }, (_, i): InstanceCreateInput => ({
      instanceId: `vm-${i}`, profile: 'general', tenancyId: 'bench', tenancyVlan: tenancy.vlan, image: IMAGE, sshAuthorizedKeys: [], userData: '', powerState: 'on',
    }));
    for (const input of inputs) await store.instances.insertInstance(recordOf(input));
    await store.close();

    t = performance.now();
    const started = await Promise.all(inputs.map((input) => lab.client.startJob('instance.create', input)));
    const ended: JobInfo[] = await Promise.all(started.map((j) => lab.client.watchJob(j.id, () => undefined)));
    const wall = performance.now() - t;
    const failed = ended.filter((j) => j.state !== 'succeeded');

    // Lower bound from the configured delays and limits.
    const eos = getDialect('eos')!;
    const portCommands = eos.configurePort('Ethernet1', { mode: 'access', accessVlan: PROVISIONING, allowedVlans: null, nativeVlan: null, mtu: 9000, description: 'x', adminState: 'up' }).length;
    const portStep = sessionSetup + 2 * portCommands * commandDelayMs;
    const installStep = INSTALL_REQUESTS * requestDelayMs + powerDelayMs + installMs + powerDelayMs;
    const diskBootStep = DISK_BOOT_REQUESTS * requestDelayMs + powerDelayMs;
    const criticalPath = 2 * portStep + installStep + diskBootStep;
    // The install waits outside the BMC pool (it mostly waits for the installer); the disk boot counts against it.
    const bmcBound = Math.ceil(jobs / bmcParallelism) * diskBootStep;
    const switchBound = sessionSetup + (jobs / switches) * 2 * 2 * portCommands * commandDelayMs;
    const lowerBound = Math.max(criticalPath, bmcBound, switchBound);
    const sessions = lab.switches.reduce((n, s) => n + s.stats.sessions, 0);

    console.log(`engine-fleet: ${jobs} instance.create jobs, ${switches} switches, BMC parallelism ${bmcParallelism}`);
    console.log(`  delays: switch command ${commandDelayMs} ms, BMC request ${requestDelayMs} ms, power change ${powerDelayMs} ms, installer ${installMs} ms; session setup (measured) ${ms(sessionSetup)}`);
    console.log(`  engine wall time   ${ms(wall)} (${failed.length} failed, ${sessions} SSH sessions)`);
    console.log(`  lower bound        ${ms(lowerBound)} = max(one job's critical path ${ms(criticalPath)}, BMC steps / parallelism ${ms(bmcBound)}, busiest switch ${ms(switchBound)})`);
    console.log(`  ratio              ${(wall / lowerBound).toFixed(2)}`);
    if (failed.length > 0) console.log(`  first failure: ${failed[0].error}`);
  } finally {
    await lab.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
