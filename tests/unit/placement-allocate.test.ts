// Server allocation: profile filter, pins, idempotency, spread across racks and leaves, exhaustion naming the pool, release paths.

import { AllocationError, CapacityError, allocateServer, releaseServer, setServerState } from '../../engine/src/placement';
import type { SqliteStore } from '../../engine/src/store/sqlite';
import { allocationStore } from './placement-fixture';

let store: SqliteStore;

beforeEach(async () => {
  store = await allocationStore({ perRack: { 'gpu-large': 2, small: 1 } });
});
afterEach(() => store.close());

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e) => e);

test('allocation marks the server allocated, owned and needing a clean', async () => {
  const s = await allocateServer(store, { profile: 'small', owner: 'inst-1' });
  expect(s).toMatchObject({ profile: 'small', state: 'allocated', owner: 'inst-1', needsCleaning: true });
  expect(await store.allocation.getServer(s.id)).toMatchObject({ state: 'allocated', owner: 'inst-1', needsCleaning: true });
});

test('the same owner asking again gets the same server', async () => {
  const a = await allocateServer(store, { profile: 'gpu-large', owner: 'inst-1' });
  const b = await allocateServer(store, { profile: 'gpu-large', owner: 'inst-1' });
  expect(b.id).toBe(a.id);
  expect((await store.allocation.listServers()).filter((s) => s.owner === 'inst-1')).toHaveLength(1);
});

test('exhaustion throws a CapacityError naming the profile and its occupancy', async () => {
  for (const owner of ['a', 'b', 'c', 'd']) await allocateServer(store, { profile: 'gpu-large', owner });
  const err = await failure(allocateServer(store, { profile: 'gpu-large', owner: 'e' }));
  expect(err).toBeInstanceOf(CapacityError);
  expect(err).toMatchObject({ code: 'capacity_exhausted', retryable: false, pool: 'profile "gpu-large"' });
  expect(err.message).toBe('no available server of profile "gpu-large" (4 of 4 allocated)');
});

test('occupancy in the capacity error counts servers in maintenance separately', async () => {
  await setServerState(store, 'r1-small-1', 'maintenance', 'fan failure');
  await allocateServer(store, { profile: 'small', owner: 'a' });
  const err = await failure(allocateServer(store, { profile: 'small', owner: 'b' }));
  expect(err.message).toBe('no available server of profile "small" (1 of 2 allocated, 1 maintenance)');
});

test('a tenancy\'s servers spread across racks (and so leaves) before doubling up', async () => {
  const racks = [];
  for (const owner of ['a', 'b', 'c', 'd']) racks.push((await allocateServer(store, { profile: 'gpu-large', owner, tenancyId: 't1' })).rack);
  expect(racks.slice(0, 2).sort()).toEqual(['r1', 'r2']);
  expect(racks.slice(2).sort()).toEqual(['r1', 'r2']);
});

test('without a tenancy the lowest id wins', async () => {
  expect((await allocateServer(store, { profile: 'gpu-large', owner: 'a' })).id).toBe('r1-gpu-large-1');
  expect((await allocateServer(store, { profile: 'gpu-large', owner: 'b' })).id).toBe('r1-gpu-large-2');
});

test.each([
  ['an unknown server', 'nope', 'gpu-large', 'not_found', 'no server "nope" in inventory'],
  ['a server of another profile', 'r1-small-1', 'gpu-large', 'conflict', 'server "r1-small-1" is of profile "small", not "gpu-large"'],
])('pinning %s is refused', async (_name, serverId, profile, code, message) => {
  const err = await failure(allocateServer(store, { profile, serverId, owner: 'x' }));
  expect(err).toBeInstanceOf(AllocationError);
  expect(err).toMatchObject({ code, message });
});

test('pinning an allocated server names its state and owner', async () => {
  await allocateServer(store, { profile: 'small', serverId: 'r2-small-1', owner: 'first' });
  const err = await failure(allocateServer(store, { profile: 'small', serverId: 'r2-small-1', owner: 'second' }));
  expect(err.message).toBe('server "r2-small-1" is allocated (owner "first")');
});

test('release with a clean makes the server available and clean; without, maintenance with the reason', async () => {
  const a = await allocateServer(store, { profile: 'small', owner: 'a' });
  const b = await allocateServer(store, { profile: 'small', owner: 'b' });
  await setServerState(store, a.id, 'provisioning');
  await setServerState(store, a.id, 'active');
  expect(await releaseServer(store, a.id, { cleaned: true })).toMatchObject({ state: 'available', owner: null, needsCleaning: false });
  expect((await store.allocation.getServer(a.id))!.cleanedAt).not.toBeNull();
  expect(await releaseServer(store, b.id, { cleaned: false, reason: 'disk erase failed' }))
    .toMatchObject({ state: 'maintenance', owner: null, needsCleaning: true, stateReason: 'disk erase failed' });
});

test('a server released without a clean is never handed out again until cleaned', async () => {
  const a = await allocateServer(store, { profile: 'small', serverId: 'r1-small-1', owner: 'a' });
  await releaseServer(store, a.id, { cleaned: false, reason: 'erase failed' });
  await expect(setServerState(store, a.id, 'available')).rejects.toThrow('send it through cleaning first');
  await setServerState(store, a.id, 'cleaning');
  await expect(setServerState(store, a.id, 'available')).rejects.toThrow('call releaseServer with cleaned: true');
  await releaseServer(store, a.id, { cleaned: true });
  expect((await allocateServer(store, { profile: 'small', serverId: a.id, owner: 'b' })).owner).toBe('b');
});

test('setServerState refuses what the lifecycle forbids and accepts the current state again', async () => {
  await expect(setServerState(store, 'r1-small-1', 'active')).rejects.toMatchObject({ code: 'invalid_transition' });
  await expect(setServerState(store, 'r1-small-1', 'allocated')).rejects.toThrow('allocateServer');
  expect(await setServerState(store, 'r1-small-1', 'available')).toMatchObject({ state: 'available' });
});
