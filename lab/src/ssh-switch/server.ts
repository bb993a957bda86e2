// The SSH switch simulator: an ssh2 server with password auth whose shells run a dialect's simulated CLI.

import { createWriteStream, type WriteStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type AuthContext, type Connection, Server, utils } from 'ssh2';
import { CliSession } from '../../../engine/src/drivers/switch/cli-session';
import { getDialect } from '../../../engine/src/drivers/switch/registry';
import { sshFingerprint } from '../../../engine/src/drivers/switch/ssh-fingerprint';
import { type SimulatedDialect, simulatedDialects } from './dialects';
import { ShellSession, type ShellHost, type SimulatorFaults } from './shell-session';
import { SwitchState } from './state';

export type { SimulatorFaults } from './shell-session';

export interface SwitchSimulatorOptions {
  dialect: SimulatedDialect;
  hostname: string;
  ports: string[];
  /** Default 127.0.0.1 and an ephemeral port. */
  listen?: { host?: string; port?: number };
  username: string;
  password: string;
  /** IOS: the enable secret `enable` asks for (default: none, `enable` asks nothing). */
  enablePassword?: string;
  /** Private host key (OpenSSH or PEM); default: a fresh ECDSA P-256 key. */
  hostKey?: string | Buffer;
  /** Authentication methods offered; default both. */
  authMethods?: Array<'password' | 'keyboard-interactive'>;
  /** The VLAN every port starts in (default 999). */
  quarantineVlan?: number;
  /** Latency before every answer; same as `faults.commandDelayMs`. */
  commandDelayMs?: number;
  faults?: SimulatorFaults;
  /** Appends every command received as a JSON line `{session, command, at}`. */
  commandLogFile?: string;
}

export interface CommandLogEntry {
  /** Session number, counting from 1 in the order shells were opened. */
  session: number;
  command: string;
  /** ISO-8601 time the command was received. */
  at: string;
}

export interface SwitchSimulator {
  host: string;
  port: number;
  /** `SHA256:<base64>`, what the engine pins. */
  hostKeyFingerprint: string;
  /** The switch's configuration; tests may read and mutate it directly. */
  state: SwitchState;
  /** Shells opened and command lines received (across sessions). */
  stats: { sessions: number; commands: number };
  commandLog: CommandLogEntry[];
  /** Replaces the active faults (`{}` clears them). */
  setFaults(faults: SimulatorFaults): void;
  /**
   * Runs CLI commands over a new SSH session, as an operator would (the way to
   * change a switch "behind the engine's back"). Resolves with each command's
   * output; rejects with a DeviceError when the CLI rejects one.
   */
  runCommands(commands: string[]): Promise<string[]>;
  /** Disconnects every client and stops listening. */
  close(): Promise<void>;
}

/**
 * The private key to serve and its public fingerprint. A fresh key is ECDSA
 * P-256: ssh2's ed25519 generator writes an unparseable key about once in 250.
 */
function loadHostKey(hostKey: string | Buffer | undefined): { key: string | Buffer; fingerprint: string } {
  const key = hostKey ?? utils.generateKeyPairSync('ecdsa', { bits: 256 }).private;
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw new Error(`cannot read the simulator host key: ${parsed.message}`);
  return { key, fingerprint: sshFingerprint(parsed.getPublicSSH()) };
}

/** Starts a simulated switch; resolves once it listens. */
export async function startSwitchSimulator(opts: SwitchSimulatorOptions): Promise<SwitchSimulator> {
  const createCli = simulatedDialects[opts.dialect];
  if (!createCli) throw new Error(`no simulator for dialect "${opts.dialect}"; available: ${Object.keys(simulatedDialects).join(', ')}`);
  const state = new SwitchState(opts.hostname, opts.ports, opts.quarantineVlan ?? 999);
  const { key, fingerprint } = loadHostKey(opts.hostKey);
  const methods = opts.authMethods ?? ['password', 'keyboard-interactive'];
  const stats = { sessions: 0, commands: 0 };
  const commandLog: CommandLogEntry[] = [];
  const logFile: WriteStream | null = opts.commandLogFile ? createWriteStream(opts.commandLogFile, { flags: 'a' }) : null;
  const connections = new Set<Connection>();
  const login = { username: opts.username, enablePassword: opts.enablePassword };
  let faults: SimulatorFaults = { commandDelayMs: opts.commandDelayMs, ...opts.faults };

  const authenticate = (ctx: AuthContext) => {
    const userOk = ctx.username === opts.username;
    if (ctx.method === 'password' && methods.includes('password')) return userOk && ctx.password === opts.password ? ctx.accept() : ctx.reject();
    if (ctx.method !== 'keyboard-interactive' || !methods.includes('keyboard-interactive')) return ctx.reject(methods);
    ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => (userOk && answers[0] === opts.password ? ctx.accept() : ctx.reject()));
  };

  const record = (session: number, command: string) => {
    stats.commands++;
    const entry = { session, command, at: new Date().toISOString() };
    commandLog.push(entry);
    logFile?.write(JSON.stringify(entry) + '\n');
  };

  const server = new Server({ hostKeys: [key] }, (client) => {
    connections.add(client);
    // The CLI answers in many small writes (echo, prompt); Nagle's algorithm would delay each by up to 40 ms.
    // (ssh2's Connection has setNoDelay; its type definitions omit it.)
    (client as Connection & { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    client.on('close', () => connections.delete(client));
    // A client vanishing mid-handshake (or being dropped by a fault) is routine for a switch.
    client.on('error', () => undefined);
    client.on('authentication', authenticate);
    client.on('ready', () =>
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        let rows = 24;
        session.on('pty', (accept, _reject, info) => {
          rows = info.rows || rows;
          accept?.();
        });
        session.on('shell', (accept) => {
          const host: ShellHost = { faults: () => faults, record, drop: () => client.end() };
          new ShellSession(accept(), ++stats.sessions, rows, host, (terminal) => createCli(state, terminal, login));
        });
      }),
    );
  });

  const listenHost = opts.listen?.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listen?.port ?? 0, listenHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const runCommands = async (commands: string[]): Promise<string[]> => {
    const dialect = getDialect(opts.dialect)!;
    const cli = await CliSession.open({ device: opts.hostname, host: listenHost, port, username: opts.username, password: opts.password, enablePassword: opts.enablePassword, hostKeyFingerprint: fingerprint, prompt: dialect.prompt, errorPatterns: dialect.errorPatterns });
    try {
      const outputs: string[] = [];
      for (const command of [...dialect.sessionSetup, ...commands]) outputs.push(await cli.run(command));
      return outputs.slice(dialect.sessionSetup.length);
    } finally {
      await cli.close();
    }
  };

  const close = async () => {
    for (const c of connections) c.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (logFile) await new Promise<void>((resolve) => logFile.end(resolve));
  };

  return { host: listenHost, port, hostKeyFingerprint: fingerprint, state, stats, commandLog, setFaults: (f) => void (faults = f), runCommands, close };
}
