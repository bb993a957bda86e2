// maestro_profiles against a fake engine: sorting, mapping, server counts, diagnostics.

import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import { engineError, FakeEngine, PROFILES, providerWith, SERVERS } from './data-fake-engine';

const CONFIG: ObjectValue = { names: null, profiles: null };

test('profiles sorted by name, with their hardware and server counts', async () => {
  const engine = new FakeEngine();
  const { state, diagnostics } = await (await providerWith(engine)).read('maestro_profiles', CONFIG);
  expect(diagnostics).toEqual([]);
  expect(state?.names).toEqual(['edge', 'general', 'gpu-large']);
  const byName = Object.fromEntries((state?.profiles as ObjectValue[]).map((p) => [p.name, p]));
  for (const p of PROFILES) {
    const mine = SERVERS.filter((s) => s.profile === p.name);
    expect(byName[p.name]).toEqual({
      name: p.name, cpu_cores: p.cpuCores, memory_gib: p.memoryGib, nics: p.nics,
      disks: p.disks.map((d) => ({ size_gb: d.sizeGb, type: d.type })),
      servers_total: mine.length, servers_available: mine.filter((s) => s.state === 'available').length,
    });
  }
  // The fixture has servers of each kind, so the counts above are not all zero.
  expect(byName['gpu-large']).toMatchObject({ servers_total: 2, servers_available: 1 });
  expect(byName.edge).toMatchObject({ servers_total: 0, disks: [] });
  expect(engine.calls.map(([c]) => c).sort()).toEqual(['listProfiles', 'listServers']);
});

test('an engine failure is a diagnostic, and no state', async () => {
  const engine = new FakeEngine();
  engine.failure = engineError('unauthenticated', 'the engine API token is not valid');
  const { state, diagnostics } = await (await providerWith(engine)).read('maestro_profiles', CONFIG);
  expect(state).toBeNull();
  expect(diagnostics).toEqual([expect.objectContaining({ summary: 'Maestro engine: listing profiles failed', detail: 'the engine API token is not valid' })]);
});
