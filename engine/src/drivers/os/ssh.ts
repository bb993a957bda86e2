// The OS driver over SSH: each operation is one validated, quoted POSIX sh script run with exec on the server.

import type { FieldViolation } from '../../domain/port-config';
import {
  cidrViolation,
  gatewayViolation,
  hostnameViolation,
  interfaceNameViolation,
  normalizeSshPublicKey,
  parseCidr,
  rootDirViolation,
  sshPublicKeyViolation,
  usernameViolation,
} from './os-grammar';
import {
  OsError,
  type AddressConfig,
  type BootstrapOptions,
  type BootstrapResult,
  type OsDriver,
  type OsEndpoint,
  type OsTarget,
} from './os-driver';
import type { CommandRequest } from './remote-command';
import { shellQuote } from './shell-quote';
import { SshConnection } from './ssh-connection';

export interface SshOsDriverOptions extends OsEndpoint, OsTarget {
  /** Limit for TCP connect + SSH handshake + authentication (default 15 s). */
  connectTimeoutMs?: number;
  /** Limit for each configuration command (default 60 s). */
  commandTimeoutMs?: number;
  /** Limit for a bootstrap script when runBootstrap is given none (default 30 min). */
  bootstrapTimeoutMs?: number;
}

/** Creates the driver; it connects on the first operation. Throws OsError `invalid-input` for a bad rootDir. */
export function createSshOsDriver(options: SshOsDriverOptions): OsDriver {
  return new SshOsDriver(options);
}

class SshOsDriver implements OsDriver {
  private connection: SshConnection | null = null;
  private connecting: Promise<SshConnection> | null = null;
  private lastHostKey: string | undefined;
  /** rootDir without its trailing `/`, so `${root}/etc` is right for `/` too. */
  private readonly root: string;
  private readonly setKernelHostname: boolean;

  constructor(private readonly opts: SshOsDriverOptions) {
    const rootDir = opts.rootDir ?? '/';
    this.check([rootDirViolation('root_dir', rootDir)]);
    this.root = rootDir.replace(/\/+$/, '');
    this.setKernelHostname = opts.setKernelHostname ?? this.root === '';
  }

  get hostKeyFingerprint(): string | undefined {
    return this.lastHostKey;
  }

  async waitUntilReachable({ timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number }): Promise<void> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    let attempts = 0;
    for (;;) {
      attempts++;
      const failure = await this.connect(Math.max(1, Math.min(this.connectTimeoutMs, deadline - Date.now()))).then(
        () => null,
        (err: unknown) => err,
      );
      if (failure === null) return;
      if (!(failure instanceof OsError) || failure.code === 'host-key-mismatch') throw failure;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return this.gaveUp(failure, attempts, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remaining)));
    }
  }

  async setHostname(name: string): Promise<void> {
    this.check([hostnameViolation('hostname', name)]);
    const etc = shellQuote(`${this.root}/etc`);
    const script = [
      'set -e',
      `mkdir -p ${etc}`,
      `tmp=$(mktemp ${etc}/.hostname.XXXXXX)`,
      `printf '%s\\n' ${shellQuote(name)} > "$tmp"`,
      'chmod 644 "$tmp"',
      `mv -f "$tmp" ${etc}/hostname`,
      ...(this.setKernelHostname ? [`hostname ${shellQuote(name)}`] : []),
    ];
    await this.run({ label: 'setting the hostname', script: script.join('\n') });
  }

  async setAuthorizedKeys(user: string, keys: string[]): Promise<void> {
    this.check([usernameViolation('user', user), ...keys.map((k, i) => sshPublicKeyViolation(`ssh_keys[${i}]`, k))]);
    const script = [
      'set -eu',
      'umask 077',
      `entry=$(getent passwd ${shellQuote(user)}) || { echo ${shellQuote(`no user "${user}" on this server`)} >&2; exit 3; }`,
      `uid=$(printf '%s' "$entry" | cut -d: -f3)`,
      `gid=$(printf '%s' "$entry" | cut -d: -f4)`,
      `dir=${shellQuote(this.root)}"$(printf '%s' "$entry" | cut -d: -f6)/.ssh"`,
      `[ ! -L "$dir" ] || { echo "$dir is a symbolic link; refusing to write through it" >&2; exit 3; }`,
      'mkdir -p "$dir"',
      'chmod 700 "$dir"',
      'chown "$uid:$gid" "$dir"',
      `tmp=$(mktemp "$dir/.authorized_keys.XXXXXX")`,
      `trap 'rm -f "$tmp"' EXIT`,
      'cat > "$tmp"',
      'chmod 600 "$tmp"',
      'chown "$uid:$gid" "$tmp"',
      'mv -f "$tmp" "$dir/authorized_keys"',
    ];
    const stdin = keys.map((k) => normalizeSshPublicKey(k) + '\n').join('');
    await this.run({ label: `writing the authorized keys of "${user}"`, script: script.join('\n'), stdin });
  }

  async configureAddress(config: AddressConfig): Promise<void> {
    const cidr = parseCidr(config.address);
    this.check([
      interfaceNameViolation('interface', config.interface),
      cidrViolation('address', config.address),
      cidr && config.gateway !== undefined ? gatewayViolation('gateway', config.gateway, cidr.family) : null,
    ]);
    const family = `-${cidr!.family}`;
    const dev = shellQuote(config.interface);
    const script = [
      'set -e',
      // IPv6 link-local addresses stay: the kernel owns them.
      `ip ${family} addr flush dev ${dev}${cidr!.family === 6 ? ' scope global' : ''}`,
      `ip ${family} addr add ${shellQuote(config.address)} dev ${dev}`,
      `ip link set dev ${dev} up`,
      ...(config.gateway !== undefined ? [`ip ${family} route replace default via ${shellQuote(config.gateway)} dev ${dev}`] : []),
    ];
    await this.run({ label: `configuring ${config.address} on ${config.interface}`, script: script.join('\n') });
  }

  async runBootstrap(script: string, opts: BootstrapOptions = {}): Promise<BootstrapResult> {
    // The file is unlinked before the script starts (sh reads it through the open descriptor), so a killed or cut-off script leaves nothing behind.
    const wrapper = [
      'tmp=$(mktemp /tmp/maestro-bootstrap.XXXXXX) || exit 125',
      'cat > "$tmp" || { rm -f "$tmp"; exit 125; }',
      'exec 3< "$tmp"',
      'rm -f "$tmp"',
      '/bin/sh /dev/fd/3 < /dev/null',
    ];
    const lines = await this.run({
      label: 'the bootstrap script',
      script: wrapper.join('\n'),
      stdin: script,
      timeoutMs: opts.timeoutMs ?? this.opts.bootstrapTimeoutMs ?? 30 * 60_000,
      onLine: opts.onOutput,
    });
    return { exitCode: 0, output: lines.join('\n') };
  }

  async close(): Promise<void> {
    const connection = this.connection ?? (await this.connecting?.catch(() => null));
    this.connection = null;
    await connection?.close();
  }

  private get connectTimeoutMs(): number {
    return this.opts.connectTimeoutMs ?? 15_000;
  }

  /** The open connection, or a new one; concurrent callers share one attempt. */
  private async connect(timeoutMs = this.connectTimeoutMs): Promise<SshConnection> {
    if (this.connection?.isOpen) return this.connection;
    this.connecting ??= SshConnection.open(this.opts, timeoutMs).finally(() => (this.connecting = null));
    const connection = await this.connecting;
    this.connection = connection;
    this.lastHostKey = connection.hostKeyFingerprint;
    return connection;
  }

  private async run(req: Omit<CommandRequest, 'timeoutMs'> & { timeoutMs?: number }): Promise<string[]> {
    const connection = await this.connect();
    return connection.run({ ...req, timeoutMs: req.timeoutMs ?? this.opts.commandTimeoutMs ?? 60_000 });
  }

  /** Throws OsError `invalid-input` listing every violation; nothing has been sent. */
  private check(violations: Array<FieldViolation | null>): void {
    const found = violations.filter((v): v is FieldViolation => v !== null);
    if (found.length === 0) return;
    throw new OsError(this.opts.device, 'invalid-input', `refusing invalid input: ${found.map((v) => `${v.field}: ${v.reason}`).join('; ')}`);
  }

  private gaveUp(last: OsError, attempts: number, waitedMs: number): never {
    const detail = `${this.opts.host}:${this.opts.port} was not reachable over SSH after waiting ${waitedMs} ms (${attempts} attempts); last failure: ${last.detail}`;
    throw new OsError(this.opts.device, last.code, detail, { command: last.command, output: last.output, exitCode: last.exitCode });
  }
}
