// maestro_servers against a fake engine: filters passed through, rack filtering, sorting, mapping, diagnostics.

import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import { unknown } from '../../provider-shim/src/cty/types';
import { engineError, FakeEngine, providerWith, SERVERS } from './data-fake-engine';

const config = (v: Partial<ObjectValue> = {}): ObjectValue => ({ profile: null, state: null, rack: null, id: null, ids: null, servers: null, ...v });

async function read(v: Partial<ObjectValue>, engine = new FakeEngine()) {
  const p = await providerWith(engine);
  return { engine, ...(await p.read('maestro_servers', config(v))) };
}

describe('filters', () => {
  test.each([
    ['no filter', {}, {}, ['r01-gen-01', 'r01-gpu-01', 'r01-gpu-02', 'r02-gen-01', 'r02-gen-02']],
    ['profile', { profile: 'gpu-large' }, { profile: 'gpu-large' }, ['r01-gpu-01', 'r01-gpu-02']],
    ['state', { state: 'available' }, { state: 'available' }, ['r01-gen-01', 'r01-gpu-01', 'r02-gen-02']],
    ['profile and state', { profile: 'general', state: 'available' }, { profile: 'general', state: 'available' }, ['r01-gen-01', 'r02-gen-02']],
    ['rack (filtered by the provider)', { rack: 'r02' }, {}, ['r02-gen-01', 'r02-gen-02']],
    ['rack and state', { rack: 'r02', state: 'active' }, { state: 'active' }, ['r02-gen-01']],
    ['nothing matches', { profile: 'edge' }, { profile: 'edge' }, []],
  ])('%s', async (_name, filters, sentToEngine, expectedIds) => {
    const { state, diagnostics, engine } = await read(filters);
    expect(diagnostics).toEqual([]);
    expect(engine.calls).toEqual([['listServers', { profile: undefined, state: undefined, ...sentToEngine }]]);
    expect(state?.ids).toEqual(expectedIds);
    expect((state?.servers as ObjectValue[]).map((s) => s.id)).toEqual(expectedIds);
    expect(state).toMatchObject({ profile: null, state: null, rack: null, ...filters });
  });
});

test('each server is mapped with its NICs, disks and lifecycle, without BMC credentials', async () => {
  const engine = new FakeEngine();
  // As if the engine ever sent more than the API promises: the mapping must not pass it on.
  engine.servers = SERVERS.map((s) => ({ ...s, bmc: { ...s.bmc, credentialsRef: 'bmc-admin', password: 'hunter2' } }));
  const { state } = await read({}, engine);
  const byId = Object.fromEntries((state?.servers as ObjectValue[]).map((s) => [s.id, s]));
  expect(byId['r01-gpu-02']).toEqual({
    id: 'r01-gpu-02', serial: 'SN-r01-gpu-02', profile: 'gpu-large', rack: 'r01', state: 'maintenance',
    state_reason: 'cleaning failed: disk erase timed out', owner: null, tenancy_id: null, needs_cleaning: true,
    bmc_driver: 'redfish', bmc_endpoint: 'https://127.0.0.1:910',
    nics: [{ name: 'eth0', mac: '52:54:00:00:00:01', switch: 'leaf1', port: 'Ethernet1' }],
    disks: [{ id: 'sda', size_gb: 960, type: 'ssd' }],
  });
  expect(byId['r02-gen-01']).toMatchObject({ state: 'active', owner: 'terraform:web', tenancy_id: 'web' });
  expect(byId['r02-gen-02'].nics).toEqual([{ name: 'eth0', mac: '52:54:00:00:02:02', switch: null, port: null }]);
  expect(JSON.stringify(state)).not.toMatch(/hunter2|bmc-admin|credential|password/);
});

test('the id depends on the filters only', async () => {
  const ids = await Promise.all([{}, {}, { state: 'available' }, { profile: 'general' }, { rack: 'r01' }].map(async (f) => (await read(f)).state?.id));
  expect(ids[0]).toBe(ids[1]);
  expect(new Set(ids).size).toBe(4);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
});

test('an engine failure is a diagnostic, and no state', async () => {
  const engine = new FakeEngine();
  engine.failure = engineError('unavailable', 'connect ECONNREFUSED 127.0.0.1:7443');
  const { state, diagnostics } = await read({}, engine);
  expect(state).toBeNull();
  expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', summary: 'Maestro engine: listing servers failed', detail: expect.stringContaining('ECONNREFUSED') })]);
});

describe('validation (no engine)', () => {
  test.each([
    ['unknown state', { state: 'running' }, 'state', /must be one of "available", "allocated", "provisioning", "active", "cleaning", "failed", "maintenance"; got "running"/],
    ['profile with capitals', { profile: 'GPU' }, 'profile', /profile must be a profile name of lowercase letters/],
    ['rack with a slash', { rack: 'r01/a' }, 'rack', /rack must be a rack id/],
  ])('%s is refused on its attribute', async (_name, v, attribute, detail) => {
    const engine = new FakeEngine();
    const diagnostics = await (await providerWith(engine)).validate('maestro_servers', config(v));
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', summary: `Invalid ${attribute}`, attribute: [{ attribute }], detail: expect.stringMatching(detail) })]);
    expect(engine.calls).toEqual([]);
  });

  test.each([
    ['every lifecycle state', ['available', 'allocated', 'provisioning', 'active', 'cleaning', 'failed', 'maintenance'].map((state) => ({ state }))],
    ['unknown values (known after apply)', [{ state: unknown, profile: unknown, rack: unknown }]],
    ['valid ids', [{ profile: 'gpu-large', rack: 'r01' }]],
  ])('%s pass', async (_name, configs) => {
    const p = await providerWith(new FakeEngine());
    for (const v of configs) expect(await p.validate('maestro_servers', config(v))).toEqual([]);
  });
});
