// What every API handler works with: store, dialects, device access, locks, and the lookups that fail with API errors.

import type { Dialect, SwitchDriver, SwitchEndpoint } from '../drivers/switch/driver';
import type { CredentialCipher } from '../store/credential-cipher';
import type { Store, SwitchPortRecord, SwitchRecord } from '../store/store';
import { KeyedLock } from '../workflow/keyed-lock';
import type { Workflow } from '../workflow/runtime';
import { EngineApiError } from './api-error';
import type { Logger } from './logger';

/** Opens a session to a switch; injected so tests can use an in-memory driver. */
export type ConnectSwitch = (endpoint: SwitchEndpoint) => Promise<SwitchDriver>;

/** The dialect facts the API needs; the daemon passes the real registry. */
export interface DialectCatalog {
  get(name: string): Pick<Dialect, 'name' | 'descriptionMax' | 'showAllPorts'> | undefined;
  names(): string[];
}

export interface EngineContext {
  store: Store;
  dialects: DialectCatalog;
  connect: ConnectSwitch;
  cipher: CredentialCipher;
  logger: Logger;
  /** One lock per port (`port:<switch>/<port>`): two API jobs never change one port at once. */
  locks: KeyedLock;
  /** How long a port job may run before it fails. */
  jobTimeoutMs: number;
  /** The job executor and the batched switch gateway (attachWorkflow builds it). */
  workflow: Workflow;
}

export async function requireSwitch(ctx: EngineContext, id: string): Promise<SwitchRecord> {
  const sw = await ctx.store.getSwitch(id);
  if (!sw) throw EngineApiError.field('not_found', 'switch', `unknown switch "${id}"; \`maestro switches list\` shows the inventory`);
  return sw;
}

export async function requirePort(ctx: EngineContext, sw: SwitchRecord, port: string): Promise<SwitchPortRecord> {
  const found = await ctx.store.getPort(sw.id, port);
  if (!found) throw EngineApiError.field('not_found', 'port', `switch "${sw.id}" has no port "${port}" in inventory`);
  return found;
}

export function descriptionMaxOf(ctx: EngineContext, sw: SwitchRecord): number {
  const dialect = ctx.dialects.get(sw.dialect);
  if (!dialect) {
    throw new EngineApiError('failed_precondition', `switch "${sw.id}" uses dialect "${sw.dialect}", which this engine does not support (known: ${ctx.dialects.names().join(', ')})`);
  }
  return dialect.descriptionMax;
}

export async function quarantineVlan(ctx: EngineContext): Promise<number> {
  const seg = await ctx.store.getSegment('quarantine');
  if (!seg) throw new EngineApiError('failed_precondition', 'no quarantine segment; import an inventory with segments.quarantine');
  return seg.vlan;
}

/** Decrypts the switch's credentials and connects. */
export async function openSwitch(ctx: EngineContext, sw: SwitchRecord): Promise<SwitchDriver> {
  const cred = await ctx.store.getCredential(sw.credentialsRef);
  if (!cred) throw new Error(`credentials "${sw.credentialsRef}" of switch "${sw.id}" are missing from the store`);
  const { username, password, enablePassword } = ctx.cipher.open(cred.ref, cred.blob);
  return ctx.connect({
    id: sw.id, dialect: sw.dialect, host: sw.host, port: sw.sshPort, username, password, enablePassword,
    hostKeyFingerprint: sw.hostKey ?? undefined,
  });
}
