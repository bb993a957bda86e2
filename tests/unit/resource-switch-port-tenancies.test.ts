// maestro_switch_port tenancy_ids against a fake engine: the tenancies' VLANs are added to what the engine gets,
// plan-time errors name tenancy_ids, and the state keeps what the user wrote (drift when a VLAN goes by hand).

import { Diagnostics } from '../../provider-shim/src/framework/diagnostics';
import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import { unknown as UNKNOWN } from '../../provider-shim/src/cty/types';
import type { PortRequest, TenancyInfo } from '../../provider-shim/src/resources/engine';
import { switchPort } from '../../provider-shim/src/resources/switch-port';
import { access10, FakePortEngine } from './fake-port-engine';

const WEB = 'tn-0000000000a1';
const DB = 'tn-0000000000b2';
const PENDING = 'tn-0000000000c3';

function tenancyInfo(id: string, name: string, vlan: number | null): TenancyInfo {
  return {
    id, name, description: '',
    network: vlan === null ? null : { pool: 'tenants', vlan, vni: 10000 + vlan, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500 },
  } as TenancyInfo;
}

/** The engine refuses a trunk without VLANs; reads record no getPort, so "no engine call" means no tenancy look-up. */
const fakeEngine = () => new FakePortEngine({
  violations: (req) => req.config.mode === 'trunk' && !req.config.allowedVlans?.length ? [{ field: 'allowed_vlans', reason: 'a trunk port needs at least one allowed VLAN' }] : [],
  recordGets: false,
  tenancies: [tenancyInfo(WEB, 'web', 150), tenancyInfo(DB, 'db', 160), tenancyInfo(PENDING, 'pending', null)],
});

const trunk = (v: Partial<ObjectValue>): ObjectValue => ({
  id: 'leaf1/Ethernet1', switch: 'leaf1', port: 'Ethernet1', mode: 'trunk', access_vlan: null, allowed_vlans: [10],
  tenancy_ids: [WEB], native_vlan: null, mtu: 1500, description: '', admin_state: 'up', timeouts: null, ...v,
});

const ctx = (client: FakePortEngine) => ({ client, diags: new Diagnostics(), signal: new AbortController().signal });
const applyCtx = (client: FakePortEngine, planned: ObjectValue) => ({ ...ctx(client), planned, config: planned, private: {}, timeoutMs: 1000 });
const sent = (e: FakePortEngine, kind: string) => e.requests.filter((r) => r[0] === kind).map((r) => (r[1] as PortRequest).config.allowedVlans);

describe('validateConfig', () => {
  test('tenancy_ids on an access port is an error on tenancy_ids', () => {
    const diags = new Diagnostics();
    switchPort.validateConfig(trunk({ mode: 'access', access_vlan: 10, allowed_vlans: null }), diags);
    expect(diags.items).toEqual([expect.objectContaining({ summary: 'Invalid tenancy_ids', attribute: [{ attribute: 'tenancy_ids' }] })]);
    expect(diags.items[0].detail).toMatch(/trunk ports only/);
  });

  test('a trunk may carry only tenancies (known or not yet known)', () => {
    for (const ids of [[WEB], UNKNOWN, [UNKNOWN]]) {
      const diags = new Diagnostics();
      switchPort.validateConfig(trunk({ allowed_vlans: null, tenancy_ids: ids as ObjectValue[string] }), diags);
      expect(diags.items).toEqual([]);
    }
  });

  test('ids must look like tenancy ids', () => {
    const validators = switchPort.schema.attributes.tenancy_ids.validators!;
    expect(validators[0](['tn-0000000000a1'])).toBeNull();
    expect(validators[0](['web'])).toMatch(/element web must be a tenancy id such as "tn-0123456789ab"/);
    expect(validators[0](['tn-ABC'])).not.toBeNull();
  });
});

describe('modifyPlan', () => {
  test('the engine validates allowed_vlans plus the tenancies\' VLANs', async () => {
    const e = fakeEngine();
    const c = ctx(e);
    await switchPort.modifyPlan({ ...c, prior: null, config: trunk({}), planned: trunk({ tenancy_ids: [DB, WEB] }) });
    expect(c.diags.items).toEqual([]);
    expect(sent(e, 'validate')).toEqual([[10, 150, 160]]);
  });

  test.each([
    ['an unknown tenancy', 'tn-00000000dead', /no tenancy has id tn-00000000dead/],
    ['a tenancy without a network', PENDING, /tenancy tn-0000000000c3 \(pending\) has no network yet/],
  ])('%s is an error on tenancy_ids', async (_name, id, detail) => {
    const e = fakeEngine();
    const c = ctx(e);
    await switchPort.modifyPlan({ ...c, prior: null, config: trunk({}), planned: trunk({ tenancy_ids: [WEB, id] }) });
    expect(c.diags.items).toEqual([expect.objectContaining({ summary: 'Invalid tenancy_ids', attribute: [{ attribute: 'tenancy_ids' }] })]);
    expect(c.diags.items[0].detail).toMatch(detail);
  });

  test('ids unknown until apply skip the tenancy checks; an empty allowed_vlans is not yet an error', async () => {
    const e = fakeEngine();
    const c = ctx(e);
    await switchPort.modifyPlan({ ...c, prior: null, config: trunk({}), planned: trunk({ allowed_vlans: null, tenancy_ids: [UNKNOWN] }) });
    expect(c.diags.items).toEqual([]);
    expect(e.requests.some((r) => r[0] === 'tenancy')).toBe(false);
  });

  test('an unchanged port with the same ids makes no engine call', async () => {
    const e = fakeEngine();
    const c = ctx(e);
    await switchPort.modifyPlan({ ...c, prior: trunk({ tenancy_ids: [DB, WEB] }), config: trunk({}), planned: trunk({ tenancy_ids: [WEB, DB] }) });
    expect(e.requests).toEqual([]);
  });
});

describe('apply and read', () => {
  test('create sends the union and returns exactly the planned values', async () => {
    const e = fakeEngine();
    const planned = trunk({ id: UNKNOWN, tenancy_ids: [WEB, DB] });
    const res = await switchPort.create({ ...applyCtx(e, planned), prior: null });
    expect(sent(e, 'apply')).toEqual([[10, 150, 160]]);
    expect(res).toMatchObject({ id: 'leaf1/Ethernet1', allowed_vlans: [10], tenancy_ids: [WEB, DB] });
  });

  test('a trunk of tenancies only keeps allowed_vlans null; a VLAN listed in both stays in allowed_vlans', async () => {
    const e = fakeEngine();
    const only = await switchPort.create({ ...applyCtx(e, trunk({ allowed_vlans: null })), prior: null });
    expect(only).toMatchObject({ allowed_vlans: null, tenancy_ids: [WEB] });
    const both = await switchPort.update({ ...applyCtx(e, trunk({ allowed_vlans: [10, 150] })), prior: trunk({}) });
    expect(sent(e, 'apply')).toEqual([[150], [10, 150]]);
    expect(both).toMatchObject({ allowed_vlans: [10, 150], tenancy_ids: [WEB] });
  });

  test('a tenancy deleted between plan and apply fails the apply on tenancy_ids, with no device change', async () => {
    const e = fakeEngine();
    e.tenancies.delete(WEB);
    const c = applyCtx(e, trunk({}));
    expect(await switchPort.create({ ...c, prior: null })).toBeNull();
    expect(c.diags.items[0]).toMatchObject({ summary: 'Invalid tenancy_ids' });
    expect(sent(e, 'apply')).toEqual([]);
  });

  test('read: the device matching the config reads back as written', async () => {
    const e = fakeEngine();
    e.ports.set('leaf1/Ethernet1', { ...access10, mode: 'trunk', accessVlan: null, allowedVlans: [10, 150, 160] });
    const res = await switchPort.read({ ...ctx(e), state: trunk({ tenancy_ids: [WEB, DB] }), private: {} });
    expect(res).toMatchObject({ allowed_vlans: [10], tenancy_ids: [WEB, DB] });
  });

  test('read: a tenancy VLAN removed by hand drops its id (drift); an extra VLAN shows in allowed_vlans', async () => {
    const e = fakeEngine();
    e.ports.set('leaf1/Ethernet1', { ...access10, mode: 'trunk', accessVlan: null, allowedVlans: [10, 160, 300] });
    const res = await switchPort.read({ ...ctx(e), state: trunk({ tenancy_ids: [WEB, DB] }), private: {} });
    expect(res).toMatchObject({ allowed_vlans: [10, 300], tenancy_ids: [DB] });
  });

  test('read: a deleted tenancy drops out, its VLAN shows as a plain allowed VLAN', async () => {
    const e = fakeEngine();
    e.tenancies.delete(WEB);
    e.ports.set('leaf1/Ethernet1', { ...access10, mode: 'trunk', accessVlan: null, allowedVlans: [10, 150] });
    const res = await switchPort.read({ ...ctx(e), state: trunk({}), private: {} });
    expect(res).toMatchObject({ allowed_vlans: [10, 150], tenancy_ids: [] });
  });

  test('read: without tenancy_ids nothing changes (no tenancy look-ups)', async () => {
    const e = fakeEngine();
    e.ports.set('leaf1/Ethernet1', { ...access10, mode: 'trunk', accessVlan: null, allowedVlans: [10, 150] });
    const res = await switchPort.read({ ...ctx(e), state: trunk({ allowed_vlans: [10, 150], tenancy_ids: null }), private: {} });
    expect(res).toMatchObject({ allowed_vlans: [10, 150], tenancy_ids: null });
    expect(e.requests).toEqual([]);
  });
});
