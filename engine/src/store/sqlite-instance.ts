// SQLite implementation of InstanceStore.

import type Database from 'better-sqlite3';
import type { InstanceChange, InstanceRecord, InstanceStore } from './instance-store';

type Row = Record<string, any>;

const toInstance = (r: Row): InstanceRecord => ({
  id: r.id, tenancyId: r.tenancy_id, profile: r.profile, serverId: r.server_id, image: r.image, hostname: r.hostname,
  sshAuthorizedKeys: JSON.parse(r.ssh_authorized_keys), userData: r.user_data, powerState: r.power_state,
  secureEraseOnDelete: r.secure_erase_on_delete === 1, ipAddress: r.ip_address, state: r.state, stateReason: r.state_reason,
  createdAt: r.created_at, jobId: r.job_id,
});

/** InstanceChange field -> column and how its value is stored. */
const COLUMNS: { [K in keyof Required<InstanceChange>]: [string, (v: NonNullable<InstanceChange[K]> | null) => unknown] } = {
  tenancyId: ['tenancy_id', (v) => v],
  serverId: ['server_id', (v) => v],
  hostname: ['hostname', (v) => v],
  sshAuthorizedKeys: ['ssh_authorized_keys', (v) => JSON.stringify(v ?? [])],
  powerState: ['power_state', (v) => v],
  secureEraseOnDelete: ['secure_erase_on_delete', (v) => (v ? 1 : 0)],
  ipAddress: ['ip_address', (v) => v],
  state: ['state', (v) => v],
  stateReason: ['state_reason', (v) => v],
  jobId: ['job_id', (v) => v],
};

export class SqliteInstanceStore implements InstanceStore {
  constructor(private readonly db: Database.Database) {}

  async listInstances(filter: { tenancyId?: string } = {}): Promise<InstanceRecord[]> {
    const rows = filter.tenancyId === undefined
      ? this.db.prepare('SELECT * FROM instances ORDER BY created_at, id').all()
      : this.db.prepare('SELECT * FROM instances WHERE tenancy_id = ? ORDER BY created_at, id').all(filter.tenancyId);
    return rows.map((r) => toInstance(r as Row));
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM instances WHERE id = ?').get(id) as Row | undefined;
    return r && toInstance(r);
  }

  async insertInstance(r: InstanceRecord): Promise<void> {
    this.db.prepare(`INSERT INTO instances (id, tenancy_id, profile, server_id, image, hostname, ssh_authorized_keys, user_data, power_state,
        secure_erase_on_delete, ip_address, state, state_reason, created_at, job_id)
      VALUES (@id, @tenancyId, @profile, @serverId, @image, @hostname, @keys, @userData, @powerState, @erase, @ipAddress, @state, @stateReason, @createdAt, @jobId)
      ON CONFLICT (id) DO NOTHING`)
      .run({ ...r, keys: JSON.stringify(r.sshAuthorizedKeys), erase: r.secureEraseOnDelete ? 1 : 0 });
  }

  async updateInstance(id: string, change: InstanceChange): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) continue;
      const [column, encode] = COLUMNS[key as keyof InstanceChange] as [string, (v: unknown) => unknown];
      sets.push(`${column} = ?`);
      values.push(encode(value));
    }
    const res = sets.length === 0
      ? { changes: this.db.prepare('SELECT 1 FROM instances WHERE id = ?').get(id) ? 1 : 0 }
      : this.db.prepare(`UPDATE instances SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    if (res.changes !== 1) throw new Error(`instance ${id} does not exist`);
  }

  async deleteInstance(id: string): Promise<void> {
    this.db.prepare('DELETE FROM instances WHERE id = ?').run(id);
  }
}
