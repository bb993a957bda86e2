// The engine's data directory: database, master key, TLS identity, admin token, engine.json; created on first start.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSelfSignedCertificate } from '../../../provider-shim/src/plugin/certificate';
import { MASTER_KEY_BYTES } from '../store/credential-cipher';
import { newToken } from './auth';
import { ENGINE_FILE } from './client';
import type { TlsIdentity } from './server';

export interface DataDir {
  dir: string;
  database: string;
  masterKey: string;
  /** The API's self-signed certificate; clients trust it as their CA. */
  tlsCert: string;
  tlsKey: string;
  adminToken: string;
  engineFile: string;
}

export function dataDir(dir: string): DataDir {
  return {
    dir,
    database: join(dir, 'maestro.db'),
    masterKey: join(dir, 'master.key'),
    tlsCert: join(dir, 'tls', 'ca.pem'),
    tlsKey: join(dir, 'tls', 'key.pem'),
    adminToken: join(dir, 'admin.token'),
    engineFile: join(dir, ENGINE_FILE),
  };
}

/** Reads `file`, or creates it (mode 0600, never overwriting) with `make()` first. */
function readOrCreate(file: string, make: () => Buffer | string): Buffer {
  try {
    writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file);
}

/** Creates the directory (0700) and its tls/ subdirectory. */
export function ensureDataDir(d: DataDir): void {
  mkdirSync(join(d.dir, 'tls'), { recursive: true, mode: 0o700 });
}

/** The 32-byte key that encrypts credentials at rest; throws when the file has another size. */
export function masterKey(d: DataDir): Buffer {
  const key = readOrCreate(d.masterKey, () => randomBytes(MASTER_KEY_BYTES));
  if (key.length !== MASTER_KEY_BYTES) throw new Error(`${d.masterKey} holds ${key.length} bytes, expected ${MASTER_KEY_BYTES}`);
  return key;
}

/** The admin API token (only its sha256 goes into the database). */
export function adminToken(d: DataDir): string {
  return readOrCreate(d.adminToken, () => `${newToken()}\n`).toString('utf8').trim();
}

/** The API's TLS identity: a self-signed certificate for localhost and 127.0.0.1, made when either file is missing. */
export function tlsIdentity(d: DataDir): TlsIdentity {
  if (existsSync(d.tlsKey) && existsSync(d.tlsCert)) {
    return { certPem: readFileSync(d.tlsCert, 'utf8'), keyPem: readFileSync(d.tlsKey, 'utf8') };
  }
  const { certPem, keyPem } = createSelfSignedCertificate({ commonName: 'maestro-engine', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  writeFileSync(d.tlsKey, keyPem, { mode: 0o600 });
  writeFileSync(d.tlsCert, certPem, { mode: 0o644 });
  return { certPem, keyPem };
}
