// Numbered SQLite schema migrations; each runs once, in order, recorded in schema_migrations.

import { allocationMigrations } from './migrations-allocation';
import { instanceMigrations } from './migrations-instance';
import { tenancyMigrations } from './migrations-tenancy';

export interface Migration {
  /** Strictly increasing; never renumber or edit a released migration, add a new one. */
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'inventory, jobs, audit, tokens',
    sql: `
      CREATE TABLE credentials (
        ref  TEXT PRIMARY KEY,
        blob BLOB NOT NULL
      );
      CREATE TABLE segments (
        name TEXT PRIMARY KEY,
        vlan INTEGER NOT NULL CHECK (vlan BETWEEN 1 AND 4094)
      );
      CREATE TABLE switches (
        id              TEXT PRIMARY KEY,
        dialect         TEXT NOT NULL,
        host            TEXT NOT NULL,
        ssh_port        INTEGER NOT NULL,
        credentials_ref TEXT NOT NULL REFERENCES credentials(ref),
        host_key        TEXT
      );
      CREATE TABLE switch_ports (
        switch_id TEXT NOT NULL REFERENCES switches(id) ON DELETE CASCADE,
        name      TEXT NOT NULL,
        position  INTEGER NOT NULL,
        owner     TEXT,
        desired   TEXT,
        PRIMARY KEY (switch_id, name)
      );
      CREATE TABLE jobs (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        state       TEXT NOT NULL,
        error       TEXT,
        input       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        finished_at TEXT,
        deadline    TEXT NOT NULL
      );
      CREATE INDEX jobs_created ON jobs (created_at);
      CREATE TABLE job_steps (
        job_id      TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        name        TEXT NOT NULL,
        device      TEXT,
        state       TEXT NOT NULL,
        detail      TEXT NOT NULL DEFAULT '',
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        PRIMARY KEY (job_id, seq)
      );
      CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY AUTOINCREMENT,
        at     TEXT NOT NULL,
        who    TEXT NOT NULL,
        what   TEXT NOT NULL,
        device TEXT NOT NULL,
        before TEXT,
        after  TEXT,
        result TEXT NOT NULL,
        job_id TEXT REFERENCES jobs(id)
      );
      CREATE TABLE api_tokens (
        name       TEXT PRIMARY KEY,
        sha256     TEXT NOT NULL UNIQUE,
        scope      TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  // Inventory and allocations (versions 10-19; 11: server os, images): migrations-allocation.ts.
  ...allocationMigrations,
  {
    version: 20,
    name: 'durable jobs: caller, cancellation, phase, step attempts and outputs',
    sql: `
      ALTER TABLE jobs ADD COLUMN who TEXT NOT NULL DEFAULT '-';
      ALTER TABLE jobs ADD COLUMN phase TEXT NOT NULL DEFAULT 'forward';
      ALTER TABLE jobs ADD COLUMN cancel_requested TEXT;
      ALTER TABLE job_steps ADD COLUMN step_index INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE job_steps ADD COLUMN step_phase TEXT NOT NULL DEFAULT 'do';
      ALTER TABLE job_steps ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE job_steps ADD COLUMN output TEXT;
      CREATE INDEX jobs_unfinished ON jobs (state) WHERE state IN ('pending', 'running');
      CREATE INDEX audit_log_job ON audit_log (job_id);
      CREATE INDEX audit_log_device ON audit_log (device, id);
    `,
  },
  // Tenancies (versions 40-49): migrations-tenancy.ts.
  ...tenancyMigrations,
  // Server instances (versions 50-59): migrations-instance.ts.
  ...instanceMigrations,
];
