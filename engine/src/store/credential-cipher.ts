// Encrypts device credentials at rest (AES-256-GCM under the engine's master key).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a switch or BMC logs in with (a credentials entry that has a password). */
export interface DeviceCredentials {
  username: string;
  password: string;
  enablePassword?: string;
}

/** What a credentials entry holds once decrypted: a password and/or a private key (OS logins may use only a key). */
export interface SealedCredentials {
  username: string;
  password?: string;
  enablePassword?: string;
  /** PEM or OpenSSH private key text. */
  privateKey?: string;
}

/** A server OS login (inventory `os.credentials`). */
export interface OsCredentials {
  username: string;
  password?: string;
  privateKey?: string;
}

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MASTER_KEY_BYTES = 32;

/**
 * Seals and opens credential blobs: `[format=1][iv 12][tag 16][ciphertext]`.
 * The entry's ref is authenticated data, so a blob copied to another ref does
 * not open.
 */
export class CredentialCipher {
  /** Throws when `key` is not 32 bytes. */
  constructor(private readonly key: Buffer) {
    if (key.length !== MASTER_KEY_BYTES) throw new Error(`master key must be ${MASTER_KEY_BYTES} bytes, got ${key.length}`);
  }

  seal(ref: string, creds: SealedCredentials): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(ref));
    const body = Buffer.concat([cipher.update(JSON.stringify(creds), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
  }

  /**
   * A switch or BMC login. Throws when the blob was sealed under another key or
   * ref, or was altered, or the entry has no password (a key-only OS login).
   */
  open(ref: string, blob: Buffer): DeviceCredentials {
    const c = this.openAny(ref, blob);
    if (c.password === undefined) throw new Error(`credentials "${ref}" have no password (only a private_key); switches and BMCs log in with a password`);
    return { username: c.username, password: c.password, ...(c.enablePassword === undefined ? {} : { enablePassword: c.enablePassword }) };
  }

  /** A server OS login: username with password and/or private key. Throws like open() when the blob does not open. */
  openOs(ref: string, blob: Buffer): OsCredentials {
    const c = this.openAny(ref, blob);
    return {
      username: c.username,
      ...(c.password === undefined ? {} : { password: c.password }),
      ...(c.privateKey === undefined ? {} : { privateKey: c.privateKey }),
    };
  }

  private openAny(ref: string, blob: Buffer): SealedCredentials {
    if (blob[0] !== FORMAT) throw new Error(`credentials "${ref}": unknown blob format ${blob[0]}`);
    const iv = blob.subarray(1, 1 + IV_BYTES);
    const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(ref));
    decipher.setAuthTag(tag);
    try {
      const text = Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as SealedCredentials;
    } catch {
      throw new Error(`credentials "${ref}" cannot be decrypted with this engine's master key (was the inventory imported under another data dir?)`);
    }
  }
}
