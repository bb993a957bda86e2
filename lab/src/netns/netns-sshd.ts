// OpenSSH's sshd inside one lab namespace (a leaf or a server), with its own host key, config and root password, touching no file of the host.
//
// sshd runs under `ip netns exec` (its own mount namespace, mounts not
// propagated to the host) and `unshare --uts` (its own hostname). In there the
// lab's passwd/shadow are bind-mounted over /etc's, so root logs in with the
// lab's password and no host account is involved, and fresh tmpfs mounts
// cover /run (sshd's privilege-separation directory) and /var/log (login
// records), so nothing lands in the host's.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshFingerprint } from '../../../engine/src/drivers/switch/ssh-fingerprint';
import type { StateRecorder } from './lab-state';
import { run } from './run';

export const SSHD = '/usr/sbin/sshd';

/** One daemon: where it runs and what it accepts. */
export interface NetnsSshdSpec {
  /** Also the hostname its shell prompt shows. */
  name: string;
  netns: string;
  /** Its private directory: config, host key, passwd/shadow, pid file, log. */
  dir: string;
  /** Address to listen on (port 22). */
  listen: string;
  /** root's home directory inside. */
  home: string;
  /** Login environment (sshd SetEnv); values must not contain spaces or quotes. */
  env?: Record<string, string>;
  /** authorized_keys lines for root. */
  authorizedKeys?: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const configFile = (spec: NetnsSshdSpec) => join(spec.dir, 'sshd_config');
const logFile = (spec: NetnsSshdSpec) => join(spec.dir, 'sshd.log');

function sshdConfig(spec: NetnsSshdSpec): string {
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`);
  return [
    `# Written by the maestro netns lab for ${spec.name} (namespace ${spec.netns}).`,
    `ListenAddress ${spec.listen}`,
    'Port 22',
    `HostKey ${join(spec.dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(spec.dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(spec.dir, 'authorized_keys')}`,
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    // The lab's directories may sit under world-writable /tmp.
    'StrictModes no',
    ...(env.length > 0 ? [`SetEnv ${env.join(' ')}`] : []),
    '',
  ].join('\n');
}

/** The host's `sshd` account line (the privilege-separation user sshd insists on). */
function privsepUser(): string {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('sshd:'));
  if (!line) throw new Error('the host has no "sshd" user; install openssh-server');
  return line;
}

/** A new unencrypted ed25519 key pair: `file` and `file.pub`. */
export function generateKey(file: string, comment: string): Promise<string> {
  return run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

/**
 * Writes the daemon's files (a new ed25519 host key, sshd_config, passwd and
 * shadow with root's `password`) and returns the host key's fingerprint
 * (`SHA256:...`, for pinning).
 */
export async function prepareSshd(spec: NetnsSshdSpec, password: string): Promise<string> {
  const key = join(spec.dir, 'ssh_host_ed25519_key');
  await generateKey(key, `maestro-lab-${spec.name}`);
  const hash = (await run('openssl', ['passwd', '-6', '-stdin'], `${password}\n`)).trim();
  writeFileSync(configFile(spec), sshdConfig(spec), { mode: 0o600 });
  writeFileSync(join(spec.dir, 'authorized_keys'), (spec.authorizedKeys ?? []).map((k) => `${k}\n`).join(''), { mode: 0o600 });
  writeFileSync(join(spec.dir, 'passwd'), `root:x:0:0:root:${spec.home}:/bin/bash\n${privsepUser()}\n`, { mode: 0o644 });
  writeFileSync(join(spec.dir, 'shadow'), `root:${hash}:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n`, { mode: 0o600 });
  const blob = readFileSync(`${key}.pub`, 'utf8').split(' ')[1];
  return sshFingerprint(Buffer.from(blob, 'base64'));
}

/** The shell that sets up the private mounts and becomes sshd ($1 = hostname, $2 = the daemon's directory). */
const LAUNCH = [
  'hostname "$1"',
  'mount -t tmpfs maestro-lab-run /run',
  'mkdir /run/sshd',
  'mount -t tmpfs maestro-lab-log /var/log',
  'touch /var/log/lastlog',
  'mount --bind "$2/passwd" /etc/passwd',
  'mount --bind "$2/shadow" /etc/shadow',
  `exec ${SSHD} -D -f "$2/sshd_config" -E "$2/sshd.log"`,
].join(' && ');

/**
 * Starts the daemon (recorded in the state file first) and resolves with its
 * pid once it listens. Throws with the daemon's log when it exits or does
 * not listen within 10 s.
 */
export async function startSshd(spec: NetnsSshdSpec, state: StateRecorder): Promise<number> {
  const mark = configFile(spec);
  const record = state.process(`sshd ${spec.name}`, mark);
  // A restarted daemon appends to the same log: only what comes after this offset is its own.
  const from = existsSync(logFile(spec)) ? statSync(logFile(spec)).size : 0;
  // ip netns exec, unshare and sh all exec: the pid spawned is sshd's.
  const child = spawn('ip', ['netns', 'exec', spec.netns, 'unshare', '--uts', 'sh', '-c', LAUNCH, 'sh', spec.name, spec.dir], { detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error(`cannot start sshd for ${spec.name}`);
  record.started(child.pid);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (logSince(spec, from).includes('Server listening on')) return child.pid;
    if (exited !== undefined) break;
    await sleep(50);
  }
  throw new Error(`sshd for ${spec.name} in ${spec.netns} ${exited !== undefined ? `exited (${exited})` : 'did not listen within 10 s'}; its log:\n${logSince(spec, from)}`);
}

function logSince(spec: NetnsSshdSpec, offset: number): string {
  return existsSync(logFile(spec)) ? readFileSync(logFile(spec)).subarray(offset).toString('utf8') : '';
}
