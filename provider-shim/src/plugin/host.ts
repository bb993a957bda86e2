// The provider host: one provider process that serves, one after another, the
// plugin sessions terraform starts, so that a terraform command's three to five
// provider starts cost a shell script each instead of a node start, a module
// load and a cold JIT.
//
// Terraform execs the launcher (install.ts, launcherScript). The launcher makes
// a FIFO named s.<its pid> in the host directory and opens it for reading; the
// host sees it (inotify), claims it by creating the directory s.<pid>.c, opens
// it for writing and answers one line: the go-plugin handshake line of a fresh
// session, or "direct" when it will not serve it (another session is active,
// or the request is not terraform's), in which case the launcher runs the
// provider itself as before. After the handshake line the FIFO carries the
// session's provider logs, which the launcher copies to its stderr (go-plugin
// reads them there); the session ends when terraform sends Shutdown or lets go
// of the connection, and closing the FIFO ends the launcher, which is how
// go-plugin sees its plugin exit.
//
// Each session gets a fresh provider seeing the launcher's environment and
// working directory (read from /proc/<pid>), its own unix socket and terraform's
// client certificate: nothing of a session outlives it but warm code. The host
// writes "<pid> <start time>" to its pid file; a launcher that finds no live
// host there starts one. A host idle for the idle time exits; a launcher whose
// request no host claims within 3 seconds claims it itself and runs directly.

import { accessSync, chmodSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, watch, writeFileSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { SelfSignedCertificate } from './certificate';
import type { ServiceImplementation } from './grpc-server';
import { HandshakeError } from './handshake';
import { levelFromEnv, Logger, logger } from './logger';
import { checkPluginEnvironment, pluginCertificate, startSession, type PluginSession } from './serve';

/** One session's provider: the gRPC service terraform calls, and what to release when the session ends. */
export interface HostedProvider {
  service: ServiceImplementation;
  close(): void;
}

export interface HostOptions {
  /** The host directory: pid file and the launchers' FIFOs. Created (mode 700) when missing. */
  dir: string;
  /** Exit after this long without a session. */
  idleMs: number;
  /**
   * Exit at the first moment without a session after living this long (default
   * 12 h): a host that terraform runs keep busy is still replaced now and then,
   * with a fresh process and a fresh certificate.
   */
  maxAgeMs?: number;
  /** A fresh provider for one session, for a launcher with this environment and working directory. */
  createProvider(env: NodeJS.ProcessEnv, cwd: string): HostedProvider;
  /** How often a session checks that its launcher still lives (terraform may kill it without a word). Default 1 s. */
  launcherCheckMs?: number;
  /** Called once the host has stopped for being idle (runHost exits the process). */
  onExit?(): void;
}

/** A request file name: s.<launcher pid>. */
const REQUEST = /^s\.(\d+)$/;
/** How long a claimed request waits for its launcher to open the FIFO. */
const OPEN_WAIT_MS = 2000;
const DEFAULT_MAX_AGE_MS = 12 * 3600_000;

/**
 * The fields of a /proc/<pid>/stat line after the command name, so index 0 is
 * field 3 (state): the name (field 2) is in parentheses and may hold spaces or
 * parentheses itself.
 */
export function statFieldsAfterName(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot; with the pid, it names one process. */
export function processStartTime(pid: number | 'self'): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return statFieldsAfterName(stat)[19] ?? null;
}

/** Whether the pid file names a live process (the same pid and start time), other than this one. */
export function liveHost(pidFile: string): number | null {
  let content: string;
  try {
    content = readFileSync(pidFile, 'utf8');
  } catch {
    return null;
  }
  const [pid, start] = content.trim().split(' ');
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0 || n === process.pid) return null;
  return processStartTime(n) === start ? n : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live provider hosts whose directories are under XDG_RUNTIME_DIR `runtimeDir` (benchmarks and tests give terraform their own). */
export function hostsUnder(runtimeDir: string): number[] {
  const base = join(runtimeDir, 'maestro');
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith('host-')).flatMap((name) => liveHost(join(base, name, 'pid')) ?? []);
}

/** SIGTERMs the hosts under `runtimeDir` and waits (up to 5 s) until they are gone. */
export async function stopHostsUnder(runtimeDir: string): Promise<void> {
  const pids = hostsUnder(runtimeDir);
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  for (const deadline = Date.now() + 5000; pids.some(alive) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
}

/** The environment of process `pid`, as it was exec'd. */
function environmentOf(pid: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** A launcher's FIFO, open for writing; the fd is kept for a synchronous last word. */
interface Launcher {
  fd: number;
  socket: Socket;
}

/** The node binary the launcher would exec: the first executable `node` on the environment's PATH, resolved. */
export function nodeOnPath(env: NodeJS.ProcessEnv, cwd: string): string | null {
  for (const entry of (env.PATH ?? '').split(delimiter)) {
    const candidate = resolve(cwd, entry === '' ? '.' : entry, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return realpathSync(candidate);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Why this host should not serve a launcher with `env`: a session must run on
 * the node and with the NODE_OPTIONS that launcher would have run itself.
 */
export function mismatch(env: NodeJS.ProcessEnv, cwd: string): string | null {
  if ((env.NODE_OPTIONS ?? '') !== (process.env.NODE_OPTIONS ?? '')) return 'another NODE_OPTIONS';
  const node = nodeOnPath(env, cwd);
  if (node === null || node !== realpathSync(process.execPath)) return `another node (${node ?? 'none on PATH'})`;
  return null;
}

interface ActiveSession {
  pid: number;
  end(reason: string): void;
}

export class ProviderHost {
  private readonly pidFile: string;
  private active: ActiveSession | null = null;
  /** Requests being claimed, so that a second inotify event for one FIFO does nothing. */
  private readonly claiming = new Set<number>();
  private idleTimer: NodeJS.Timeout | undefined;
  private certificate: SelfSignedCertificate | undefined;
  private stopWatching: (() => void) | undefined;
  private exiting = false;
  private readonly startedAt = performance.now();

  constructor(private readonly opts: HostOptions) {
    this.pidFile = join(opts.dir, 'pid');
  }

  /** Takes the pid file and starts answering requests; false when another live host has the directory. */
  start(): boolean {
    mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
    // Requests name processes whose environment the host reads and serves: only this user may make them.
    if (statSync(this.opts.dir).uid !== process.getuid?.()) throw new Error(`${this.opts.dir} belongs to another user`);
    chmodSync(this.opts.dir, 0o700);
    if (liveHost(this.pidFile) !== null) return false;
    const tmp = `${this.pidFile}.${process.pid}`;
    writeFileSync(tmp, `${process.pid} ${processStartTime('self')}\n`, { mode: 0o600 });
    renameSync(tmp, this.pidFile);
    const watcher = watch(this.opts.dir, (_event, name) => {
      if (typeof name === 'string') this.onEntry(name);
    });
    this.stopWatching = () => watcher.close();
    for (const name of readdirSync(this.opts.dir)) {
      const m = /^s\.(\d+)(\.c)?$/.exec(name);
      // Left by launchers that are gone: their claims, and requests nobody will read.
      if (m && !alive(Number(m[1]))) rmSync(join(this.opts.dir, name), { recursive: true, force: true });
      else this.onEntry(name);
    }
    this.armIdle();
    return true;
  }

  /** Ends the active session, stops answering, and gives up the pid file (when it is still this host's). */
  stop(reason: string): void {
    if (this.exiting) return;
    this.exiting = true;
    logger.debug('provider host stopping', { reason });
    clearTimeout(this.idleTimer);
    this.stopWatching?.();
    try {
      if (Number(readFileSync(this.pidFile, 'utf8').split(' ')[0]) === process.pid) rmSync(this.pidFile, { force: true });
    } catch {
      // no pid file: nothing to give up
    }
    this.active?.end(reason);
  }

  /** Writes `text` to the active session's launcher now (for a crash report on the way out). */
  reportToActive: (text: string) => void = () => undefined;

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.active || this.exiting) return;
    const old = performance.now() - this.startedAt >= (this.opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS);
    this.idleTimer = setTimeout(() => this.onIdle(), old ? 0 : this.opts.idleMs);
  }

  private onIdle(): void {
    this.stop('idle');
    // A launcher that read the pid file just before it went waits on its FIFO: tell it to run directly.
    const pending = readdirSync(this.opts.dir).flatMap((name) => {
      const m = REQUEST.exec(name);
      return m ? [this.claim(Number(m[1]), join(this.opts.dir, name), true)] : [];
    });
    void Promise.all(pending).then(() => this.opts.onExit?.());
  }

  private onEntry(name: string): void {
    const m = REQUEST.exec(name);
    if (!m || this.exiting) return;
    const pid = Number(m[1]);
    const path = join(this.opts.dir, name);
    if (this.claiming.has(pid)) return;
    try {
      if (!lstatSync(path).isFIFO()) return;
    } catch {
      return; // gone already: the event for its removal
    }
    void this.claim(pid, path, this.active !== null);
  }

  /** Claims request `pid`: answers "direct" when `refuse`, else serves it. */
  private async claim(pid: number, path: string, refuse: boolean): Promise<void> {
    try {
      mkdirSync(`${path}.c`);
    } catch {
      return; // claimed already, by this host, another one or the launcher's own timeout
    }
    this.claiming.add(pid);
    let launcher: Launcher | null = null;
    try {
      launcher = await this.openRequest(path);
    } finally {
      this.claiming.delete(pid);
      rmSync(path, { force: true });
      rmSync(`${path}.c`, { recursive: true, force: true });
    }
    if (!launcher) return; // the launcher went away before opening its FIFO
    const out = launcher.socket;
    if (refuse || this.active !== null || this.exiting) {
      out.end('direct\n');
      return;
    }
    let env: NodeJS.ProcessEnv;
    let cwd: string;
    try {
      env = environmentOf(pid);
      cwd = readlinkSync(`/proc/${pid}/cwd`);
      checkPluginEnvironment(env);
    } catch (err) {
      // Not terraform's launch (or the launcher is gone): the provider run directly says what is wrong.
      if (!(err instanceof HandshakeError)) logger.debug('provider host cannot read a launcher', { pid, error: (err as Error).message });
      out.end('direct\n');
      return;
    }
    if (mismatch(env, cwd) !== null) {
      out.end('direct\n');
      return;
    }
    await this.serve(pid, launcher, env, cwd);
  }

  /**
   * Opens the request FIFO for writing once its launcher has opened it for
   * reading (a non-blocking open fails with ENXIO before that), as a socket so
   * that writes never block the host. Null when the launcher never does.
   */
  private async openRequest(path: string): Promise<Launcher | null> {
    const deadline = Date.now() + OPEN_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
        const socket = new Socket({ fd, readable: false, writable: true });
        socket.on('error', () => socket.destroy());
        return { fd, socket };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > deadline) return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private async serve(pid: number, launcher: Launcher, env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
    const out = launcher.socket;
    let ended = false;
    let session: PluginSession | undefined;
    let provider: HostedProvider | undefined;
    let watchLauncher: NodeJS.Timeout | undefined;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      clearInterval(watchLauncher);
      logger.debug('plugin session ended', { reason });
      logger.redirect(() => undefined, 'off');
      this.reportToActive = () => undefined;
      this.active = null;
      provider?.close();
      void session?.close();
      out.end();
      this.armIdle();
    };
    this.active = { pid, end };
    clearTimeout(this.idleTimer);
    // The handshake line must be the first line the launcher reads: logs made before it wait.
    let early: string[] | null = [];
    const flushEarly = () => {
      for (const line of early ?? []) out.write(line);
      early = null;
    };
    logger.redirect((line) => void (early ? early.push(line) : out.write(line)), levelFromEnv(env));
    this.reportToActive = (text) => {
      try {
        writeSync(launcher.fd, text);
      } catch {
        // the launcher is gone: nobody to tell
      }
    };
    out.on('close', () => end('the launcher closed its end'));
    try {
      provider = this.opts.createProvider(env, cwd);
      this.certificate ??= pluginCertificate();
      session = await startSession({
        provider: provider.service,
        env,
        certificate: this.certificate,
        host: { onShutdown: () => end('shutdown requested'), onHostGone: () => end('terraform closed the connection') },
      });
    } catch (err) {
      // Not a handshake: the launcher runs the provider itself, which fails or not on its own.
      out.write('direct\n');
      early = null;
      logger.debug('plugin session failed to start', { error: (err as Error).message });
      end('start failed');
      return;
    }
    if (ended) return void session.close();
    out.write(session.handshake);
    flushEarly();
    // Terraform kills a plugin that does not exit 2 s after Shutdown, and may kill it outright.
    watchLauncher = setInterval(() => alive(pid) || end('the launcher is gone'), this.opts.launcherCheckMs ?? 1000);
  }
}

/** The host's entry point (the launcher runs `main.js --host <dir>`): serves until idle, then exits 0. */
export function runHost(opts: HostOptions): void {
  const dir = resolve(opts.dir);
  // The first launcher's working directory would stay busy for as long as the host lives.
  process.chdir('/');
  const host = new ProviderHost({ ...opts, dir, onExit: () => process.exit(0) });
  process.on('SIGINT', () => undefined); // terraform's Ctrl-C reaches the launcher's process group; sessions get StopProvider
  process.on('SIGHUP', () => undefined);
  process.on('SIGTERM', () => {
    host.stop('SIGTERM');
    process.exit(143);
  });
  const fatal = (err: unknown) => {
    // The session's logger writes through a socket, which would not flush before the exit: this line is written at once.
    new Logger('error', 'maestro', (line) => host.reportToActive(line)).error('provider crashed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    host.stop('crashed');
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  if (!host.start()) process.exit(0);
}
