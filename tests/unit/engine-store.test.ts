// SQLite store: migrations run once and refuse newer schemas; multi-row writes are all-or-nothing; API tokens.
// (The job journal has its own test: store-job-journal.test.ts.)

import Database from 'better-sqlite3';
import { migrate, openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';
import { migrations } from '../../engine/src/store/migrations';
import type { AuditRecord } from '../../engine/src/store/store';

const audit: AuditRecord = { at: '2024-01-01T00:00:00.000Z', who: 'admin', what: 'port.configure leaf1/Ethernet1', device: 'leaf1', before: { a: 1 }, after: null, result: 'succeeded', jobId: null };

describe('migrate', () => {
  test('applies every migration once; running it again applies none', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(migrations.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual(migrations.map((m) => ({ version: m.version })));
  });

  test('applies only the migrations newer than the database', () => {
    const db = new Database(':memory:');
    migrate(db);
    const next = { version: Math.max(...migrations.map((m) => m.version)) + 1, name: 'add a column', sql: 'ALTER TABLE switches ADD COLUMN site TEXT' };
    expect(migrate(db, [...migrations, next])).toEqual([next.version]);
    expect(db.prepare("SELECT name FROM pragma_table_info('switches') WHERE name = 'site'").get()).toEqual({ name: 'site' });
  });

  test('a migration numbered below the newest applied one still runs once', () => {
    const db = new Database(':memory:');
    const early = migrations.filter((m) => m.version === 1);
    migrate(db, [...early, { version: 30, name: 'later area', sql: 'CREATE TABLE later (x INTEGER)' }]);
    const between = { version: 15, name: 'another area', sql: 'CREATE TABLE between_areas (x INTEGER)' };
    const all = [...early, between, { version: 30, name: 'later area', sql: 'CREATE TABLE later (x INTEGER)' }];
    expect(migrate(db, all)).toEqual([15]);
    expect(migrate(db, all)).toEqual([]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'between_areas'").get()).toEqual({ name: 'between_areas' });
  });

  test('a failing migration leaves no trace and is retried next time', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken = { version: Math.max(...migrations.map((m) => m.version)) + 1, name: 'broken', sql: 'CREATE TABLE t (x INTEGER); SELECT * FROM nowhere;' };
    expect(() => migrate(db, [...migrations, broken])).toThrow('no such table: nowhere');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    expect(migrate(db)).toEqual([]);
  });

  test('refuses a database written by a newer engine', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x')").run();
    expect(() => migrate(db)).toThrow('database schema version 99 is newer than this engine knows');
  });
});

describe('SqliteStore', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openSqliteStore(':memory:');
  });
  afterEach(() => store.close());

  const seed = () =>
    store.importInventory({
      credentials: [{ ref: 'c', blob: Buffer.from([1]) }],
      segments: [{ name: 'quarantine', vlan: 999 }],
      switches: [{ id: 'leaf1', dialect: 'eos', host: 'h', sshPort: 22, credentialsRef: 'c', hostKey: null, ports: ['Ethernet1'] }],
    });

  test('enables foreign keys and WAL-capable settings', () => {
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  test('an inventory write that breaks a constraint rolls back every row of it', async () => {
    // toMatchObject, not toThrow: when jest runs files in one process, better-sqlite3's errors come from another realm's Error.
    await expect(
      store.importInventory({
        credentials: [{ ref: 'c', blob: Buffer.from([1]) }],
        segments: [{ name: 'quarantine', vlan: 999 }],
        switches: [{ id: 'leaf1', dialect: 'eos', host: 'h', sshPort: 22, credentialsRef: 'missing', hostKey: null, ports: ['Ethernet1'] }],
      }),
    ).rejects.toMatchObject({ message: 'FOREIGN KEY constraint failed' });
    expect(await store.getCredential('c')).toBeUndefined();
    expect(await store.getSegment('quarantine')).toBeUndefined();
  });

  test('recordChange writes the owner and the audit record together', async () => {
    await seed();
    const desired = { mode: 'access' as const, accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' as const };
    await store.recordChange(audit, { switchId: 'leaf1', port: 'Ethernet1', owner: 'me', desired });
    expect(await store.getPort('leaf1', 'Ethernet1')).toEqual({ switchId: 'leaf1', name: 'Ethernet1', owner: 'me', desired });
    expect(await store.journal.listAudit({ limit: 10 })).toEqual([audit]);
  });

  test('recordChange for a port not in inventory writes no audit record', async () => {
    await seed();
    await expect(store.recordChange(audit, { switchId: 'leaf1', port: 'Ethernet9', owner: 'me', desired: null })).rejects.toThrow('port leaf1/Ethernet9 is not in inventory');
    expect(await store.journal.listAudit({ limit: 10 })).toEqual([]);
  });

  test('API tokens are found by hash and replaced by name', async () => {
    await store.putApiToken({ name: 'admin', sha256: 'aa', scope: 'admin' });
    await store.putApiToken({ name: 'admin', sha256: 'bb', scope: 'admin' });
    expect(await store.findApiToken('aa')).toBeUndefined();
    expect(await store.findApiToken('bb')).toEqual({ name: 'admin', sha256: 'bb', scope: 'admin' });
  });
});
