// OpenSSH-style host key fingerprints (`SHA256:<base64, no padding>`), used to pin switch host keys.

import { createHash } from 'node:crypto';

/** The fingerprint `ssh-keygen -lf` prints for a public key blob (SSH wire format). */
export function sshFingerprint(publicKeyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '');
}
