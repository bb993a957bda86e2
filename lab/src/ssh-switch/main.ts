// Runs one switch simulator standalone and prints its address and host key fingerprint as one JSON line.
//
//   node dist/lab/src/ssh-switch/main.js --dialect eos --hostname leaf1 --ports Ethernet1-48 \
//     --port 2201 --user admin --password admin [--host 127.0.0.1] [--quarantine-vlan 999] \
//     [--host-key-file key] [--command-log commands.jsonl] [--delay-ms 0] [--enable-password secret]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type SimulatedDialect, simulatedDialects } from './dialects';
import { startSwitchSimulator } from './server';

/** `Ethernet1-48,Port-Channel10` -> Ethernet1..Ethernet48, Port-Channel10; `Ethernet1/1-4` -> Ethernet1/1..Ethernet1/4. */
export function expandPorts(spec: string): string[] {
  return spec.split(',').flatMap((part) => {
    const m = /^(.*?)(\d+)-(\d+)$/.exec(part);
    if (!m) return [part];
    const [, prefix, lo, hi] = m;
    if (Number(hi) < Number(lo)) throw new Error(`bad port range ${part}: ${hi} < ${lo}`);
    return Array.from({ length: Number(hi) - Number(lo) + 1 }, (_, i) => `${prefix}${Number(lo) + i}`);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dialect: { type: 'string', default: 'eos' },
      hostname: { type: 'string', default: 'leaf1' },
      ports: { type: 'string', default: 'Ethernet1-48' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      user: { type: 'string', default: 'admin' },
      password: { type: 'string', default: 'admin' },
      'quarantine-vlan': { type: 'string', default: '999' },
      'host-key-file': { type: 'string' },
      'command-log': { type: 'string' },
      'delay-ms': { type: 'string', default: '0' },
      'enable-password': { type: 'string' },
    },
  });
  if (!(values.dialect! in simulatedDialects)) throw new Error(`unknown dialect ${values.dialect}; available: ${Object.keys(simulatedDialects).join(', ')}`);
  const sim = await startSwitchSimulator({
    dialect: values.dialect as SimulatedDialect,
    hostname: values.hostname!,
    ports: expandPorts(values.ports!),
    listen: { host: values.host, port: Number(values.port) },
    username: values.user!,
    password: values.password!,
    enablePassword: values['enable-password'],
    quarantineVlan: Number(values['quarantine-vlan']),
    hostKey: values['host-key-file'] ? readFileSync(values['host-key-file']) : undefined,
    commandLogFile: values['command-log'],
    commandDelayMs: Number(values['delay-ms']),
  });
  console.log(JSON.stringify({ dialect: values.dialect, hostname: values.hostname, host: sim.host, port: sim.port, hostKeyFingerprint: sim.hostKeyFingerprint, username: values.user }));
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`switch simulator: ${error.message}`);
    process.exit(1);
  });
}
