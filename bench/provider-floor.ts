// The plan benchmark's floor: the maestro provider with the four calls terraform makes per resource in a plan
// (ValidateResourceConfig, UpgradeResourceState, ReadResource, PlanResourceChange) answered without work — no
// decoding, no engine, no device. Everything else is the real provider: the launcher, node, the code cache, the
// handshake, the gRPC/HTTP/2 server, the schema, ConfigureProvider and its engine connection. A plan through it
// costs what any provider written this way pays before doing anything: three process start-ups and ~4,000 calls
// through go-plugin's transport. Installed with installProvider({ providerModule }) for the benchmark only.

import { createProvider as createMaestroProvider } from '../provider-shim/src/provider';
import type { ProviderServer } from '../provider-shim/src/tfplugin6/protocol';

export function createProvider(): ProviderServer {
  const floor: Pick<ProviderServer, 'validateResourceConfig' | 'upgradeResourceState' | 'readResource' | 'planResourceChange'> = {
    validateResourceConfig: async () => ({ diagnostics: [] }),
    // The stored JSON as is: terraform accepts an upgraded state as JSON as well as msgpack.
    upgradeResourceState: async (req) => ({ upgradedState: { json: req.rawState.json }, diagnostics: [] }),
    readResource: async (req) => ({ newState: req.currentState, private: req.private, diagnostics: [] }),
    // terraform's proposal (prior state merged with the configuration) is the plan of a resource that changes nothing.
    planResourceChange: async (req) => ({ plannedState: req.proposedNewState, requiresReplace: [], plannedPrivate: req.priorPrivate, diagnostics: [] }),
  };
  // The real server as prototype: every other call, and the state ConfigureProvider sets, stay its own.
  return Object.assign(Object.create(createMaestroProvider()) as ProviderServer, floor);
}
