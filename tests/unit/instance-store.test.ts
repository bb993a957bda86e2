// InstanceStore on SQLite: insert (idempotent), get, list (all / by tenancy), update (fields, unknown id), delete; migration 50.
// Database errors are matched by message: better-sqlite3's error class comes from the first jest module registry that
// loaded the native addon, so in a run with other files it is not this file's Error.

import { instanceOwner, newInstanceId, type InstanceRecord } from '../../engine/src/store/instance-store';
import { migrations } from '../../engine/src/store/migrations';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';

let store: SqliteStore;
beforeEach(() => (store = openSqliteStore(':memory:')));
afterEach(() => store.close());

const record = (over: Partial<InstanceRecord> = {}): InstanceRecord => ({
  id: newInstanceId(), tenancyId: 'tn-000000000001', profile: 'small', serverId: null, image: 'debian-12', hostname: 'web1',
  sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE me@host'], userData: '#!/bin/sh\necho hi\n', powerState: 'on',
  secureEraseOnDelete: true, ipAddress: null, state: 'creating', stateReason: null, createdAt: '2026-11-27T05:00:00.000Z', jobId: null,
  ...over,
});

test('ids are in- plus 12 hex digits; the owner string is instance:<id>', () => {
  const id = newInstanceId();
  expect(id).toMatch(/^in-[0-9a-f]{12}$/);
  expect(newInstanceId()).not.toBe(id);
  expect(instanceOwner(id)).toBe(`instance:${id}`);
});

test('the instances migration is number 50', () => {
  expect(migrations.find((m) => m.name === 'instances')?.version).toBe(50);
});

test('an inserted instance reads back field for field; unknown ids are undefined', async () => {
  const r = record({ secureEraseOnDelete: false, powerState: 'off' });
  await store.instances.insertInstance(r);
  expect(await store.instances.getInstance(r.id)).toEqual(r);
  expect(await store.instances.getInstance('in-000000000000')).toBeUndefined();
});

test('inserting the same id again keeps the first row (a resumed job)', async () => {
  const r = record();
  await store.instances.insertInstance(r);
  await store.instances.insertInstance({ ...r, hostname: 'other' });
  expect((await store.instances.getInstance(r.id))?.hostname).toBe('web1');
});

test('list orders by creation time and filters by tenancy', async () => {
  const a = record({ createdAt: '2026-11-27T05:00:02.000Z' });
  const b = record({ createdAt: '2026-11-27T05:00:01.000Z', tenancyId: 'tn-000000000002' });
  const c = record({ createdAt: '2026-11-27T05:00:03.000Z' });
  for (const r of [a, b, c]) await store.instances.insertInstance(r);
  expect((await store.instances.listInstances()).map((r) => r.id)).toEqual([b.id, a.id, c.id]);
  expect((await store.instances.listInstances({ tenancyId: 'tn-000000000001' })).map((r) => r.id)).toEqual([a.id, c.id]);
  expect(await store.instances.listInstances({ tenancyId: 'tn-ffffffffffff' })).toEqual([]);
});

test('update changes only the given fields, null included; an unknown id rejects', async () => {
  const r = record();
  await store.instances.insertInstance(r);
  await store.instances.updateInstance(r.id, { serverId: 's1', ipAddress: '198.19.0.5', state: 'failed', stateReason: 'step "install" on bmc:s1: boom', jobId: 'j1' });
  await store.instances.updateInstance(r.id, { sshAuthorizedKeys: [], secureEraseOnDelete: false, powerState: 'off', hostname: 'h2', tenancyId: 'tn-000000000009' });
  expect(await store.instances.getInstance(r.id)).toEqual({
    ...r, serverId: 's1', ipAddress: '198.19.0.5', state: 'failed', stateReason: 'step "install" on bmc:s1: boom', jobId: 'j1',
    sshAuthorizedKeys: [], secureEraseOnDelete: false, powerState: 'off', hostname: 'h2', tenancyId: 'tn-000000000009',
  });
  await store.instances.updateInstance(r.id, { stateReason: null, state: 'active' });
  expect((await store.instances.getInstance(r.id))?.stateReason).toBeNull();
  await store.instances.updateInstance(r.id, {});
  await expect(store.instances.updateInstance('in-000000000000', { state: 'active' })).rejects.toThrow('instance in-000000000000 does not exist');
  await expect(store.instances.updateInstance('in-000000000000', {})).rejects.toThrow('instance in-000000000000 does not exist');
});

test('a server holds at most one instance', async () => {
  await store.instances.insertInstance(record({ serverId: 's1' }));
  const other = record();
  await store.instances.insertInstance(other);
  await expect(store.instances.updateInstance(other.id, { serverId: 's1' })).rejects.toMatchObject({ message: expect.stringMatching(/UNIQUE/) });
});

test('an invalid state is refused by the database', async () => {
  const r = record();
  await store.instances.insertInstance(r);
  await expect(store.instances.updateInstance(r.id, { state: 'gone' as never })).rejects.toMatchObject({ message: expect.stringMatching(/CHECK/) });
});

test('delete removes the row; deleting an absent instance succeeds', async () => {
  const r = record();
  await store.instances.insertInstance(r);
  await store.instances.deleteInstance(r.id);
  expect(await store.instances.getInstance(r.id)).toBeUndefined();
  await store.instances.deleteInstance(r.id);
});
