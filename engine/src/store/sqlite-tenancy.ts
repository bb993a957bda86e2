// SQLite implementation of TenancyStore: tenancies joined with their IPAM network.

import type Database from 'better-sqlite3';
import { AllocationError } from '../domain/allocation-error';
import type { TenancyRecord, TenancyState, TenancyStore } from './tenancy-store';

type Row = Record<string, any>;

const SELECT = `SELECT t.*, n.pool, n.vlan, n.vni, n.cidr, n.gateway, n.mtu
  FROM tenancies t LEFT JOIN tenancy_networks n ON n.tenancy_id = t.id`;

const toTenancy = (r: Row): TenancyRecord => ({
  id: r.id, name: r.name, description: r.description, state: r.state, createdAt: r.created_at,
  network: r.pool === null ? null : { tenancyId: r.id, pool: r.pool, vlan: r.vlan, vni: r.vni, cidr: r.cidr, gateway: r.gateway, mtu: r.mtu },
});

export class SqliteTenancyStore implements TenancyStore {
  constructor(private readonly db: Database.Database) {}

  async listTenancies(): Promise<TenancyRecord[]> {
    return this.db.prepare(`${SELECT} ORDER BY t.name`).all().map((r) => toTenancy(r as Row));
  }

  async getTenancy(id: string): Promise<TenancyRecord | undefined> {
    const r = this.db.prepare(`${SELECT} WHERE t.id = ?`).get(id) as Row | undefined;
    return r && toTenancy(r);
  }

  async findTenancy(name: string): Promise<TenancyRecord | undefined> {
    const r = this.db.prepare(`${SELECT} WHERE t.name = ?`).get(name) as Row | undefined;
    return r && toTenancy(r);
  }

  async insertTenancy(t: { id: string; name: string; description: string }): Promise<void> {
    this.db.transaction(() => {
      const holder = this.db.prepare('SELECT id FROM tenancies WHERE name = ?').get(t.name) as Row | undefined;
      if (holder?.id === t.id) return;
      if (holder) throw new AllocationError('conflict', `the name "${t.name}" is taken by tenancy ${holder.id}`);
      this.db.prepare('INSERT INTO tenancies (id, name, description, state, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(t.id, t.name, t.description, 'creating', new Date().toISOString());
    }).immediate();
  }

  async setTenancyState(id: string, state: TenancyState): Promise<void> {
    this.db.prepare('UPDATE tenancies SET state = ? WHERE id = ?').run(state, id);
  }

  async updateTenancy(id: string, change: { description?: string; mtu?: number }): Promise<void> {
    this.db.transaction(() => {
      if (change.description !== undefined) this.db.prepare('UPDATE tenancies SET description = ? WHERE id = ?').run(change.description, id);
      if (change.mtu !== undefined) this.db.prepare('UPDATE tenancy_networks SET mtu = ? WHERE tenancy_id = ?').run(change.mtu, id);
    })();
  }

  async deleteTenancy(id: string): Promise<void> {
    this.db.prepare('DELETE FROM tenancies WHERE id = ?').run(id);
  }
}
