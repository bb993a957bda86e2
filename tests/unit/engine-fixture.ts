// Shared setup for engine tests: an in-memory store with one imported inventory and an EngineContext over fake switches.

import { randomBytes } from 'node:crypto';
import { jsonLogger } from '../../engine/src/api/logger';
import type { DialectCatalog, EngineContext } from '../../engine/src/api/engine-context';
import { attachWorkflow } from '../../engine/src/api/workflow-context';
import { importInventory } from '../../engine/src/inventory/import';
import { CredentialCipher } from '../../engine/src/store/credential-cipher';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import { KeyedLock } from '../../engine/src/workflow/keyed-lock';
import { FakeSwitch } from './engine-fake-switch';

/** Two dialects with different description limits, independent of the real registry. */
export const testDialects: DialectCatalog = {
  get: (name) => ({ eos: { name: 'eos', descriptionMax: 240 }, tiny: { name: 'tiny', descriptionMax: 10 } })[name],
  names: () => ['eos', 'tiny'],
};

export const QUARANTINE = 999;

export const INVENTORY = `
credentials:
  leaf-admin: { username: admin, password: s3cret-leaf-pass }
segments:
  quarantine: { vlan: ${QUARANTINE} }
  provisioning: { vlan: 998 }
switches:
  - id: leaf1
    dialect: eos
    endpoint: 127.0.0.1:2201
    credentials: leaf-admin
    host_key: SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ
    ports: [Ethernet1-4, Ethernet49/1]
  - id: leaf2
    dialect: tiny
    endpoint: 127.0.0.1:2202
    credentials: leaf-admin
    ports: [Ethernet1-2]
`;

export interface Fixture {
  ctx: EngineContext;
  store: SqliteStore;
  cipher: CredentialCipher;
  switches: Map<string, FakeSwitch>;
  logLines: string[];
}

/** A store with INVENTORY imported, fake switches for every inventory switch, and a context wired to them. */
export async function engineFixture(): Promise<Fixture> {
  const store = openSqliteStore(':memory:');
  const cipher = new CredentialCipher(randomBytes(32));
  await importInventory(store, INVENTORY, { cipher, dialects: testDialects.names() });
  const switches = new Map<string, FakeSwitch>();
  for (const sw of await store.listSwitches()) {
    switches.set(sw.id, new FakeSwitch(sw.id, (await store.listPorts(sw.id)).map((p) => p.name), QUARANTINE));
  }
  const logLines: string[] = [];
  const ctx: EngineContext = attachWorkflow({
    store,
    cipher,
    dialects: testDialects,
    connect: (endpoint) => switches.get(endpoint.id)!.connect(endpoint),
    logger: jsonLogger({ write: (line: string) => logLines.push(line) }),
    locks: new KeyedLock(),
    jobTimeoutMs: 10_000,
  }, { gateway: { windowMs: 5 }, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
  return { ctx, store, cipher, switches, logLines };
}
