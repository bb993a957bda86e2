// Schema migrations 50-59: server instances.

import type { Migration } from './migrations';

export const instanceMigrations: Migration[] = [
  {
    version: 50,
    name: 'instances',
    sql: `
      CREATE TABLE instances (
        id                     TEXT PRIMARY KEY,
        tenancy_id             TEXT NOT NULL,
        profile                TEXT NOT NULL,
        server_id              TEXT,
        image                  TEXT NOT NULL,
        hostname               TEXT NOT NULL,
        ssh_authorized_keys    TEXT NOT NULL DEFAULT '[]',
        user_data              TEXT NOT NULL DEFAULT '',
        power_state            TEXT NOT NULL CHECK (power_state IN ('on', 'off')),
        secure_erase_on_delete INTEGER NOT NULL DEFAULT 1,
        ip_address             TEXT,
        state                  TEXT NOT NULL CHECK (state IN ('creating', 'active', 'updating', 'deleting', 'failed')),
        state_reason           TEXT,
        created_at             TEXT NOT NULL,
        job_id                 TEXT
      );
      CREATE INDEX instances_tenancy ON instances (tenancy_id);
      CREATE UNIQUE INDEX instances_server ON instances (server_id) WHERE server_id IS NOT NULL;
    `,
  },
];
