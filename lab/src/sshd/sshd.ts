// Runs a real OpenSSH sshd (/usr/sbin/sshd -D -e) on loopback for tests and the lab, with its own generated configuration and keys.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { shellQuote } from '../../../engine/src/drivers/os/shell-quote';
import { renderSshdConfig } from './sshd-config';
import { generateSshKey, readSshKey } from './ssh-keygen';

export const SSHD_BINARY = '/usr/sbin/sshd';
/** Compiled into Debian's sshd: it refuses to start without this privilege separation directory. */
const PRIVSEP_DIR = '/run/sshd';

export interface SshdOptions {
  /** Working directory (created, mode 0700): sshd_config, host key, pid file, authorized_keys, sshd.log. */
  dir: string;
  /** TCP port; default: a free port chosen at start. Reuse the port of a stopped daemon to restart it "in place". */
  port?: number;
  /** Default 127.0.0.1. Anything else must be an address of this host (or of the network namespace sshd runs in). */
  listenAddress?: string;
  /**
   * Private host key file to serve (default `<dir>/ssh_host_ed25519_key`);
   * an ed25519 key is generated there when the file does not exist, and
   * reused afterwards, so a restarted daemon keeps its fingerprint.
   */
  hostKey?: string;
  /** Public key lines accepted for every user (written to `<dir>/authorized_keys`; the users' own ~/.ssh is never read). */
  authorizedKeys?: string[];
  /**
   * Also accept passwords. Without PAM, sshd checks the user's real password
   * from the system's shadow database; there is no way to give it a lab
   * password. Tests therefore use key authentication.
   */
  passwordAuthentication?: boolean;
  /** Only these users may log in (default: any; `root` is allowed by key, and by password when passwordAuthentication is on). */
  allowUsers?: string[];
  /**
   * Argument vector put in front of every command a client runs, e.g.
   * `['ip', 'netns', 'exec', 'srv1']` so sessions see that namespace's
   * interfaces, or `['nsenter', '--uts=/path']` for a hostname of their own.
   * The command itself runs with `/bin/sh -c`; a session without a command
   * gets a login shell. SFTP is not available with a wrapper.
   */
  sessionWrapper?: string[];
  /** Further sshd_config lines. */
  extraConfig?: string[];
  /** How long to wait for sshd to listen (default 10 s). */
  startTimeoutMs?: number;
}

export interface RunningSshd {
  host: string;
  port: number;
  /** `SHA256:<base64>` of the host key, as clients pin it. */
  hostKeyFingerprint: string;
  pid: number;
  configFile: string;
  /** sshd's own log (`-e`: every connection's messages too). */
  logFile: string;
  /**
   * Ends the listener and every connection it accepted (like a server going
   * down) and resolves when the listener has exited. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Writes the configuration into `opts.dir` and starts sshd in the foreground
 * as a child of this process; resolves once it listens. Throws with sshd's
 * log when it exits or does not listen within the start timeout. Needs root
 * (sshd's privilege separation); creates /run/sshd when it is missing.
 */
export async function startSshd(opts: SshdOptions): Promise<RunningSshd> {
  const dir = opts.dir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  const hostKeyFile = opts.hostKey ?? join(dir, 'ssh_host_ed25519_key');
  const hostKey = existsSync(hostKeyFile) ? await readSshKey(hostKeyFile) : await generateSshKey(hostKeyFile, 'maestro-lab-host');
  const authorizedKeysFile = join(dir, 'authorized_keys');
  await writeFile(authorizedKeysFile, (opts.authorizedKeys ?? []).map((k) => k.trim() + '\n').join(''), { mode: 0o600 });
  const host = opts.listenAddress ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const configFile = join(dir, 'sshd_config');
  const config = renderSshdConfig({
    listenAddress: host,
    port,
    hostKeyFile,
    pidFile: join(dir, 'sshd.pid'),
    authorizedKeysFile,
    passwordAuthentication: opts.passwordAuthentication ?? false,
    allowUsers: opts.allowUsers,
    forceCommand: opts.sessionWrapper && (await writeSessionWrapper(dir, opts.sessionWrapper)),
    extraConfig: opts.extraConfig,
  });
  await writeFile(configFile, config, { mode: 0o600 });
  const logFile = join(dir, 'sshd.log');
  const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForListening(child, logFile, opts.startTimeoutMs ?? 10_000);
  return { host, port, hostKeyFingerprint: hostKey.fingerprint, pid: child.pid!, configFile, logFile, stop: () => stop(child) };
}

/** A port nobody listens on right now (the kernel's choice for port 0). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Writes `<dir>/session-wrapper.sh`, the ForceCommand that runs each session's command behind `wrapper`. */
async function writeSessionWrapper(dir: string, wrapper: string[]): Promise<string> {
  const file = join(dir, 'session-wrapper.sh');
  const prefix = wrapper.map(shellQuote).join(' ');
  const script = [
    '#!/bin/sh',
    '# Generated by the Maestro lab (lab/src/sshd): runs each SSH session behind a wrapper.',
    `[ -n "$SSH_ORIGINAL_COMMAND" ] || exec ${prefix} /bin/sh -l`,
    `exec ${prefix} /bin/sh -c "$SSH_ORIGINAL_COMMAND"`,
  ].join('\n');
  await writeFile(file, script + '\n');
  await chmod(file, 0o700);
  return file;
}

/** Copies sshd's stderr to the log file and resolves when it reports listening; rejects with the log when it exits first or too late. */
function waitForListening(child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr!.once('end', () => log.end());
  let seen = '';
  return new Promise((resolve, reject) => {
    const settle = (error: Error | null) => {
      clearTimeout(timer);
      child.off('exit', onExit).off('error', onError);
      child.stderr!.off('data', onData);
      if (!error) return resolve();
      if (child.exitCode === null) child.kill('SIGTERM');
      reject(error);
    };
    const fail = (why: string) => settle(new Error(`sshd ${why}; its log (${logFile}):\n${seen.trim()}`));
    const onExit = (code: number | null, signal: string | null) => fail(`exited before listening (${signal ?? `exit code ${code}`})`);
    const onError = (err: Error) => fail(`could not be started: ${err.message}`);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (/Server listening on/.test(seen)) settle(null);
    };
    const timer = setTimeout(() => fail(`did not start listening within ${timeoutMs} ms`), timeoutMs);
    child.on('exit', onExit).on('error', onError);
    child.stderr!.on('data', onData);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connections = await childPids(child.pid!);
  child.kill('SIGTERM');
  for (const pid of connections) killQuietly(pid);
  await exited;
}

/** Processes whose parent is `pid`: the per-connection sshd processes of a listener. */
async function childPids(pid: number): Promise<number[]> {
  const entries = (await readdir('/proc')).filter((e) => /^\d+$/.test(e));
  const parents = await Promise.all(entries.map((e) => readFile(`/proc/${e}/stat`, 'utf8').catch(() => '')));
  // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
  return entries.filter((_, i) => Number(parents[i].slice(parents[i].lastIndexOf(')') + 2).split(' ')[1]) === pid).map(Number);
}

/** A connection may end on its own between listing and killing it. */
function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
