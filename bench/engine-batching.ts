// Benchmark: 48 port changes on one switch with per-command latency, through the engine API, against the lower
// bound of one session setup plus the minimal commands' latency (both measured in the same run).
//
//   npm run build && node dist/bench/engine-batching.js [--delay-ms 20]

import { parseArgs } from 'node:util';
import type { PortConfig } from '../engine/src/domain/port-config';
import { connectSwitch } from '../engine/src/drivers/switch/cli-driver';
import { getDialect } from '../engine/src/drivers/switch/registry';
import { ms, startBenchLab } from './engine-bench-lab';

const PORTS = 48;

const config = (i: number): PortConfig => ({ mode: 'access', accessVlan: 100 + (i % 4), allowedVlans: null, nativeVlan: null, mtu: 9000, description: `srv-${i}`, adminState: 'up' });

/** The fewest commands that make the 48 changes and persist them: config mode in/out, each port's commands, the VLANs, one save. */
function minimalCommands(): number {
  const eos = getDialect('eos')!;
  const ports = Array.from({ length: PORTS }, (_, i) => eos.configurePort(`Ethernet${i + 1}`, config(i)).length).reduce((a, b) => a + b, 0);
  const vlans = [100, 101, 102, 103].map((v) => eos.ensureVlan(v, `maestro-${v}`).length).reduce((a, b) => a + b, 0);
  return eos.enterConfig.length + ports + vlans + eos.exitConfig.length + eos.save.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'delay-ms': { type: 'string', default: '20' } } });
  const delayMs = Number(values['delay-ms']);
  const lab = await startBenchLab({ switches: 1, portsPerSwitch: PORTS, commandDelayMs: delayMs, workflow: { gateway: { windowMs: 25 } } });
  try {
    const [sim] = lab.switches;
    const endpoint = { id: 'leaf1', dialect: 'eos', host: sim.host, port: sim.port, username: 'admin', password: 'sw-pass', hostKeyFingerprint: sim.hostKeyFingerprint };
    // One session setup alone (connect, login, session setup commands), and one command's latency, on this machine now.
    let t = performance.now();
    const driver = await connectSwitch(endpoint);
    const setup = performance.now() - t;
    t = performance.now();
    await driver.listVlans();
    const perCommand = performance.now() - t;
    await driver.close();

    const sessionsBefore = sim.stats.sessions;
    const commandsBefore = sim.stats.commands;
    t = performance.now();
    await Promise.all(Array.from({ length: PORTS }, (_, i) => lab.client.applyPortConfig({ switchId: 'leaf1', port: `Ethernet${i + 1}`, config: config(i), owner: `bench:${i}` })));
    const wall = performance.now() - t;

    const commands = minimalCommands();
    const lowerBound = setup + commands * perCommand;
    console.log(`engine-batching: ${PORTS} port changes, ${delayMs} ms per switch command`);
    console.log(`  engine wall time        ${ms(wall)} (${sim.stats.sessions - sessionsBefore} SSH sessions, ${sim.stats.commands - commandsBefore} commands)`);
    console.log(`  session setup (measured) ${ms(setup)}; one command (measured) ${ms(perCommand)}`);
    console.log(`  lower bound             ${ms(lowerBound)} = setup + ${commands} minimal commands x ${ms(perCommand)}`);
    console.log(`  ratio                   ${(wall / lowerBound).toFixed(2)}`);
  } finally {
    await lab.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
