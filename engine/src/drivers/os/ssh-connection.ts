// One authenticated SSH connection to a server's OS: host key pinning, key or password login, commands run with exec (never a shell).

import { Client } from 'ssh2';
import { sshFingerprint } from '../switch/ssh-fingerprint';
import { OsError, type OsEndpoint } from './os-driver';
import { commandLine, killGroupScript, runOnChannel, type CommandRequest } from './remote-command';

/** Limit for the `kill` sent after a command times out. */
const KILL_TIMEOUT_MS = 5_000;
/** Keepalives detect a dead server during a long command: 4 unanswered, 15 s apart. */
const KEEPALIVE_INTERVAL_MS = 15_000;
const KEEPALIVE_COUNT_MAX = 4;

export class SshConnection {
  private closed = false;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly client: Client,
    private readonly endpoint: OsEndpoint,
    /** The key the server presented, `SHA256:<base64>`. */
    readonly hostKeyFingerprint: string,
  ) {
    this.closedPromise = new Promise((resolve) => client.once('close', () => resolve()));
    client.once('close', () => (this.closed = true));
    // A failure after login surfaces as the running command's channel closing without an exit status.
    client.on('error', () => undefined);
  }

  /** False once the connection has dropped or been closed; open a new one then. */
  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Connects and authenticates (private key first, then password, as given)
   * within `timeoutMs`. Throws OsError: `host-key-mismatch` naming both
   * fingerprints, `auth-failed`, or `connection` (refused, unreachable,
   * handshake timeout).
   */
  static open(endpoint: OsEndpoint, timeoutMs: number): Promise<SshConnection> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let presented: string | undefined;
      let settled = false;
      const settle = (error: OsError | null) => {
        if (settled) return;
        settled = true;
        if (error) {
          client.end();
          return reject(error);
        }
        client.setNoDelay(true);
        resolve(new SshConnection(client, endpoint, presented!));
      };
      client.once('ready', () => settle(null));
      client.on('error', (err) => settle(connectError(endpoint, err, presented)));
      client.once('close', () => settle(new OsError(endpoint.device, 'connection', `${where(endpoint)} closed the connection during login`)));
      client.connect({
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        privateKey: endpoint.privateKey,
        passphrase: endpoint.passphrase,
        password: endpoint.password,
        authHandler: [...(endpoint.privateKey ? ['publickey' as const] : []), ...(endpoint.password !== undefined ? ['password' as const] : [])],
        readyTimeout: timeoutMs,
        keepaliveInterval: KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: KEEPALIVE_COUNT_MAX,
        hostVerifier: (key: Buffer) => {
          presented = sshFingerprint(key);
          return endpoint.hostKeyFingerprint === undefined || presented === endpoint.hostKeyFingerprint;
        },
      });
    });
  }

  /** Runs one command (see runOnChannel for what it resolves with and throws). */
  run(req: CommandRequest): Promise<string[]> {
    if (this.closed) return Promise.reject(this.dropped(req.label));
    return new Promise((resolve, reject) => {
      this.client.exec(commandLine(req.script), (err, channel) => {
        if (err) return reject(new OsError(this.endpoint.device, 'connection', `could not start ${req.label}: ${err.message}`, { command: req.script }));
        runOnChannel(this.endpoint.device, channel, req, (pgid) => this.killGroup(pgid)).then(resolve, reject);
      });
    });
  }

  /** Ends the connection and resolves once it is closed. Never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.client.end();
    await this.closedPromise;
  }

  private async killGroup(pgid: number): Promise<void> {
    await this.run({ label: `kill of process group ${pgid}`, script: killGroupScript(pgid), timeoutMs: KILL_TIMEOUT_MS });
  }

  private dropped(label: string): OsError {
    return new OsError(this.endpoint.device, 'connection', `the connection to ${where(this.endpoint)} is closed; ${label} was not sent`);
  }
}

function where(endpoint: OsEndpoint): string {
  return `${endpoint.host}:${endpoint.port}`;
}

/** Turns a failed login into an error a user can act on. */
function connectError(endpoint: OsEndpoint, err: Error & { level?: string }, presented: string | undefined): OsError {
  const pinned = endpoint.hostKeyFingerprint;
  if (pinned !== undefined && presented !== undefined && presented !== pinned) {
    const detail = `the SSH host key of ${where(endpoint)} changed: expected ${pinned}, the server presented ${presented}. Refusing to connect; if the server was reinstalled on purpose, update its pinned host key.`;
    return new OsError(endpoint.device, 'host-key-mismatch', detail);
  }
  if (err.level === 'client-authentication') {
    const methods = [endpoint.privateKey ? 'private key' : '', endpoint.password !== undefined ? 'password' : ''].filter(Boolean).join(', ') || 'none configured';
    return new OsError(endpoint.device, 'auth-failed', `authentication failed for user "${endpoint.username}" at ${where(endpoint)} (tried: ${methods}); check the server's credentials`);
  }
  return new OsError(endpoint.device, 'connection', `cannot connect to ${where(endpoint)}: ${err.message}`);
}
