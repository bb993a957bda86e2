// FrameworkServer: plan, apply, read, import and upgrade rules terraform enforces.

import { decodeMsgpack, encodeMsgpack } from '../../provider-shim/src/cty/msgpack';
import { schemaType } from '../../provider-shim/src/framework/schema';
import { FrameworkServer } from '../../provider-shim/src/framework/server';
import type { DataSource, ObjectValue, Resource } from '../../provider-shim/src/framework/resource';
import { requiresReplace, useStateForUnknown } from '../../provider-shim/src/framework/plan-modifiers';
import { intBetween, matches } from '../../provider-shim/src/framework/validators';
import { timeoutsBlock } from '../../provider-shim/src/framework/timeouts';
import { unknown, type CtyValue } from '../../provider-shim/src/cty/types';
import type { RawValue } from '../../provider-shim/src/tfplugin6/protocol';

interface FakeClient {
  calls: string[];
  /** What create/update return for `address`. */
  address: string;
  /** When set, update returns this size instead of the planned one (a provider bug). */
  sizeOverride?: number;
}

const widget: Resource<FakeClient> = {
  typeName: 'test_widget',
  schema: {
    version: 1,
    description: 'A widget.',
    attributes: {
      id: { type: 'string', computed: true, description: 'Id.', planModifiers: [useStateForUnknown()] },
      name: { type: 'string', required: true, description: 'Name.', planModifiers: [requiresReplace()] },
      size: { type: 'number', optional: true, computed: true, default: 1, description: 'Size.', validators: [intBetween(1, 10)] },
      note: { type: 'string', optional: true, description: 'Note.' },
      address: { type: 'string', computed: true, description: 'Address.' },
      tags: { type: { set: 'string' }, optional: true, description: 'Tags.' },
    },
    blocks: { timeouts: timeoutsBlock(['create'], { create: '1m' }) },
  },
  async create({ client, planned }) {
    client.calls.push('create');
    return { ...planned, id: `w-${planned.name}`, address: client.address };
  },
  async update({ client, planned }) {
    client.calls.push('update');
    return { ...planned, address: client.address, size: client.sizeOverride ?? planned.size };
  },
  async read({ client, state }) {
    client.calls.push('read');
    if (state.name === 'drifted') return { ...state, note: 'changed on the device' };
    return state.name === 'gone' ? null : state;
  },
  async delete({ client }) {
    client.calls.push('delete');
  },
  importState(id) {
    return { id, name: id };
  },
  upgradeState(from, state) {
    return { ...state, note: `upgraded from v${from}` };
  },
};

const type = schemaType(widget.schema);
const enc = (v: ObjectValue | null): RawValue => ({ msgpack: encodeMsgpack(v, type) });
const dec = (raw: RawValue | undefined): CtyValue => (raw?.msgpack ? decodeMsgpack(raw.msgpack, type) : null);
const obj = (v: Partial<ObjectValue>): ObjectValue => ({ id: null, name: null, size: null, note: null, address: null, tags: null, timeouts: null, ...v });

const lookup: DataSource<FakeClient> = {
  typeName: 'test_lookup',
  schema: {
    version: 0,
    description: 'Looks up an address.',
    attributes: {
      name: { type: 'string', required: true, description: 'Name.', validators: [matches(/^[a-z]+$/, 'lowercase letters')] },
      address: { type: 'string', computed: true, description: 'Address.' },
    },
  },
  async read({ client, config }) {
    client.calls.push(`lookup ${String(config.name)}`);
    return { name: config.name, address: client.address };
  },
};
const lookupType = schemaType(lookup.schema);

async function server(client: FakeClient = { calls: [], address: '10.0.0.5' }) {
  const s = new FrameworkServer<FakeClient>({
    schema: { version: 0, description: 'Test provider.', attributes: {} },
    configure: async () => client,
    resources: [widget],
    dataSources: [lookup],
  });
  await s.configureProvider({ terraformVersion: '1.11.4', config: { msgpack: encodeMsgpack({}, { object: {} }) } });
  return { s, client };
}

async function plan(prior: ObjectValue | null, config: ObjectValue, proposed: ObjectValue = config) {
  const { s } = await server();
  const res = await s.planResourceChange({ typeName: 'test_widget', priorState: enc(prior), proposedNewState: enc(proposed), config: enc(config), priorPrivate: Buffer.alloc(0) });
  return { planned: dec(res.plannedState) as ObjectValue, res };
}

const prior = obj({ id: 'w-a', name: 'a', size: 2, note: 'x', address: '10.0.0.5' });

describe('planResourceChange', () => {
  test('create: defaults applied, provider-decided attributes unknown', async () => {
    const { planned, res } = await plan(null, obj({ name: 'a' }));
    expect(planned).toEqual(obj({ name: 'a', size: 1, id: unknown, address: unknown }));
    expect(res.requiresReplace).toEqual([]);
  });

  test('no change: plan equals prior, nothing unknown', async () => {
    const config = obj({ name: 'a', size: 2, note: 'x' });
    const { planned } = await plan(prior, config, { ...config, id: 'w-a', address: '10.0.0.5' });
    expect(planned).toEqual(prior);
  });

  test('no change answers with the prior state bytes terraform sent; a change is encoded anew', async () => {
    const { s } = await server();
    const priorState = enc(prior);
    const request = (config: ObjectValue) => ({ typeName: 'test_widget', priorState, proposedNewState: enc({ ...config, id: 'w-a', address: '10.0.0.5' }), config: enc(config), priorPrivate: Buffer.alloc(0) });
    const same = await s.planResourceChange(request(obj({ name: 'a', size: 2, note: 'x' })));
    expect(same.plannedState).toBe(priorState);
    const changed = await s.planResourceChange(request(obj({ name: 'a', size: 3, note: 'x' })));
    expect(changed.plannedState).not.toBe(priorState);
    expect(dec(changed.plannedState)).toEqual({ ...prior, size: 3, address: unknown });
  });

  test('update: computed attribute unknown unless use-state-for-unknown', async () => {
    const config = obj({ name: 'a', size: 2, note: 'y' });
    const { planned } = await plan(prior, config, { ...config, id: 'w-a', address: '10.0.0.5' });
    expect(planned.id).toBe('w-a');
    expect(planned.address).toBe(unknown);
    expect(planned.note).toBe('y');
  });

  test('removing an optional value with a default plans the default', async () => {
    const config = obj({ name: 'a', note: 'x' });
    const { planned } = await plan(prior, config, { ...config, size: 2, id: 'w-a', address: '10.0.0.5' });
    expect(planned.size).toBe(1);
  });

  test('a requires-replace attribute change is reported by path', async () => {
    const config = obj({ name: 'b', size: 2, note: 'x' });
    const { res } = await plan(prior, config, { ...config, id: 'w-a', address: '10.0.0.5' });
    expect(res.requiresReplace).toEqual([[{ attribute: 'name' }]]);
  });

  test('destroy plans null', async () => {
    const { s } = await server();
    const res = await s.planResourceChange({ typeName: 'test_widget', priorState: enc(prior), proposedNewState: enc(null), config: enc(null), priorPrivate: Buffer.alloc(0) });
    expect(dec(res.plannedState)).toBeNull();
  });
});

describe('validateResourceConfig', () => {
  test('validator failure names the attribute', async () => {
    const { s } = await server();
    const res = await s.validateResourceConfig({ typeName: 'test_widget', config: enc(obj({ name: 'a', size: 11 })) });
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0].attribute).toEqual([{ attribute: 'size' }]);
    expect(res.diagnostics[0].detail).toMatch(/from 1 to 10; got 11/);
  });

  test('unknown values are not validated', async () => {
    const { s } = await server();
    const res = await s.validateResourceConfig({ typeName: 'test_widget', config: enc(obj({ name: 'a', size: unknown })) });
    expect(res.diagnostics).toEqual([]);
  });

  test('a bad duration in the timeouts block names timeouts.create', async () => {
    const { s } = await server();
    const res = await s.validateResourceConfig({ typeName: 'test_widget', config: enc(obj({ name: 'a', timeouts: { create: 'soon' } })) });
    expect(res.diagnostics.map((d) => d.attribute)).toEqual([[{ attribute: 'timeouts' }, { attribute: 'create' }]]);
  });
});

describe('applyResourceChange', () => {
  test('create fills unknowns and returns a fully known state', async () => {
    const { s, client } = await server();
    const planned = obj({ name: 'a', size: 1, id: unknown, address: unknown });
    const res = await s.applyResourceChange({ typeName: 'test_widget', priorState: enc(null), plannedState: enc(planned), config: enc(obj({ name: 'a' })), plannedPrivate: Buffer.alloc(0) });
    expect(res.diagnostics).toEqual([]);
    expect(dec(res.newState)).toEqual(obj({ name: 'a', size: 1, id: 'w-a', address: '10.0.0.5' }));
    expect(client.calls).toEqual(['create']);
  });

  test('a result that changes a known planned value is reported, naming the resource and attribute', async () => {
    const { s } = await server({ calls: [], address: '10.0.0.5', sizeOverride: 7 });
    const planned = { ...prior, note: 'y', address: unknown };
    const res = await s.applyResourceChange({ typeName: 'test_widget', priorState: enc(prior), plannedState: enc(planned), config: enc(obj({ name: 'a', size: 2, note: 'y' })), plannedPrivate: Buffer.alloc(0) });
    expect(res.diagnostics[0].summary).toBe('Provider produced an inconsistent result');
    expect(res.diagnostics[0].detail).toMatch(/test_widget\.size: planned 2, got 7/);
  });

  test('delete returns null state', async () => {
    const { s, client } = await server();
    const res = await s.applyResourceChange({ typeName: 'test_widget', priorState: enc(prior), plannedState: enc(null), config: enc(null), plannedPrivate: Buffer.alloc(0) });
    expect(dec(res.newState)).toBeNull();
    expect(client.calls).toEqual(['delete']);
  });
});

describe('read, import, upgrade', () => {
  test('read of a vanished object returns null', async () => {
    const { s } = await server();
    const res = await s.readResource({ typeName: 'test_widget', currentState: enc(obj({ id: 'w-gone', name: 'gone' })), private: Buffer.alloc(0) });
    expect(dec(res.newState)).toBeNull();
  });

  test('a read that finds no drift answers with the state bytes terraform sent; drift is encoded anew', async () => {
    const { s } = await server();
    const currentState = enc(prior);
    const same = await s.readResource({ typeName: 'test_widget', currentState, private: Buffer.alloc(0) });
    expect(same.newState).toBe(currentState);
    const drifted = await s.readResource({ typeName: 'test_widget', currentState: enc({ ...prior, name: 'drifted' }), private: Buffer.alloc(0) });
    expect(dec(drifted.newState)).toEqual({ ...prior, name: 'drifted', note: 'changed on the device' });
  });

  test('import returns a state with every attribute present', async () => {
    const { s } = await server();
    const res = await s.importResourceState({ typeName: 'test_widget', id: 'w-9' });
    expect(res.importedResources).toHaveLength(1);
    expect(dec(res.importedResources[0].state)).toEqual(obj({ id: 'w-9', name: 'w-9' }));
  });

  test('upgrade from raw JSON drops removed attributes, nulls missing ones, runs the upgrader', async () => {
    const { s } = await server();
    const json = Buffer.from(JSON.stringify({ id: 'w-a', name: 'a', size: 2, removed_long_ago: true }));
    const res = await s.upgradeResourceState({ typeName: 'test_widget', version: 0, rawState: { json } });
    expect(res.diagnostics).toEqual([]);
    expect(dec(res.upgradedState)).toEqual(obj({ id: 'w-a', name: 'a', size: 2, note: 'upgraded from v0' }));
  });

  test('state from a newer schema version is refused with a clear error', async () => {
    const { s } = await server();
    const res = await s.upgradeResourceState({ typeName: 'test_widget', version: 5, rawState: { json: Buffer.from('{"name":"a"}') } });
    expect(res.diagnostics[0].detail).toMatch(/newer Maestro provider/);
  });
});

describe('getProviderSchema', () => {
  test('attributes sorted, types as JSON, timeouts as a block', async () => {
    const { s } = await server();
    const res = await s.getProviderSchema();
    expect(res.diagnostics).toEqual([]);
    const block = res.resourceSchemas.test_widget.block;
    expect(block.attributes.map((a) => a.name)).toEqual(['address', 'id', 'name', 'note', 'size', 'tags']);
    expect(block.attributes.find((a) => a.name === 'tags')?.type).toEqual(['set', 'string']);
    expect(block.blockTypes.map((b) => b.typeName)).toEqual(['timeouts']);
  });
});

describe('data sources', () => {
  test('validators run on data source configs', async () => {
    const { s } = await server();
    const res = await s.validateDataResourceConfig({ typeName: 'test_lookup', config: { msgpack: encodeMsgpack({ name: 'Web', address: null }, lookupType) } });
    expect(res.diagnostics.map((d) => d.attribute)).toEqual([[{ attribute: 'name' }]]);
  });

  test('read returns the computed values', async () => {
    const { s, client } = await server();
    const res = await s.readDataSource({ typeName: 'test_lookup', config: { msgpack: encodeMsgpack({ name: 'web', address: null }, lookupType) } });
    expect(decodeMsgpack(res.state?.msgpack as Buffer, lookupType)).toEqual({ name: 'web', address: '10.0.0.5' });
    expect(client.calls).toEqual(['lookup web']);
  });

  test('an unknown data source type is an error, not a crash', async () => {
    const { s } = await server();
    const res = await s.readDataSource({ typeName: 'test_nothing', config: { msgpack: encodeMsgpack(null, lookupType) } });
    expect(res.diagnostics[0].summary).toBe('Unknown data source');
  });
});
