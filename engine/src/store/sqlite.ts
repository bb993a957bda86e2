// SQLite Store on better-sqlite3: WAL, foreign keys, busy timeout, numbered migrations.

import Database from 'better-sqlite3';
import type { PortConfig } from '../domain/port-config';
import type { PortRef } from './allocation-store';
import type { JobJournal } from './job-journal';
import { migrations, type Migration } from './migrations';
import { importTopology, SqliteAllocationStore } from './sqlite-allocation';
import { insertAudit, SqliteJobJournal } from './sqlite-job-journal';
import { SqliteInstanceStore } from './sqlite-instance';
import { SqliteTenancyStore } from './sqlite-tenancy';
import type {
  ApiTokenRecord, AuditRecord, CredentialRecord, ImageRecord, ImportSummary, InventoryRecords, PortOwnership, SegmentRecord, Store,
  SwitchPortRecord, SwitchRecord,
} from './store';

const BUSY_TIMEOUT_MS = 5000;

type Row = Record<string, any>;

const now = () => new Date().toISOString();
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = (s: string | null) => (s === null ? null : JSON.parse(s));

/**
 * Applies every migration newer than the database's schema version, each in its
 * own transaction. Safe to call on every open. Throws when the database was
 * written by a newer engine (it has versions this code does not know).
 */
export function migrate(db: Database.Database, list: Migration[] = migrations): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as Row).v ?? 0;
  const latest = Math.max(0, ...list.map((m) => m.version));
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this engine knows (${latest}); upgrade maestro`);
  }
  // Every migration not yet recorded, not just those above the highest: a
  // migration numbered below one already applied (another area's range) still runs.
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => r.version as number));
  const pending = list.filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now());
    })();
  }
  return pending.map((m) => m.version);
}

/** Opens (creating if needed) the SQLite database at `file` and migrates it. Use ':memory:' in tests. */
export function openSqliteStore(file: string): SqliteStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  migrate(db);
  return new SqliteStore(db);
}

const toSwitch = (r: Row): SwitchRecord => ({
  id: r.id, dialect: r.dialect, host: r.host, sshPort: r.ssh_port, credentialsRef: r.credentials_ref, hostKey: r.host_key,
});

const toPort = (r: Row): SwitchPortRecord => ({
  switchId: r.switch_id, name: r.name, owner: r.owner, desired: parse(r.desired) as PortConfig | null,
});

const toImage = (r: Row): ImageRecord => ({ name: r.name, url: r.url, installTimeoutS: r.install_timeout_s });

export class SqliteStore implements Store {
  readonly journal: JobJournal;
  readonly allocation: SqliteAllocationStore;
  readonly tenancies: SqliteTenancyStore;
  readonly instances: SqliteInstanceStore;

  constructor(readonly db: Database.Database) {
    this.journal = new SqliteJobJournal(db);
    this.allocation = new SqliteAllocationStore(db);
    this.tenancies = new SqliteTenancyStore(db);
    this.instances = new SqliteInstanceStore(db);
  }

  async importInventory(inv: InventoryRecords): Promise<ImportSummary> {
    const putCredential = this.db.prepare('INSERT INTO credentials (ref, blob) VALUES (?, ?) ON CONFLICT (ref) DO UPDATE SET blob = excluded.blob');
    const putSegment = this.db.prepare('INSERT INTO segments (name, vlan) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET vlan = excluded.vlan');
    const putSwitch = this.db.prepare(`
      INSERT INTO switches (id, dialect, host, ssh_port, credentials_ref, host_key) VALUES (@id, @dialect, @host, @sshPort, @credentialsRef, @hostKey)
      ON CONFLICT (id) DO UPDATE SET dialect = excluded.dialect, host = excluded.host, ssh_port = excluded.ssh_port,
        credentials_ref = excluded.credentials_ref, host_key = excluded.host_key`);
    const putPort = this.db.prepare(`
      INSERT INTO switch_ports (switch_id, name, position) VALUES (?, ?, ?)
      ON CONFLICT (switch_id, name) DO UPDATE SET position = excluded.position`);
    const putImage = this.db.prepare(`INSERT INTO images (name, url, install_timeout_s) VALUES (@name, @url, @installTimeoutS)
      ON CONFLICT (name) DO UPDATE SET url = excluded.url, install_timeout_s = excluded.install_timeout_s`);
    return this.db.transaction((): ImportSummary => {
      for (const c of inv.credentials) putCredential.run(c.ref, c.blob);
      for (const s of inv.segments) putSegment.run(s.name, s.vlan);
      let ports = 0;
      for (const { ports: names, ...sw } of inv.switches) {
        putSwitch.run(sw);
        names.forEach((name, i) => putPort.run(sw.id, name, i));
        ports += names.length;
      }
      if (inv.topology) importTopology(this.db, inv.topology);
      for (const image of inv.images ?? []) putImage.run(image);
      const servers = inv.topology?.servers.length ?? 0;
      const images = inv.images?.length ?? 0;
      return { credentials: inv.credentials.length, segments: inv.segments.length, switches: inv.switches.length, ports, servers, ...(images > 0 ? { images } : {}) };
    })();
  }

  async listSwitches(): Promise<SwitchRecord[]> {
    return this.db.prepare('SELECT * FROM switches ORDER BY id').all().map((r) => toSwitch(r as Row));
  }

  async getSwitch(id: string): Promise<SwitchRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM switches WHERE id = ?').get(id) as Row | undefined;
    return r && toSwitch(r);
  }

  async listPorts(switchId: string): Promise<SwitchPortRecord[]> {
    return this.db.prepare('SELECT * FROM switch_ports WHERE switch_id = ? ORDER BY position').all(switchId).map((r) => toPort(r as Row));
  }

  async getPort(switchId: string, port: string): Promise<SwitchPortRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM switch_ports WHERE switch_id = ? AND name = ?').get(switchId, port) as Row | undefined;
    return r && toPort(r);
  }

  async listOwnedPorts(ports: readonly PortRef[]): Promise<SwitchPortRecord[]> {
    // The pairs travel as one JSON parameter, so any number fits one statement (no bound-parameter limit);
    // SQLite answers the row-value IN with one primary-key lookup per distinct pair.
    const rows = this.db.prepare(`SELECT * FROM switch_ports
      WHERE owner IS NOT NULL AND (switch_id, name) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))
      ORDER BY switch_id, position`).all(JSON.stringify(ports.map((p) => [p.switchId, p.port])));
    return rows.map((r) => toPort(r as Row));
  }

  async getCredential(ref: string): Promise<CredentialRecord | undefined> {
    return this.db.prepare('SELECT ref, blob FROM credentials WHERE ref = ?').get(ref) as CredentialRecord | undefined;
  }

  async getSegment(name: string): Promise<SegmentRecord | undefined> {
    return this.db.prepare('SELECT name, vlan FROM segments WHERE name = ?').get(name) as SegmentRecord | undefined;
  }

  async listImages(): Promise<ImageRecord[]> {
    return this.db.prepare('SELECT * FROM images ORDER BY name').all().map((r) => toImage(r as Row));
  }

  async getImage(name: string): Promise<ImageRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM images WHERE name = ?').get(name) as Row | undefined;
    return r && toImage(r);
  }

  async recordChange(audit: AuditRecord, ownership?: PortOwnership): Promise<void> {
    this.db.transaction(() => {
      if (ownership) this.setOwnership(ownership);
      insertAudit(this.db, audit);
    })();
  }

  async putApiToken(t: ApiTokenRecord): Promise<void> {
    this.db.prepare(`INSERT INTO api_tokens (name, sha256, scope, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, scope = excluded.scope`).run(t.name, t.sha256, t.scope, now());
  }

  async findApiToken(sha256: string): Promise<ApiTokenRecord | undefined> {
    return this.db.prepare('SELECT name, sha256, scope FROM api_tokens WHERE sha256 = ?').get(sha256) as ApiTokenRecord | undefined;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private setOwnership(o: PortOwnership): void {
    const res = this.db.prepare('UPDATE switch_ports SET owner = ?, desired = ? WHERE switch_id = ? AND name = ?')
      .run(o.owner, json(o.desired), o.switchId, o.port);
    if (res.changes !== 1) throw new Error(`port ${o.switchId}/${o.port} is not in inventory`);
  }

}
