// CLI: runs one Redfish BMC simulator and prints `{"endpoint","fingerprintSha256","username","certPem"}` as one JSON line.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startRedfishSimulator } from './server';

const USAGE = `usage: redfish-bmc [--host 127.0.0.1] [--port 0] [--username admin] [--password password]
  [--system-id 1] [--mac 52:54:00:aa:00:01 ...] [--power-on] [--power-delay-ms 300]
  [--secure-erase-ms 1000] [--install-ms 300] [--install-fault hang|fail]
  [--ignore-graceful-shutdown] [--no-session-service]
  [--virtual-media-under manager|system] [--no-virtual-media-actions]
  [--cert cert.pem --key key.pem]`;

const number = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
};

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      'system-id': { type: 'string' },
      mac: { type: 'string', multiple: true },
      'power-on': { type: 'boolean' },
      'power-delay-ms': { type: 'string' },
      'secure-erase-ms': { type: 'string' },
      'install-ms': { type: 'string' },
      'install-fault': { type: 'string' },
      'ignore-graceful-shutdown': { type: 'boolean' },
      'no-session-service': { type: 'boolean' },
      'virtual-media-under': { type: 'string' },
      'no-virtual-media-actions': { type: 'boolean' },
      cert: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const under = values['virtual-media-under'];
  if (under !== undefined && under !== 'manager' && under !== 'system') throw new Error(`--virtual-media-under must be manager or system, got "${under}"`);
  const installFault = values['install-fault'];
  if (installFault !== undefined && installFault !== 'hang' && installFault !== 'fail') throw new Error(`--install-fault must be hang or fail, got "${installFault}"`);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new Error('--cert and --key go together');
  const sim = await startRedfishSimulator({
    listen: { host: values.host, port: number(values.port, 'port') },
    username: values.username,
    password: values.password,
    systemId: values['system-id'],
    macs: values.mac,
    initialPowerState: values['power-on'] ? 'On' : undefined,
    powerDelayMs: number(values['power-delay-ms'], 'power-delay-ms'),
    secureEraseMs: number(values['secure-erase-ms'], 'secure-erase-ms'),
    installMs: number(values['install-ms'], 'install-ms'),
    installFault,
    ignoreGracefulShutdown: values['ignore-graceful-shutdown'],
    sessionService: values['no-session-service'] ? false : undefined,
    virtualMediaUnder: under,
    virtualMediaActions: values['no-virtual-media-actions'] ? false : undefined,
    tls: values.cert && values.key ? { certPem: readFileSync(values.cert, 'utf8'), keyPem: readFileSync(values.key, 'utf8') } : undefined,
  });
  process.stdout.write(`${JSON.stringify({ endpoint: sim.endpoint, fingerprintSha256: sim.fingerprintSha256, username: values.username ?? 'admin', certPem: sim.certPem })}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`redfish-bmc: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(2);
});
