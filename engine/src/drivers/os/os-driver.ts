// The contract between the engine and a provisioned server's operating system: how to reach it, what can be configured, and OsError.

/** How to reach one server's OS over SSH. Credentials are already decrypted by the engine. */
export interface OsEndpoint {
  /** Server id, named in every error. */
  device: string;
  host: string;
  port: number;
  username: string;
  /** Private key (OpenSSH or PEM text); tried first when set. */
  privateKey?: string | Buffer;
  /** Passphrase of an encrypted private key. */
  passphrase?: string;
  /** Password, tried when the key is missing or refused. */
  password?: string;
  /**
   * Pinned SSH host key as `SHA256:<base64>` (OpenSSH fingerprint form). When
   * set, a different key is refused with an error naming both fingerprints;
   * when unset any key is accepted and reported by `OsDriver.hostKeyFingerprint`
   * (trust on first use is the caller's decision).
   */
  hostKeyFingerprint?: string;
}

/**
 * Where on the server configuration lands. Netns "servers" of the lab share
 * one filesystem and, unless created with their own, one UTS namespace with
 * the host: they get a root directory each, and leave the running hostname alone.
 */
export interface OsTarget {
  /**
   * Absolute directory that stands for `/` when writing files (/etc/hostname,
   * ~user/.ssh/authorized_keys). Default `/`. Users are still looked up in the
   * server's own password database, and commands (`ip`, the bootstrap script)
   * run as they are.
   */
  rootDir?: string;
  /**
   * Whether setHostname also sets the running hostname with `hostname`.
   * Default: only when rootDir is `/`, so a per-server root never renames the
   * machine that hosts it.
   */
  setKernelHostname?: boolean;
}

/** An IP address for one interface and, optionally, the default route. */
export interface AddressConfig {
  /** Linux interface name (`eth0`, `enp3s0f1`, `bond0.100`). */
  interface: string;
  /** Address with prefix length: `10.1.2.3/24` or `2001:db8::5/64`. */
  address: string;
  /** Default gateway, same address family as `address`. */
  gateway?: string;
}

export type OutputStream = 'stdout' | 'stderr';

export interface BootstrapOptions {
  /** Receives each output line as it arrives (without the line break); the engine writes them into the job log. */
  onOutput?: (line: string, stream: OutputStream) => void;
  /** Limit for the whole script; the driver's default bootstrap timeout when absent. */
  timeoutMs?: number;
}

export interface BootstrapResult {
  /** Always 0: any other exit status is thrown as an OsError. */
  exitCode: number;
  /** Every output line, stdout and stderr interleaved as they arrived, joined with `\n`. */
  output: string;
}

/**
 * A provisioned server's OS. One instance = one server; it connects on first
 * use, reconnects after a dropped connection, and callers close it. Every
 * value placed into a remote command is checked against a strict grammar
 * first (an invalid one throws OsError `invalid-input` before anything is
 * sent) and quoted; file contents travel on the command's stdin.
 * Every operation is idempotent: running it again converges to the same state.
 */
export interface OsDriver {
  /** The host key the server presented on the last connection, `SHA256:<base64>`; undefined before the first. */
  readonly hostKeyFingerprint: string | undefined;
  /**
   * Tries to connect and authenticate every `intervalMs` until it works or
   * `timeoutMs` has passed (a freshly booted server may refuse connections, or
   * keys, for a while); keeps the connection for the next operations.
   * Throws OsError naming the host, how long it waited and the last failure
   * (its code and retryability are those of the last failure); a changed host
   * key is not retried but thrown at once.
   */
  waitUntilReachable(opts: { timeoutMs: number; intervalMs: number }): Promise<void>;
  /**
   * Writes `<root>/etc/hostname` (atomically) and, per OsTarget.setKernelHostname,
   * runs `hostname`. `name` must be an RFC 1123 host name of at most 64
   * characters (the Linux limit), dots allowed.
   */
  setHostname(name: string): Promise<void>;
  /**
   * Replaces `<root>~user/.ssh/authorized_keys` (atomically: written beside
   * and renamed) with `keys`, one per line; the directory ends with mode 0700,
   * the file with 0600, both owned by the user. Each key is `type base64
   * [comment]` with a known type whose blob names that type; authorized_keys
   * options (`command=...`) are refused. An empty list leaves an empty file.
   * Throws OsError `command-failed` when the user does not exist.
   */
  setAuthorizedKeys(user: string, keys: string[]): Promise<void>;
  /**
   * Makes `address` the only address of its family on the interface, brings
   * the link up and, with a gateway, replaces the default route. Runs as one
   * remote command; changing the interface that carries the SSH connection
   * itself cuts the connection (the change still completes on the server).
   */
  configureAddress(config: AddressConfig): Promise<void>;
  /**
   * Uploads `script` over stdin to a temporary file, runs it with /bin/sh
   * (stdin: /dev/null; `$0` is `/dev/fd/3`: the file is removed before the
   * script starts, so nothing is left behind). Resolves when it exits 0.
   * Throws OsError `command-failed` (exitCode and the last output lines) for
   * any other status, `command-timeout` after killing the script's process
   * group when it runs too long, `connection` (retryable) when the connection
   * drops while it runs, in which case it may or may not have finished.
   */
  runBootstrap(script: string, opts?: BootstrapOptions): Promise<BootstrapResult>;
  /** Ends the connection, if any. Never throws; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Why an OS operation failed. Only `connection` is retryable: the server was
 * unreachable, the handshake timed out or the connection dropped.
 * `unreachable`: a caller waited its whole reachability timeout in vain (final).
 */
export type OsErrorCode = 'connection' | 'unreachable' | 'host-key-mismatch' | 'auth-failed' | 'invalid-input' | 'command-failed' | 'command-timeout';

/** Errors at the OS driver edge; `message` is `<device>: <detail>`. Never carries credentials or key material. */
export class OsError extends Error {
  readonly retryable: boolean;
  /** The remote command that failed, when one was sent (file contents and scripts travel on stdin and are not included). */
  readonly command?: string;
  /** The last lines the command printed, stdout and stderr interleaved. */
  readonly output?: string;
  /** The command's exit status, when it exited. */
  readonly exitCode?: number;

  constructor(
    readonly device: string,
    readonly code: OsErrorCode,
    /** The message without the device prefix. */
    readonly detail: string,
    extra: { command?: string; output?: string; exitCode?: number } = {},
  ) {
    super(`${device}: ${detail}`);
    this.name = 'OsError';
    this.retryable = code === 'connection';
    this.command = extra.command;
    this.output = extra.output;
    this.exitCode = extra.exitCode;
  }
}
