// Tenancy networks and host IPs: lowest free values, requested values, alignment, exhaustion naming the pool, release.

import { AllocationError, CapacityError, allocateIp, allocateTenancyNetwork, releaseIp, releaseTenancyNetwork } from '../../engine/src/ipam';
import type { SqliteStore } from '../../engine/src/store/sqlite';
import { allocationStore, TENANTS_POOL } from './placement-fixture';

let store: SqliteStore;

beforeEach(async () => {
  store = await allocationStore({ perRack: { small: 1 } }, ':memory:');
});
afterEach(() => store.close());

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e) => e);

describe('allocateTenancyNetwork', () => {
  test('gives the lowest VLAN, VNI and aligned subnet, gateway on the first host', async () => {
    expect(await allocateTenancyNetwork(store, { tenancyId: 't1' })).toEqual({
      tenancyId: 't1', pool: 'tenants', vlan: 100, vni: 10100, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500,
    });
    expect(await allocateTenancyNetwork(store, { tenancyId: 't2', mtu: 9000 })).toMatchObject({ vlan: 101, vni: 10101, cidr: '10.64.1.0/24', mtu: 9000 });
  });

  test('honours requested values and skips them afterwards', async () => {
    expect(await allocateTenancyNetwork(store, { tenancyId: 't1', vlan: 102, vni: 10103, cidr: '10.64.2.0/24' }))
      .toMatchObject({ vlan: 102, vni: 10103, cidr: '10.64.2.0/24', gateway: '10.64.2.1' });
    expect(await allocateTenancyNetwork(store, { tenancyId: 't2', vlan: 100 })).toMatchObject({ vlan: 100, vni: 10100, cidr: '10.64.0.0/24' });
    expect(await allocateTenancyNetwork(store, { tenancyId: 't3' })).toMatchObject({ vlan: 101, vni: 10101, cidr: '10.64.1.0/24' });
  });

  test('a requested smaller block makes the next allocation skip to the next aligned block', async () => {
    await allocateTenancyNetwork(store, { tenancyId: 't1', cidr: '10.64.0.128/25' });
    expect((await allocateTenancyNetwork(store, { tenancyId: 't2' })).cidr).toBe('10.64.1.0/24');
  });

  test.each([
    ['a VLAN outside the pool', { vlan: 200 }, 'out_of_pool', '200 is outside VLAN pool tenants 100-103'],
    ['a VNI outside the pool', { vni: 5 }, 'out_of_pool', '5 is outside VNI pool tenants 10100-10103'],
    ['a taken VLAN', { vlan: 100 }, 'conflict', '100 from VLAN pool tenants 100-103 is already allocated to t0'],
    ['a CIDR outside the supernet', { cidr: '10.65.0.0/24' }, 'out_of_pool', '10.65.0.0/24 is not inside supernet 10.64.0.0/22 of pool tenants'],
    ['a CIDR overlapping a tenancy', { cidr: '10.64.0.0/23' }, 'conflict', '10.64.0.0/23 overlaps 10.64.0.0/24, which another tenancy holds'],
    ['a CIDR with host bits', { cidr: '10.64.3.1/24' }, 'out_of_pool', '"10.64.3.1/24" has host bits set; the block is 10.64.3.0/24'],
    ['an unknown pool', { pool: 'other' }, 'not_found', 'no segment pool "other" (pools: tenants)'],
  ])('refuses %s', async (_name, extra, code, message) => {
    await allocateTenancyNetwork(store, { tenancyId: 't0' });
    const err = await failure(allocateTenancyNetwork(store, { tenancyId: 't1', ...extra }));
    expect(err).toBeInstanceOf(AllocationError);
    expect(err).toMatchObject({ code, message });
    expect(await store.allocation.listTenancyNetworks()).toHaveLength(1);
  });

  test('is idempotent per tenancy, and refuses to change an existing network', async () => {
    const first = await allocateTenancyNetwork(store, { tenancyId: 't1' });
    expect(await allocateTenancyNetwork(store, { tenancyId: 't1' })).toEqual(first);
    await expect(allocateTenancyNetwork(store, { tenancyId: 't1', vlan: 103 })).rejects.toThrow('tenancy "t1" already has vlan 100, not 103');
  });

  test.each([
    ['VLAN', { ...TENANTS_POOL, vlan: { from: 100, to: 101 } }, 'VLAN pool tenants 100-101 is exhausted (2 of 2 allocated)'],
    ['VNI', { ...TENANTS_POOL, vni: { from: 7, to: 8 } }, 'VNI pool tenants 7-8 is exhausted (2 of 2 allocated)'],
    ['supernet', { ...TENANTS_POOL, supernet: '10.64.0.0/23' }, 'supernet 10.64.0.0/23 of pool tenants is exhausted: no free /24 left'],
  ])('an exhausted %s pool throws a CapacityError naming it, and nothing is allocated', async (_kind, pool, message) => {
    store.close();
    store = await allocationStore({ perRack: { small: 1 }, pools: [pool] });
    await allocateTenancyNetwork(store, { tenancyId: 't1' });
    await allocateTenancyNetwork(store, { tenancyId: 't2' });
    const err = await failure(allocateTenancyNetwork(store, { tenancyId: 't3' }));
    expect(err).toBeInstanceOf(CapacityError);
    expect(err).toMatchObject({ code: 'capacity_exhausted', retryable: false, message });
    expect(await store.allocation.listTenancyNetworks()).toHaveLength(2);
  });

  test('release returns the values to the pool; it refuses while IPs remain', async () => {
    await allocateTenancyNetwork(store, { tenancyId: 't1' });
    await allocateIp(store, { tenancyId: 't1', owner: 'i1' });
    await expect(releaseTenancyNetwork(store, 't1')).rejects.toThrow('tenancy "t1" still has 1 allocated IP(s); release them first');
    await releaseIp(store, { tenancyId: 't1', owner: 'i1' });
    await releaseTenancyNetwork(store, 't1');
    await releaseTenancyNetwork(store, 't1');
    expect((await allocateTenancyNetwork(store, { tenancyId: 't2' })).vlan).toBe(100);
  });
});

describe('allocateIp', () => {
  beforeEach(async () => {
    await allocateTenancyNetwork(store, { tenancyId: 't1', cidr: '10.64.0.0/29' });
  });

  test('skips network and gateway, hands out hosts in order, never the broadcast', async () => {
    const got = [];
    for (const owner of ['a', 'b', 'c', 'd', 'e']) got.push((await allocateIp(store, { tenancyId: 't1', owner })).address);
    expect(got).toEqual(['10.64.0.2', '10.64.0.3', '10.64.0.4', '10.64.0.5', '10.64.0.6']);
    const err = await failure(allocateIp(store, { tenancyId: 't1', owner: 'f' }));
    expect(err).toBeInstanceOf(CapacityError);
    expect(err.message).toBe('tenancy t1 (10.64.0.0/29) has no free address (5 of 5 allocated)');
  });

  test.each([
    ['the network address', '10.64.0.0', 'out_of_pool', '10.64.0.0 is the network, gateway or broadcast address of tenancy t1 (10.64.0.0/29)'],
    ['the gateway', '10.64.0.1', 'out_of_pool', '10.64.0.1 is the network, gateway or broadcast address of tenancy t1 (10.64.0.0/29)'],
    ['the broadcast', '10.64.0.7', 'out_of_pool', '10.64.0.7 is the network, gateway or broadcast address of tenancy t1 (10.64.0.0/29)'],
    ['an address outside the subnet', '10.64.0.9', 'out_of_pool', '10.64.0.9 is not an address of tenancy t1 (10.64.0.0/29)'],
    ['a taken address', '10.64.0.2', 'conflict', '10.64.0.2 in tenancy t1 (10.64.0.0/29) is already allocated'],
  ])('refuses %s', async (_name, address, code, message) => {
    await allocateIp(store, { tenancyId: 't1', owner: 'first' });
    await expect(allocateIp(store, { tenancyId: 't1', owner: 'x', address })).rejects.toMatchObject({ code, message });
  });

  test('a requested free address is given, and the same owner gets the same address back', async () => {
    expect((await allocateIp(store, { tenancyId: 't1', owner: 'a', address: '10.64.0.6' })).address).toBe('10.64.0.6');
    expect((await allocateIp(store, { tenancyId: 't1', owner: 'a' })).address).toBe('10.64.0.6');
    expect((await allocateIp(store, { tenancyId: 't1', owner: 'b' })).address).toBe('10.64.0.2');
  });

  test('a tenancy without a network has no addresses', async () => {
    await expect(allocateIp(store, { tenancyId: 'nope', owner: 'a' })).rejects.toMatchObject({ code: 'not_found' });
  });

  test('release by address frees it for the next owner', async () => {
    await allocateIp(store, { tenancyId: 't1', owner: 'a' });
    await releaseIp(store, { tenancyId: 't1', address: '10.64.0.2' });
    expect((await allocateIp(store, { tenancyId: 't1', owner: 'b' })).address).toBe('10.64.0.2');
  });
});
