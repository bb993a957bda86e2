// Test double for the plugin tests: a ProviderServer with one tiny resource and data source
// ("maestro_echo"), encoding values with @msgpack/msgpack directly (no framework, no engine).

import { decode, encode, ExtData } from '@msgpack/msgpack';
import type { Diagnostic, ProviderServer, RawValue, Schema } from '../../provider-shim/src/tfplugin6/protocol';

type Echo = { id: string | ExtData | null; message: string | ExtData | null } | null;

const UNKNOWN = new ExtData(0, Uint8Array.of(0));
const capabilities = { planDestroy: false, getProviderSchemaOptional: false, moveResourceState: false };

const echoSchema: Schema = {
  version: 0,
  block: {
    attributes: [
      { name: 'id', type: 'string', computed: true, description: 'Derived from message.' },
      { name: 'message', type: 'string', required: true },
    ],
    blockTypes: [],
  },
};

const providerSchema: Schema = { version: 0, block: { attributes: [{ name: 'endpoint', type: 'string', optional: true }], blockTypes: [] } };

const read = (v: RawValue): Echo => (v.msgpack ? (decode(v.msgpack) as Echo) : v.json ? (JSON.parse(v.json.toString()) as Echo) : null);
const write = (e: Echo): RawValue => ({ msgpack: Buffer.from(encode(e)) });
const none = { diagnostics: [] as Diagnostic[] };

/** "bad" as a message is rejected, so tests can see an attribute path travel back to terraform; "boom" throws. */
function validate(config: Echo): Diagnostic[] {
  if (config?.message === 'boom') throw new Error('the double was asked to fail');
  if (config?.message !== 'bad') return [];
  return [{ severity: 'error', summary: 'Message rejected', detail: 'The double rejects "bad".', attribute: [{ attribute: 'message' }] }];
}

export function createProvider(): ProviderServer {
  return {
    getMetadata: async () => ({ serverCapabilities: capabilities, resources: ['maestro_echo'], dataSources: ['maestro_echo'], diagnostics: [] }),
    getProviderSchema: async () => ({
      provider: providerSchema,
      resourceSchemas: { maestro_echo: echoSchema },
      dataSourceSchemas: { maestro_echo: echoSchema },
      serverCapabilities: capabilities,
      diagnostics: [],
    }),
    validateProviderConfig: async () => none,
    validateResourceConfig: async (req) => ({ diagnostics: validate(read(req.config)) }),
    validateDataResourceConfig: async (req) => ({ diagnostics: validate(read(req.config)) }),
    configureProvider: async () => none,
    upgradeResourceState: async (req) => ({ upgradedState: write(JSON.parse(String(req.rawState.json)) as Echo), diagnostics: [] }),
    readResource: async (req) => ({ newState: write(read(req.currentState)), private: req.private, diagnostics: [] }),
    planResourceChange: async (req) => {
      const proposed = read(req.proposedNewState);
      const prior = read(req.priorState);
      const planned = proposed && { ...proposed, id: prior && prior.message === proposed.message ? prior.id : UNKNOWN };
      return { plannedState: write(planned), requiresReplace: [], plannedPrivate: req.priorPrivate, diagnostics: [] };
    },
    applyResourceChange: async (req) => {
      const planned = read(req.plannedState);
      const state = planned && { ...planned, id: `echo-${planned.message}` };
      return { newState: write(state), private: req.plannedPrivate, diagnostics: [] };
    },
    importResourceState: async (req) => ({
      importedResources: [{ typeName: req.typeName, state: write({ id: req.id, message: req.id.replace(/^echo-/, '') }), private: Buffer.alloc(0) }],
      diagnostics: [],
    }),
    readDataSource: async (req) => {
      const config = read(req.config);
      return { state: write(config && { ...config, id: `data-${config.message}` }), diagnostics: [] };
    },
    stopProvider: async () => '',
  };
}
