// Schema migrations 40-49: tenancies (name, description, lifecycle state) over IPAM's tenancy networks.

import type { Migration } from './migrations';

export const tenancyMigrations: Migration[] = [
  {
    version: 40,
    name: 'tenancies',
    sql: `
      CREATE TABLE tenancies (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        state       TEXT NOT NULL CHECK (state IN ('creating', 'active', 'deleting')),
        created_at  TEXT NOT NULL
      );
    `,
  },
];
