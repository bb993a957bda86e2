// SSH key pairs for the lab's OpenSSH daemons and their clients, made and read with OpenSSH's own ssh-keygen.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { sshFingerprint } from '../../../engine/src/drivers/switch/ssh-fingerprint';

const run = promisify(execFile);

/** A key pair on disk: the private key file (mode 0600) and `<file>.pub`. */
export interface SshKeyPair {
  privateKeyFile: string;
  /** The private key in OpenSSH format, unencrypted (what ssh2's `privateKey` accepts). */
  privateKey: string;
  /** The public key as one authorized_keys line: `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
  /** `SHA256:<base64>`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

/** Creates a new unencrypted ed25519 key pair at `privateKeyFile` (overwriting none: ssh-keygen fails if it exists). Throws with ssh-keygen's stderr. */
export async function generateSshKey(privateKeyFile: string, comment = 'maestro-lab'): Promise<SshKeyPair> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privateKeyFile]);
  return readSshKey(privateKeyFile);
}

/** Reads an existing unencrypted private key file and derives its public key and fingerprint. */
export async function readSshKey(privateKeyFile: string): Promise<SshKeyPair> {
  const privateKey = await readFile(privateKeyFile, 'utf8');
  const { stdout } = await run('ssh-keygen', ['-y', '-f', privateKeyFile]);
  const publicKey = stdout.trim();
  return { privateKeyFile, privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey) };
}

/** The fingerprint of an authorized_keys-style public key line. */
export function publicKeyFingerprint(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not an SSH public key line: ${JSON.stringify(publicKeyLine)}`);
  return sshFingerprint(Buffer.from(blob, 'base64'));
}
