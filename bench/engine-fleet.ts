// Benchmark: a fleet of instance.create jobs (allocate, ports to provisioning, PXE + power on, ports to the tenancy,
// disk boot + restart, active) over several switches with simulated BMC delays, against a lower bound computed from
// the configured delays and the parallelism limits.
//
//   npm run build && node dist/bench/engine-fleet.js [--jobs 64] [--switches 4] [--bmc-parallelism 16]

import { parseArgs } from 'node:util';
import { connectSwitch } from '../engine/src/drivers/switch/cli-driver';
import { getDialect } from '../engine/src/drivers/switch/registry';
import { allocateTenancyNetwork } from '../engine/src/ipam';
import type { JobInfo } from '../engine/src/api/client';
import { openSqliteStore } from '../engine/src/store/sqlite';
import { ms, PROVISIONING, startBenchLab } from './engine-bench-lab';

/** Redfish requests a BMC step needs at the least: set the boot override, request the power change. */
const BMC_REQUESTS_PER_STEP = 2;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      jobs: { type: 'string', default: '64' }, switches: { type: 'string', default: '4' }, 'bmc-parallelism': { type: 'string', default: '16' },
      'command-delay-ms': { type: 'string', default: '5' }, 'bmc-delay-ms': { type: 'string', default: '20' }, 'power-delay-ms': { type: 'string', default: '300' },
    },
  });
  const [jobs, switches, bmcParallelism, commandDelayMs, requestDelayMs, powerDelayMs] =
    [values.jobs, values.switches, values['bmc-parallelism'], values['command-delay-ms'], values['bmc-delay-ms'], values['power-delay-ms']].map(Number);
  const portsPerSwitch = (jobs / switches) * 2;
  const lab = await startBenchLab({
    switches, portsPerSwitch, commandDelayMs, servers: { powerDelayMs, requestDelayMs },
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
    await store.close();

    t = performance.now();
    const started = await Promise.all(Array.from({ length: jobs }, (_, i) =>
      lab.client.startJob('instance.create', { instanceId: `vm-${i}`, profile: 'general', tenancyId: 'bench', tenancyVlan: tenancy.vlan })));
    const ended: JobInfo[] = await Promise.all(started.map((j) => lab.client.watchJob(j.id, () => undefined)));
    const wall = performance.now() - t;
    const failed = ended.filter((j) => j.state !== 'succeeded');

    // Lower bound from the configured delays and limits.
    const eos = getDialect('eos')!;
    const portCommands = eos.configurePort('Ethernet1', { mode: 'access', accessVlan: PROVISIONING, allowedVlans: null, nativeVlan: null, mtu: 9000, description: 'x', adminState: 'up' }).length;
    const portStep = sessionSetup + 2 * portCommands * commandDelayMs;
    const bmcStep = BMC_REQUESTS_PER_STEP * requestDelayMs + powerDelayMs;
    const criticalPath = 2 * portStep + 2 * bmcStep;
    const bmcBound = Math.ceil((jobs * 2) / bmcParallelism) * bmcStep;
    const switchBound = sessionSetup + (jobs / switches) * 2 * 2 * portCommands * commandDelayMs;
    const lowerBound = Math.max(criticalPath, bmcBound, switchBound);
    const sessions = lab.switches.reduce((n, s) => n + s.stats.sessions, 0);

    console.log(`engine-fleet: ${jobs} instance.create jobs, ${switches} switches, BMC parallelism ${bmcParallelism}`);
    console.log(`  delays: switch command ${commandDelayMs} ms, BMC request ${requestDelayMs} ms, power change ${powerDelayMs} ms; session setup (measured) ${ms(sessionSetup)}`);
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
