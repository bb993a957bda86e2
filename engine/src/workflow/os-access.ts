// Opens a server's OS driver from inventory: the `os:` block (endpoint, host key pin, interface, root dir) and decrypted credentials.

import type { OsDriver } from '../drivers/os/os-driver';
import { createSshOsDriver } from '../drivers/os/ssh';
import { parseHostPort } from '../inventory/endpoint';
import type { ServerRecord } from '../store/allocation-store';
import type { CredentialCipher } from '../store/credential-cipher';
import type { Store } from '../store/store';

/** One server's OS as the instance steps use it; the caller closes `driver`. */
export interface OsSession {
  driver: OsDriver;
  /** The login user: whose authorized keys the instance's keys become. */
  user: string;
  /** The NIC that gets the tenancy address. */
  interface: string;
  /** What stands for `/` on the server (OsTarget.rootDir); `/` unless inventory says otherwise. */
  rootDir: string;
}

/** How long the steps wait for a freshly booted OS to answer SSH, and how often they try. */
export interface OsReachability {
  timeoutMs: number;
  intervalMs: number;
}

/** Connects to a server's installed OS. */
export interface OsAccess {
  readonly reachability: OsReachability;
  /**
   * The server's OS, or undefined when inventory gives the server no `os:`
   * block (the engine then cannot configure it). Throws when the block is
   * unusable (bad endpoint, missing credentials); the driver connects lazily.
   */
  open(server: ServerRecord): Promise<OsSession | undefined>;
}

export interface OsTiming {
  /** Wait for SSH after a boot (default 10 min). */
  reachableTimeoutMs?: number;
  /** Interval between connection attempts while waiting (default 5 s). */
  reachableIntervalMs?: number;
  /** Limit for one TCP connect + SSH handshake (default the driver's 15 s). */
  connectTimeoutMs?: number;
  /** Limit for one configuration command (default the driver's 60 s). */
  commandTimeoutMs?: number;
}

export const DEFAULT_OS_REACHABILITY: OsReachability = { timeoutMs: 10 * 60_000, intervalMs: 5_000 };

/** The NIC the tenancy address goes on when inventory names none: the first cabled NIC, else the first NIC. */
export function tenancyInterfaceOf(server: ServerRecord): string | undefined {
  return server.os?.interface ?? (server.nics.find((n) => n.cabledTo) ?? server.nics[0])?.name;
}

export function inventoryOsAccess(store: Store, cipher: CredentialCipher, timing: OsTiming = {}): OsAccess {
  const reachability = {
    timeoutMs: timing.reachableTimeoutMs ?? DEFAULT_OS_REACHABILITY.timeoutMs,
    intervalMs: timing.reachableIntervalMs ?? DEFAULT_OS_REACHABILITY.intervalMs,
  };
  return {
    reachability,
    async open(server) {
      const os = server.os;
      if (!os) return undefined;
      const where = `server "${server.id}" os`;
      const endpoint = parseHostPort(os.endpoint);
      if (!endpoint) throw new Error(`${where}.endpoint "${os.endpoint}" is not host:port`);
      const iface = tenancyInterfaceOf(server);
      if (!iface) throw new Error(`${where}.interface is not set and the server has no NIC to default to`);
      const cred = await store.getCredential(os.credentialsRef);
      if (!cred) throw new Error(`${where}.credentials "${os.credentialsRef}" are missing from the store`);
      const login = cipher.openOs(cred.ref, cred.blob);
      const driver = createSshOsDriver({
        device: server.id, host: endpoint.host, port: endpoint.port, username: login.username,
        privateKey: login.privateKey, password: login.password, hostKeyFingerprint: os.hostKey, rootDir: os.rootDir,
        connectTimeoutMs: timing.connectTimeoutMs, commandTimeoutMs: timing.commandTimeoutMs,
      });
      return { driver, user: login.username, interface: iface, rootDir: os.rootDir ?? '/' };
    },
  };
}
