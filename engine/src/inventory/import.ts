// Inventory import: YAML text -> validated records -> one store transaction.
//
// File format (also in docs/inventory.md):
//
//   credentials:                 # name -> login; encrypted at rest on import
//     leaf-admin: { username: admin, password: admin }
//   segments:
//     quarantine: { vlan: 999 }  # required: where unowned ports live
//     provisioning: { vlan: 998 }
//   switches:
//     - id: leaf1                # [a-z0-9][a-z0-9-]*
//       dialect: eos             # a registered dialect
//       endpoint: 127.0.0.1:2201 # host:port (port defaults to 22)
//       credentials: leaf-admin  # a name under credentials:
//       host_key: SHA256:...     # optional pinned SSH host key
//       ports: [Ethernet1-48, Ethernet49/1]
//       rack: r01                # optional: a rack under sites:
//       role: leaf               # optional: leaf | spine
//   sites, profiles, fabric_links, servers (with os:), images, segments.pools: see docs/inventory.md
//
// Re-importing is an upsert: existing ports keep their owners and servers
// their lifecycle state and owner; objects missing from the file are left in place.

import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { CredentialCipher } from '../store/credential-cipher';
import type { ImportSummary, InventoryRecords, Store } from '../store/store';
import { inventorySchema, type InventoryFile } from './schema';
import { toTopology } from './topology-records';

/** An inventory file with problems; `problems` lists every one as `path: message`. */
export class InventoryError extends Error {
  constructor(readonly problems: string[]) {
    super(`inventory has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'InventoryError';
  }
}

/** `['switches', 1, 'ports', 3]` -> `switches[1].ports[3]`. */
function formatPath(path: readonly PropertyKey[]): string {
  const out = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return out === '' ? 'inventory' : out;
}

/** A record key's own problems (zod reports them as one `invalid_key` issue holding them) are told instead of "Invalid key in record". */
const messageOf = (i: z.core.$ZodIssue): string =>
  i.code === 'invalid_key' && i.issues.length > 0 ? i.issues.map((k) => k.message).join('; ') : i.message;

const describe = (issues: z.core.$ZodIssue[]) => issues.map((i) => `${formatPath(i.path)}: ${messageOf(i)}`);

/** Parses and validates inventory YAML; throws InventoryError listing every problem. `bmcDrivers` defaults to the BMC registry. */
export function parseInventory(source: string, dialects: string[], bmcDrivers?: string[]): InventoryFile {
  const doc = parseDocument(source, { prettyErrors: true });
  if (doc.errors.length > 0) throw new InventoryError(doc.errors.map((e) => `yaml: ${e.message}`));
  const result = inventorySchema(dialects, bmcDrivers).safeParse(doc.toJS());
  if (!result.success) throw new InventoryError(describe(result.error.issues));
  return result.data;
}

/** Turns a validated file into store records, sealing every credential. */
export function toRecords(inv: InventoryFile, cipher: CredentialCipher): InventoryRecords {
  const { quarantine, provisioning } = inv.segments;
  return {
    credentials: Object.entries(inv.credentials).map(([ref, c]) => ({
      ref,
      blob: cipher.seal(ref, { username: c.username, password: c.password, enablePassword: c.enable_password, privateKey: c.private_key }),
    })),
    segments: [{ name: 'quarantine', vlan: quarantine.vlan }, ...(provisioning ? [{ name: 'provisioning', vlan: provisioning.vlan }] : [])],
    switches: inv.switches.map((s) => ({
      id: s.id,
      dialect: s.dialect,
      host: s.endpoint.host,
      sshPort: s.endpoint.port,
      credentialsRef: s.credentials,
      hostKey: s.host_key ?? null,
      ports: s.ports.flat(),
    })),
    topology: toTopology(inv),
    images: Object.entries(inv.images).map(([name, i]) => ({ name, url: i.url, installTimeoutS: i.install_timeout_s })),
  };
}

/**
 * Validates `source` and writes it in one transaction. Throws InventoryError
 * (nothing written) when anything in the file is wrong.
 */
export async function importInventory(
  store: Store,
  source: string,
  opts: { cipher: CredentialCipher; dialects: string[]; bmcDrivers?: string[] },
): Promise<ImportSummary> {
  return store.importInventory(toRecords(parseInventory(source, opts.dialects, opts.bmcDrivers), opts.cipher));
}
