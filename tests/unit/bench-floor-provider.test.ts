// The plan benchmark's floor provider (bench/provider-floor.ts): the real provider, with a plan's four per-resource
// calls answered from the request itself. If it drifted from the real provider (schema, configuration), the floor the
// benchmark prints would measure something else.

import { createProvider as createFloorProvider } from '../../bench/provider-floor';
import { createProvider as createMaestroProvider } from '../../provider-shim/src/provider';
import type { RawValue } from '../../provider-shim/src/tfplugin6/protocol';

const bytes = (text: string): RawValue => ({ msgpack: Buffer.from(text) });

test('answers the per-resource calls of a plan with what terraform sent, doing nothing else', async () => {
  const floor = createFloorProvider();
  const currentState = bytes('current');
  const read = await floor.readResource({ typeName: 'maestro_switch_port', currentState, private: Buffer.from('p') });
  expect(read.newState).toBe(currentState);
  expect(read.private.toString()).toBe('p');
  const proposedNewState = bytes('proposed');
  const plan = await floor.planResourceChange({ typeName: 'maestro_switch_port', priorState: bytes('prior'), proposedNewState, config: bytes('config'), priorPrivate: Buffer.alloc(0) });
  expect(plan.plannedState).toBe(proposedNewState);
  expect(plan.requiresReplace).toEqual([]);
  const json = Buffer.from('{"id":"leaf1/Ethernet1"}');
  expect((await floor.upgradeResourceState({ typeName: 'maestro_switch_port', version: 0, rawState: { json } })).upgradedState).toEqual({ json });
  expect((await floor.validateResourceConfig({ typeName: 'maestro_switch_port', config: bytes('not msgpack') })).diagnostics).toEqual([]);
});

test('everything else is the real provider: the same schema, the same provider configuration checks', async () => {
  const floor = createFloorProvider();
  const real = createMaestroProvider();
  expect(await floor.getProviderSchema()).toEqual(await real.getProviderSchema());
  const { encodeMsgpack } = await import('../../provider-shim/src/cty/msgpack');
  const config = { msgpack: encodeMsgpack({ endpoint: null, token: null, ca_cert_file: null }, { object: { endpoint: 'string', token: 'string', ca_cert_file: 'string' } }) };
  const saved = { ...process.env };
  for (const key of ['MAESTRO_ENDPOINT', 'MAESTRO_TOKEN', 'MAESTRO_TOKEN_FILE', 'MAESTRO_CA_CERT_FILE']) delete process.env[key];
  try {
    const configured = await floor.configureProvider({ terraformVersion: '1.11.4', config });
    expect(configured.diagnostics.map((d) => d.summary)).toEqual(['Missing engine endpoint', 'Missing engine token', 'Missing engine CA certificate']);
  } finally {
    process.env = saved;
  }
});
