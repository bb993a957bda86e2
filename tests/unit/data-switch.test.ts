// maestro_switch against a fake engine: mapping, port order, the not-found diagnostic on `id`, validation.

import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import { engineError, FakeEngine, providerWith } from './data-fake-engine';

const config = (id: string): ObjectValue => ({ id, dialect: null, description_max: null, quarantine_vlan: null, ports: null });

async function read(id: string, engine = new FakeEngine()) {
  return { engine, ...(await (await providerWith(engine)).read('maestro_switch', config(id))) };
}

test('a switch with its dialect and ports in the engine\'s order; unowned ports have owner ""', async () => {
  const { state, diagnostics, engine } = await read('leaf1');
  expect(diagnostics).toEqual([]);
  expect(state).toEqual({
    id: 'leaf1', dialect: 'eos', description_max: 240, quarantine_vlan: 999,
    ports: [{ name: 'Ethernet2', owner: '' }, { name: 'Ethernet10', owner: 'terraform:maestro_switch_port' }, { name: 'Ethernet1', owner: 'instance:web-01' }],
  });
  expect(engine.calls).toEqual([['getSwitch', 'leaf1']]);
});

describe('an unknown switch', () => {
  test('is an error on id naming the known switches', async () => {
    const { state, diagnostics } = await read('spine9');
    expect(state).toBeNull();
    expect(diagnostics).toEqual([{
      severity: 'error', summary: 'Unknown switch', attribute: [{ attribute: 'id' }],
      detail: 'id: no switch "spine9" in the Maestro engine\'s inventory. Known switches: leaf1, spine1.',
    }]);
  });

  test('is still an error on id when the list of switches cannot be read', async () => {
    const engine = new FakeEngine();
    engine.listSwitchesFailure = engineError('unavailable', 'engine restarting');
    const { diagnostics } = await read('spine9', engine);
    expect(diagnostics).toEqual([expect.objectContaining({ summary: 'Unknown switch', attribute: [{ attribute: 'id' }], detail: 'id: no switch "spine9" in the Maestro engine\'s inventory.' })]);
  });
});

test('another engine failure is a diagnostic on the data source', async () => {
  const engine = new FakeEngine();
  engine.failure = engineError('unavailable', 'connect ECONNREFUSED 127.0.0.1:7443');
  const { state, diagnostics } = await read('leaf1', engine);
  expect(state).toBeNull();
  expect(diagnostics).toEqual([expect.objectContaining({ summary: 'Maestro engine: reading the switch failed', attribute: undefined })]);
});

test.each([
  ['capitals', 'Leaf1'],
  ['a slash', 'leaf1/Ethernet1'],
  ['a leading dash', '-leaf1'],
  ['empty', ''],
])('an id with %s is refused at validate, on id', async (_name, id) => {
  const engine = new FakeEngine();
  const diagnostics = await (await providerWith(engine)).validate('maestro_switch', config(id));
  expect(diagnostics).toEqual([expect.objectContaining({ summary: 'Invalid id', attribute: [{ attribute: 'id' }], detail: expect.stringContaining('lowercase letters, digits and dashes') })]);
  expect(engine.calls).toEqual([]);
});

test('the provider serves its data sources with valid schemas', async () => {
  const { s } = await providerWith(new FakeEngine());
  const res = await s.getProviderSchema();
  expect(res.diagnostics).toEqual([]);
  expect(Object.keys(res.dataSourceSchemas).sort()).toEqual(['maestro_profiles', 'maestro_servers', 'maestro_switch', 'maestro_tenancy']);
  const servers = res.dataSourceSchemas.maestro_servers.block.attributes.find((a) => a.name === 'servers');
  expect(servers?.nestedType?.nesting).toBe('list');
  expect(servers?.nestedType?.attributes.find((a) => a.name === 'nics')?.nestedType?.attributes.map((a) => a.name)).toEqual(['mac', 'name', 'port', 'switch']);
});
