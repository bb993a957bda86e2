// Schema migrations 10+ for the physical inventory and allocations (servers, segment pools, tenancy networks, IPs).

import type { Migration } from './migrations';

export const allocationMigrations: Migration[] = [
  {
    version: 10,
    name: 'racks, profiles, servers, fabric links, segment pools, tenancy networks, IP allocations',
    sql: `
      ALTER TABLE switches ADD COLUMN rack TEXT;
      ALTER TABLE switches ADD COLUMN role TEXT CHECK (role IN ('leaf', 'spine'));
      CREATE TABLE racks (
        id   TEXT PRIMARY KEY,
        site TEXT NOT NULL
      );
      CREATE TABLE profiles (
        name       TEXT PRIMARY KEY,
        cpu_cores  INTEGER NOT NULL,
        memory_gib INTEGER NOT NULL,
        disks      TEXT NOT NULL,
        nics       INTEGER NOT NULL
      );
      CREATE TABLE servers (
        id                  TEXT PRIMARY KEY,
        serial              TEXT NOT NULL UNIQUE,
        profile             TEXT NOT NULL REFERENCES profiles(name),
        rack                TEXT NOT NULL REFERENCES racks(id),
        bmc_driver          TEXT NOT NULL,
        bmc_endpoint        TEXT NOT NULL,
        bmc_credentials_ref TEXT NOT NULL REFERENCES credentials(ref),
        bmc_tls_pin         TEXT,
        disks               TEXT NOT NULL,
        state               TEXT NOT NULL DEFAULT 'available'
          CHECK (state IN ('available', 'allocated', 'provisioning', 'active', 'cleaning', 'failed', 'maintenance')),
        state_reason        TEXT,
        owner               TEXT,
        tenancy_id          TEXT,
        needs_cleaning      INTEGER NOT NULL DEFAULT 0,
        cleaned_at          TEXT,
        state_changed_at    TEXT
      );
      CREATE TABLE server_nics (
        server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        name      TEXT NOT NULL,
        position  INTEGER NOT NULL,
        mac       TEXT NOT NULL UNIQUE,
        switch_id TEXT,
        port      TEXT,
        PRIMARY KEY (server_id, name),
        UNIQUE (switch_id, port),
        FOREIGN KEY (switch_id, port) REFERENCES switch_ports(switch_id, name)
      );
      CREATE TABLE fabric_links (
        a_switch TEXT NOT NULL,
        a_port   TEXT NOT NULL,
        b_switch TEXT NOT NULL,
        b_port   TEXT NOT NULL,
        PRIMARY KEY (a_switch, a_port),
        UNIQUE (b_switch, b_port),
        FOREIGN KEY (a_switch, a_port) REFERENCES switch_ports(switch_id, name),
        FOREIGN KEY (b_switch, b_port) REFERENCES switch_ports(switch_id, name)
      );
      CREATE TABLE segment_pools (
        name           TEXT PRIMARY KEY,
        position       INTEGER NOT NULL,
        vlan_from      INTEGER NOT NULL,
        vlan_to        INTEGER NOT NULL,
        vni_from       INTEGER NOT NULL,
        vni_to         INTEGER NOT NULL,
        supernet       TEXT NOT NULL,
        tenancy_prefix INTEGER NOT NULL
      );
      CREATE TABLE tenancy_networks (
        tenancy_id TEXT PRIMARY KEY,
        pool       TEXT NOT NULL,
        vlan       INTEGER NOT NULL UNIQUE,
        vni        INTEGER NOT NULL UNIQUE,
        cidr       TEXT NOT NULL UNIQUE,
        gateway    TEXT NOT NULL,
        mtu        INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE ip_allocations (
        tenancy_id TEXT NOT NULL REFERENCES tenancy_networks(tenancy_id),
        address    TEXT NOT NULL,
        owner      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenancy_id, address)
      );
    `,
  },
  {
    version: 11,
    name: 'server OS access (os:), images',
    sql: `
      ALTER TABLE servers ADD COLUMN os_endpoint TEXT;
      ALTER TABLE servers ADD COLUMN os_credentials_ref TEXT REFERENCES credentials(ref);
      ALTER TABLE servers ADD COLUMN os_host_key TEXT;
      ALTER TABLE servers ADD COLUMN os_interface TEXT;
      ALTER TABLE servers ADD COLUMN os_root_dir TEXT;
      CREATE TABLE images (
        name              TEXT PRIMARY KEY,
        url               TEXT NOT NULL,
        install_timeout_s INTEGER NOT NULL CHECK (install_timeout_s > 0)
      );
    `,
  },
];
