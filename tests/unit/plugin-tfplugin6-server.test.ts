// tfplugin6 glue: request/response conversion, thrown errors as diagnostics, unsupported RPCs, lazy loading.

import type { UnaryCallback } from '../../provider-shim/src/plugin/grpc-server';
import { logger } from '../../provider-shim/src/plugin/logger';
import { lazyProviderServer } from '../../provider-shim/src/tfplugin6/lazy-provider-server';
import type { Diagnostic, ProviderServer, Schema } from '../../provider-shim/src/tfplugin6/protocol';
import { createProviderService } from '../../provider-shim/src/tfplugin6/server';
import * as to from '../../provider-shim/src/tfplugin6/to-proto';

beforeAll(() => logger.setLevel('off')); // provider-error lines would only clutter the test output

/** Calls one handler of the service as the plugin's gRPC server would, and returns what it answered. */
function call(service: ReturnType<typeof createProviderService>, rpc: string, request: object): Promise<any> {
  return new Promise((resolve, reject) => {
    const handler = service[rpc] as unknown as (call: { request: object }, cb: UnaryCallback) => void;
    handler({ request }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A ProviderServer whose every method fails unless overridden. */
function server(overrides: Partial<ProviderServer>): ProviderServer {
  const fail = async () => {
    throw new Error('not expected in this test');
  };
  return new Proxy(overrides as ProviderServer, { get: (t, name: keyof ProviderServer) => t[name] ?? fail });
}

const dv = (msgpack = '', json = '') => ({ msgpack: Buffer.from(msgpack), json: Buffer.from(json) });

describe('requests reach the ProviderServer in protocol.ts form', () => {
  test('PlanResourceChange: values keep only the encodings present; absent provider_meta is undefined', async () => {
    let seen: unknown;
    const service = createProviderService(
      server({
        planResourceChange: async (req) => {
          seen = req;
          return { plannedState: { msgpack: Buffer.from([0xc0]) }, requiresReplace: [[{ attribute: 'vlan' }]], plannedPrivate: Buffer.from('p'), diagnostics: [] };
        },
      }),
    );
    const res = await call(service, 'PlanResourceChange', {
      type_name: 'maestro_switch_port',
      prior_state: dv('\xc0'),
      proposed_new_state: dv('', '{"a":1}'),
      config: dv('x'),
      prior_private: Buffer.from('pp'),
      provider_meta: null,
    });
    expect(seen).toEqual({
      typeName: 'maestro_switch_port',
      priorState: { msgpack: Buffer.from('\xc0') },
      proposedNewState: { json: Buffer.from('{"a":1}') },
      config: { msgpack: Buffer.from('x') },
      priorPrivate: Buffer.from('pp'),
      providerMeta: undefined,
    });
    expect(res).toEqual({
      planned_state: { msgpack: Buffer.from([0xc0]) },
      requires_replace: [{ steps: [{ attribute_name: 'vlan' }] }],
      planned_private: Buffer.from('p'),
      diagnostics: [],
    });
  });

  test('UpgradeResourceState: JSON raw state passes; an empty flatmap is dropped', async () => {
    let seen: unknown;
    const service = createProviderService(
      server({
        upgradeResourceState: async (req) => {
          seen = req;
          return { diagnostics: [] };
        },
      }),
    );
    const res = await call(service, 'UpgradeResourceState', { type_name: 't', version: 0, raw_state: { json: Buffer.from('{}'), flatmap: {} } });
    expect(seen).toEqual({ typeName: 't', version: 0, rawState: { json: Buffer.from('{}') } });
    expect(res).toEqual({ upgraded_state: null, diagnostics: [] });
  });
});

describe('diagnostics', () => {
  test.each<[string, Diagnostic, object]>([
    ['error without path', { severity: 'error', summary: 's' }, { severity: 'ERROR', summary: 's', detail: '', attribute: null }],
    [
      'warning with every step kind',
      { severity: 'warning', summary: 's', detail: 'd', attribute: [{ attribute: 'ports' }, { index: 2 }, { attribute: 'tags' }, { key: 'team' }] },
      {
        severity: 'WARNING',
        summary: 's',
        detail: 'd',
        attribute: { steps: [{ attribute_name: 'ports' }, { element_key_int: 2 }, { attribute_name: 'tags' }, { element_key_string: 'team' }] },
      },
    ],
  ])('%s', (_name, diag, wire) => {
    expect(to.diagnostic(diag)).toEqual(wire);
  });

  test('an error thrown by the ProviderServer becomes an error diagnostic naming the RPC and type', async () => {
    const service = createProviderService(server({}));
    const res = await call(service, 'ReadResource', { type_name: 'maestro_tenancy', current_state: dv('\xc0'), private: Buffer.alloc(0), provider_meta: null });
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0]).toMatchObject({ severity: 'ERROR', summary: 'Provider error in ReadResource' });
    expect(res.diagnostics[0].detail).toContain('handling ReadResource for maestro_tenancy: not expected in this test');
  });

  test('a failing StopProvider answers its error text', async () => {
    const service = createProviderService(server({ stopProvider: async () => Promise.reject(new Error('stuck')) }));
    expect((await call(service, 'StopProvider', {})).Error).toContain('stuck');
  });
});

describe('schemas', () => {
  test('attribute types travel as JSON bytes; nested types, blocks and deprecation are kept', async () => {
    const schema: Schema = {
      version: 2,
      block: {
        attributes: [
          { name: 'tags', type: ['map', 'string'], optional: true, deprecated: true, description: 'd' },
          { name: 'nics', nestedType: { nesting: 'list', attributes: [{ name: 'mac', type: 'string', computed: true }] }, computed: true },
        ],
        blockTypes: [{ typeName: 'timeouts', nesting: 'single', block: { attributes: [], blockTypes: [] } }],
        deprecated: false,
      },
    };
    const wire = to.schema(schema);
    expect(wire.version).toBe(2);
    expect(JSON.parse(wire.block.attributes[0].type.toString())).toEqual(['map', 'string']);
    expect(wire.block.attributes[0]).toMatchObject({ optional: true, deprecated: true, description: 'd', nested_type: null, description_kind: 'PLAIN' });
    expect(wire.block.attributes[1].type).toHaveLength(0);
    expect(wire.block.attributes[1].nested_type).toMatchObject({ nesting: 'LIST', attributes: [{ name: 'mac', computed: true }] });
    expect(wire.block.block_types[0]).toMatchObject({ type_name: 'timeouts', nesting: 'SINGLE' });
  });
});

describe('RPCs maestro does not offer', () => {
  const service = createProviderService(server({}));

  test('GetResourceIdentitySchemas answers no identity schemas', async () => {
    expect(await call(service, 'GetResourceIdentitySchemas', {})).toEqual({ identity_schemas: {}, diagnostics: [] });
  });

  test.each(['OpenEphemeralResource', 'MoveResourceState', 'UpgradeResourceIdentity'])('%s answers an error diagnostic', async (rpc) => {
    const res = await call(service, rpc, { type_name: 'maestro_x' });
    expect(res.diagnostics).toEqual([expect.objectContaining({ severity: 'ERROR', detail: `The maestro provider does not implement ${rpc} (asked for maestro_x).` })]);
  });

  test('CallFunction answers a function error', async () => {
    expect(await call(service, 'CallFunction', { name: 'f', arguments: [] })).toEqual({ error: { text: 'The maestro provider has no function named "f".' } });
  });
});

describe('lazyProviderServer', () => {
  test('loads on the first RPC only, once', async () => {
    const load = jest.fn(() => server({ stopProvider: async () => 'stopped' }));
    const lazy = lazyProviderServer(load);
    expect(load).not.toHaveBeenCalled();
    expect(await lazy.stopProvider()).toBe('');
    expect(load).not.toHaveBeenCalled();
    await expect(lazy.getProviderSchema()).rejects.toThrow('not expected');
    expect(await lazy.stopProvider()).toBe('stopped');
    expect(load).toHaveBeenCalledTimes(1);
  });
});
