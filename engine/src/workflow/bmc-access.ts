// Opens a server's BMC driver from inventory: the driver registry, decrypted credentials and the pinned TLS certificate.

import type { BmcDriver } from '../drivers/bmc/bmc';
import { bmcDriverNames, getBmcDriver } from '../drivers/bmc/registry';
import type { ServerRecord } from '../store/allocation-store';
import type { CredentialCipher } from '../store/credential-cipher';
import type { Store } from '../store/store';

/** Connects to a server's BMC; the caller closes the driver. */
export interface BmcAccess {
  /** Interval between power-state reads while a step waits for the host itself (the installer powering off); default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Throws when the driver is unknown or the credentials are missing; the driver itself connects lazily. */
  open(server: ServerRecord): Promise<BmcDriver>;
}

export interface BmcTiming {
  /** Interval between power-state reads while waiting (default 1000 ms; the lab uses less). */
  pollIntervalMs?: number;
  powerTimeoutMs?: number;
}

export function inventoryBmcAccess(store: Store, cipher: CredentialCipher, timing: BmcTiming = {}): BmcAccess {
  return {
    pollIntervalMs: timing.pollIntervalMs,
    async open(server) {
      const factory = getBmcDriver(server.bmc.driver);
      if (!factory) throw new Error(`server "${server.id}" uses BMC driver "${server.bmc.driver}", which this engine does not have (known: ${bmcDriverNames().join(', ')})`);
      const cred = await store.getCredential(server.bmc.credentialsRef);
      if (!cred) throw new Error(`credentials "${server.bmc.credentialsRef}" of server "${server.id}" are missing from the store`);
      const { username, password } = cipher.open(cred.ref, cred.blob);
      return factory({
        endpoint: server.bmc.endpoint, username, password, ...timing,
        tls: server.bmc.tlsPin ? { fingerprintSha256: server.bmc.tlsPin } : {},
      });
    },
  };
}
