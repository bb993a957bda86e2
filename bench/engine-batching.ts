// Benchmark: 48 port changes on one switch with per-command latency, through the engine API, against the lower
// bound of one session setup plus the commands no correct engine can avoid, each at one command's latency (both
// measured in the same run), with the commands the simulated switch received set beside that minimum.
//
//   npm run build && node dist/bench/engine-batching.js [--delay-ms 20]

import { parseArgs } from 'node:util';
import type { PortConfig } from '../engine/src/domain/port-config';
import { connectSwitch } from '../engine/src/drivers/switch/cli-driver';
import type { Dialect, SwitchEndpoint } from '../engine/src/drivers/switch/driver';
import { getDialect } from '../engine/src/drivers/switch/registry';
import { vlansOf } from '../engine/src/workflow/switch-gateway';
import { ms, startBenchLab } from './engine-bench-lab';

const PORTS = 48;
/** Session setups and commands timed alone, before and after the run; the fastest of each is the bound's, so a slow sample cannot inflate it. */
const SETUP_SAMPLES = 3;
const COMMAND_SAMPLES = 10;

interface Latency {
  setup: number;
  perCommand: number;
}

const portName = (i: number) => `Ethernet${i + 1}`;
const config = (i: number): PortConfig => ({ mode: 'access', accessVlan: 100 + (i % 4), allowedVlans: null, nativeVlan: null, mtu: 9000, description: `srv-${i}`, adminState: 'up' });

/**
 * The commands no correct engine can avoid for the 48 changes, in order, on one session: its setup; the ports
 * before the change (ApplyPortConfig's undo puts them back), one whole-switch show; in one config mode, the
 * dialect's commands for each VLAN the switch lacks (`present`: the VLANs it has; that show lists them too) and for
 * each port; the save; the ports read back after the change (each caller gets its port as the switch shows it).
 */
function minimalCommands(dialect: Dialect, present: readonly number[]): string[] {
  // EOS shows every port in one command (the driver uses it for more than a few ports).
  const readAll = dialect.showAllPorts!;
  const configs = Array.from({ length: PORTS }, (_, i) => config(i));
  const missing = [...new Set(configs.flatMap(vlansOf))].filter((v) => !present.includes(v)).sort((a, b) => a - b);
  return [
    ...dialect.sessionSetup,
    readAll,
    ...dialect.enterConfig,
    ...missing.flatMap((v) => dialect.ensureVlan(v, `maestro-${v}`, present)),
    ...configs.flatMap((c, i) => dialect.configurePort(portName(i), c)),
    ...dialect.exitConfig,
    ...dialect.save,
    readAll,
  ];
}

const KINDS = ['session setup', 'port reads', 'VLAN list', 'config mode in/out', 'VLAN and port changes', 'save'] as const;
type Kind = (typeof KINDS)[number];

function kindOf(dialect: Dialect, command: string): Kind {
  if (dialect.sessionSetup.includes(command)) return 'session setup';
  if (command === dialect.showAllPorts || command.startsWith(dialect.showPort(''))) return 'port reads';
  if (command === dialect.showVlans) return 'VLAN list';
  if (dialect.enterConfig.includes(command) || dialect.exitConfig.includes(command)) return 'config mode in/out';
  if (dialect.save.includes(command)) return 'save';
  return 'VLAN and port changes';
}

const countKinds = (dialect: Dialect, commands: string[]) => {
  const counts = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  for (const command of commands) {
    const kind = kindOf(dialect, command);
    counts.set(kind, counts.get(kind)! + 1);
  }
  return counts;
};

/** The fastest of SETUP_SAMPLES session setups (connect, login, session setup commands) and of COMMAND_SAMPLES commands. */
async function measureLatency(endpoint: SwitchEndpoint): Promise<Latency> {
  const timed = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const result = await fn();
    return [performance.now() - t, result];
  };
  let setup = Infinity;
  for (let i = 0; i < SETUP_SAMPLES; i++) {
    const [took, driver] = await timed(() => connectSwitch(endpoint));
    setup = Math.min(setup, took);
    await driver.close();
  }
  const driver = await connectSwitch(endpoint);
  let perCommand = Infinity;
  for (let i = 0; i < COMMAND_SAMPLES; i++) perCommand = Math.min(perCommand, (await timed(() => driver.listVlans()))[0]);
  await driver.close();
  return { setup, perCommand };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'delay-ms': { type: 'string', default: '20' } } });
  const delayMs = Number(values['delay-ms']);
  const lab = await startBenchLab({ switches: 1, portsPerSwitch: PORTS, commandDelayMs: delayMs, workflow: { gateway: { windowMs: 25 } } });
  try {
    const [sim] = lab.switches;
    const eos = getDialect('eos')!;
    const endpoint = { id: 'leaf1', dialect: 'eos', host: sim.host, port: sim.port, username: 'admin', password: 'sw-pass', hostKeyFingerprint: sim.hostKeyFingerprint };
    const before = await measureLatency(endpoint);

    const minimal = minimalCommands(eos, sim.state.vlans());
    const sessionsBefore = sim.stats.sessions;
    const logBefore = sim.commandLog.length;
    const t = performance.now();
    await Promise.all(Array.from({ length: PORTS }, (_, i) => lab.client.applyPortConfig({ switchId: 'leaf1', port: portName(i), config: config(i), owner: `bench:${i}` })));
    const wall = performance.now() - t;
    const sessions = sim.stats.sessions - sessionsBefore;
    const received = sim.commandLog.slice(logBefore).map((c) => c.command);
    // Timed again after the run and the fastest of both kept, so machine load that eased during the run does not inflate the bound.
    const after = await measureLatency(endpoint);
    const setup = Math.min(before.setup, after.setup);
    const perCommand = Math.min(before.perCommand, after.perCommand);

    // The setup's own commands are in its measured time, not in the commands the bound multiplies.
    const commands = minimal.length - eos.sessionSetup.length;
    const lowerBound = setup + commands * perCommand;
    console.log(`engine-batching: ${PORTS} port changes, ${delayMs} ms per switch command`);
    console.log(`  engine wall time         ${ms(wall)} (${sessions} SSH sessions, ${received.length} commands)`);
    console.log(`  session setup (fastest of ${2 * SETUP_SAMPLES}) ${ms(setup)}; one command (fastest of ${2 * COMMAND_SAMPLES}) ${perCommand.toFixed(1)} ms`);
    console.log(`  lower bound              ${ms(lowerBound)} = 1 session setup + ${commands} commands x ${perCommand.toFixed(1)} ms`);
    console.log(`  ratio                    ${(wall / lowerBound).toFixed(2)}`);
    const extraSessions = sessions - 1;
    const extraCommands = received.length - sessions * eos.sessionSetup.length - commands;
    const explained = extraSessions * setup + extraCommands * perCommand;
    console.log(`  beyond the bound         ${ms(wall - lowerBound)} = more sessions: ${extraSessions} (${ms(extraSessions * setup)}) + more commands: ${extraCommands} (${ms(extraCommands * perCommand)}) + ` +
      `else: ${ms(wall - lowerBound - explained)} (batch windows, commands slower than the fastest, the engine's own work)`);
    console.log(`  commands                 received   minimum`);
    const got = countKinds(eos, received);
    const need = countKinds(eos, minimal);
    console.log(`    ${'SSH sessions'.padEnd(22)} ${String(sessions).padStart(8)}  ${'1'.padStart(8)}`);
    for (const kind of KINDS) console.log(`    ${kind.padEnd(22)} ${String(got.get(kind)).padStart(8)}  ${String(need.get(kind)).padStart(8)}`);
    console.log(`    ${'total'.padEnd(22)} ${String(received.length).padStart(8)}  ${String(minimal.length).padStart(8)}`);
  } finally {
    await lab.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
