// maestro_tenancy through the framework server against a fake engine: planning (known vs unknown values, plan-time
// violations on their attribute, replacement not clashing with itself), create/update/read mapping, import ids.

import { isUnknown } from '../../provider-shim/src/cty/types';
import { decodeMsgpack, encodeMsgpack } from '../../provider-shim/src/cty/msgpack';
import type { ObjectValue, ProviderDef } from '../../provider-shim/src/framework/resource';
import { schemaType } from '../../provider-shim/src/framework/schema';
import { FrameworkServer } from '../../provider-shim/src/framework/server';
import type { TenancyClient, TenancyInfo } from '../../provider-shim/src/resources/engine';
import { tenancy } from '../../provider-shim/src/resources/tenancy';
import type { TenancyCreateRequest, TenancyValidateRequest } from '../../engine/src/api/tenancy-wire';

const WEB: TenancyInfo = {
  id: 'tn-0123456789ab', name: 'web', description: 'web tier', state: 'active', createdAt: '2025-01-01T00:00:00.000Z',
  network: { pool: 'tenants', vlan: 150, vni: 10100, cidr: '10.64.20.0/24', gateway: '10.64.20.1', mtu: 1500 },
};

const notFound = () => Object.assign(new Error('no such tenancy'), { code: 'not_found', violations: [] });

class FakeEngine implements TenancyClient {
  calls: Array<[string, unknown]> = [];
  violations: { field: string; reason: string }[] = [];
  tenancies = new Map<string, TenancyInfo>([[WEB.id, WEB]]);

  async validateTenancy(req: TenancyValidateRequest) {
    this.calls.push(['validate', req]);
    return { violations: this.violations };
  }
  async createTenancy(req: TenancyCreateRequest) {
    this.calls.push(['create', req]);
    const t: TenancyInfo = {
      ...WEB, id: 'tn-00000000000c', name: req.name, description: req.description ?? '',
      network: { pool: 'tenants', vlan: req.vlan ?? 100, vni: req.vni ?? 10101, cidr: req.cidr ?? '10.64.0.0/24', gateway: req.cidr ? '10.64.20.1' : '10.64.0.1', mtu: req.mtu ?? 1500 },
    };
    this.tenancies.set(t.id, t);
    return { jobId: 'j1', tenancy: t };
  }
  async getTenancy(id: string) {
    this.calls.push(['get', id]);
    const t = this.tenancies.get(id);
    if (!t) throw notFound();
    return t;
  }
  async findTenancy(name: string) {
    this.calls.push(['find', name]);
    const t = [...this.tenancies.values()].find((x) => x.name === name);
    if (!t) throw notFound();
    return t;
  }
  async updateTenancy(req: { id: string; description?: string; mtu?: number }) {
    this.calls.push(['update', req]);
    const t = this.tenancies.get(req.id)!;
    const next = { ...t, description: req.description ?? t.description, network: { ...t.network!, mtu: req.mtu ?? t.network!.mtu } };
    this.tenancies.set(t.id, next);
    return next;
  }
  async deleteTenancy(id: string) {
    this.calls.push(['delete', id]);
    if (!this.tenancies.delete(id)) throw notFound();
    return { jobId: 'j2' };
  }
}

const TYPE = schemaType(tenancy.schema);
const enc = (v: ObjectValue | null) => ({ msgpack: encodeMsgpack(v, TYPE) });
const dec = (raw: { msgpack?: Buffer } | undefined) => decodeMsgpack(raw!.msgpack!, TYPE) as ObjectValue;
const NULLS: ObjectValue = { id: null, name: null, description: null, vlan_id: null, vni: null, cidr: null, gateway: null, mtu: null, timeouts: null };
const config = (v: ObjectValue): ObjectValue => ({ ...NULLS, ...v });
const stateOfWeb: ObjectValue = { id: WEB.id, name: 'web', description: 'web tier', vlan_id: 150, vni: 10100, cidr: '10.64.20.0/24', gateway: '10.64.20.1', mtu: 1500, timeouts: null };

let engine: FakeEngine;
let server: FrameworkServer<TenancyClient>;

beforeEach(async () => {
  engine = new FakeEngine();
  const def: ProviderDef<TenancyClient> = { schema: { version: 0, description: 'test', attributes: {} }, configure: async () => engine, resources: [tenancy], dataSources: [] };
  server = new FrameworkServer(def);
  await server.configureProvider({ terraformVersion: '1.11.4', config: { msgpack: encodeMsgpack({}, { object: {} }) } });
});

/** PlanResourceChange as terraform sends it: proposed = config over prior for computed attributes. */
async function plan(cfg: ObjectValue, prior: ObjectValue | null, priorPrivate = Buffer.alloc(0)) {
  const proposed = { ...cfg };
  for (const k of Object.keys(proposed)) if (proposed[k] === null && prior) proposed[k] = prior[k];
  const res = await server.planResourceChange({ typeName: 'maestro_tenancy', priorState: enc(prior), proposedNewState: enc(proposed), config: enc(cfg), priorPrivate });
  return { planned: res.plannedState ? dec(res.plannedState) : null, res };
}

describe('plan', () => {
  test('a create plans what the config fixes (and the gateway of a fixed cidr), the rest unknown, and asks the engine', async () => {
    const { planned } = await plan(config({ name: 'web', vlan_id: 150, cidr: '10.64.20.0/24' }), null);
    expect(planned).toMatchObject({ name: 'web', description: '', vlan_id: 150, cidr: '10.64.20.0/24', gateway: '10.64.20.1', mtu: 1500 });
    expect(isUnknown(planned!.id) && isUnknown(planned!.vni)).toBe(true);
    expect(engine.calls).toEqual([['validate', { name: 'web', description: '', vlan: 150, vni: undefined, cidr: '10.64.20.0/24', mtu: 1500, id: undefined }]]);
  });

  test('an allocated create leaves vlan_id, vni, cidr and gateway unknown', async () => {
    const { planned } = await plan(config({ name: 'db' }), null);
    for (const k of ['id', 'vlan_id', 'vni', 'cidr', 'gateway']) expect(isUnknown(planned![k])).toBe(true);
  });

  test.each([
    ['vlan_id', '150 from VLAN pool tenants 100-199 is already allocated to tenancy "web"'],
    ['cidr', '10.64.20.0/24 overlaps 10.64.20.0/24, which another tenancy holds'],
    ['name', 'the name "web" is taken by tenancy "web" (tn-0123456789ab)'],
    ['vni', 'VNI pool tenants 10100-10101 is exhausted (2 of 2 allocated)'],
  ])('an engine violation on %s fails the plan on that attribute', async (field, reason) => {
    engine.violations = [{ field, reason }];
    const { planned, res } = await plan(config({ name: 'x', vlan_id: 150 }), null);
    expect(planned).toBeNull();
    expect(res.diagnostics).toEqual([{ severity: 'error', summary: `Invalid ${field}`, detail: `${field}: ${reason}.`, attribute: [{ attribute: field }] }]);
  });

  test('a description change is in place: allocated values stay known and the engine is not asked', async () => {
    const { planned, res } = await plan(config({ name: 'web', description: 'v2' }), stateOfWeb);
    expect(planned).toEqual({ ...stateOfWeb, description: 'v2' });
    expect(res.requiresReplace).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  test.each([['vlan_id', 151], ['vni', 10150], ['cidr', '10.64.21.0/24'], ['name', 'www']])('changing %s replaces the tenancy', async (attr, value) => {
    const { res } = await plan(config({ name: 'web', [attr]: value }), stateOfWeb);
    expect(res.requiresReplace).toEqual([[{ attribute: attr }]]);
  });

  test('the create half of a replacement names the tenancy it replaces, so it does not clash with itself', async () => {
    const priv = Buffer.from(JSON.stringify({ tenancy_id: WEB.id }));
    await plan(config({ name: 'web', vlan_id: 151 }), null, priv);
    expect(engine.calls).toEqual([['validate', expect.objectContaining({ id: WEB.id, vlan: 151 })]]);
  });
});

describe('apply and read', () => {
  test('create sends the fixed values, returns every attribute and remembers the id privately', async () => {
    const { planned } = await plan(config({ name: 'web2', vlan_id: 160 }), null);
    const res = await server.applyResourceChange({ typeName: 'maestro_tenancy', priorState: enc(null), plannedState: enc(planned), config: enc(config({ name: 'web2', vlan_id: 160 })), plannedPrivate: Buffer.alloc(0) });
    expect(res.diagnostics).toEqual([]);
    expect(dec(res.newState)).toEqual({ id: 'tn-00000000000c', name: 'web2', description: '', vlan_id: 160, vni: 10101, cidr: '10.64.0.0/24', gateway: '10.64.0.1', mtu: 1500, timeouts: null });
    expect(engine.calls[1]).toEqual(['create', { name: 'web2', description: '', vlan: 160, vni: undefined, cidr: undefined, mtu: 1500 }]);
    expect(JSON.parse(res.private!.toString())).toEqual({ tenancy_id: 'tn-00000000000c' });
  });

  test('update sends only what changed', async () => {
    const planned = { ...stateOfWeb, description: 'v2' };
    const res = await server.applyResourceChange({ typeName: 'maestro_tenancy', priorState: enc(stateOfWeb), plannedState: enc(planned), config: enc(config({ name: 'web', description: 'v2' })), plannedPrivate: Buffer.alloc(0) });
    expect(dec(res.newState)).toEqual(planned);
    expect(engine.calls).toEqual([['update', { id: WEB.id, description: 'v2', mtu: undefined }]]);
  });

  test('read of a deleted tenancy is null (gone)', async () => {
    engine.tenancies.clear();
    const res = await server.readResource({ typeName: 'maestro_tenancy', currentState: enc(stateOfWeb), private: Buffer.alloc(0) });
    expect(res.diagnostics).toEqual([]);
    expect(decodeMsgpack(res.newState!.msgpack!, TYPE)).toBeNull();
  });

  test('delete of a tenancy already gone succeeds', async () => {
    engine.tenancies.clear();
    const res = await server.applyResourceChange({ typeName: 'maestro_tenancy', priorState: enc(stateOfWeb), plannedState: enc(null), config: enc(null), plannedPrivate: Buffer.alloc(0) });
    expect(res.diagnostics).toEqual([]);
  });
});

describe('import', () => {
  test.each([
    ['a tenancy id', WEB.id, ['get', WEB.id]],
    ['a name', 'name:web', ['find', 'web']],
  ])('by %s: read completes the state', async (_case, id, call) => {
    const imp = await server.importResourceState({ typeName: 'maestro_tenancy', id });
    expect(imp.diagnostics).toEqual([]);
    const read = await server.readResource({ typeName: 'maestro_tenancy', currentState: imp.importedResources[0].state, private: Buffer.alloc(0) });
    expect(dec(read.newState)).toEqual(stateOfWeb);
    expect(engine.calls).toEqual([call]);
  });

  test.each(['web', 'name:Web', 'tn-xyz', ''])('%j is refused with the accepted forms', async (id) => {
    const imp = await server.importResourceState({ typeName: 'maestro_tenancy', id });
    expect(imp.importedResources).toEqual([]);
    expect(imp.diagnostics[0].detail).toMatch(/"tn-0123456789ab" or "name:<tenancy name>"/);
  });
});
