// The tfplugin6.Provider gRPC service: for every RPC, log -> from-proto -> ProviderServer -> to-proto.

import type { ServerCall, ServiceImplementation, UnaryCallback } from '../plugin/grpc-server';
import { logger } from '../plugin/logger';
import * as from from './from-proto';
import type { Diagnostic, ProviderServer } from './protocol';
import * as to from './to-proto';
import type * as W from './wire';

type Handler = (call: ServerCall, callback: UnaryCallback) => void;

/**
 * Wraps one RPC. A thrown error (a provider bug) becomes an error diagnostic that
 * names the RPC and the resource type, built by `failed`, never a gRPC status:
 * terraform shows diagnostics to the user, while a status only says "plugin error".
 */
function rpc<Req>(name: string, run: (req: Req) => Promise<unknown>, failed = (d: W.WireDiagnostic): unknown => ({ diagnostics: [d] })): Handler {
  return (call, callback) => {
    const request = call.request as Req & { type_name?: string };
    const fields = { tf_rpc: name, ...(request.type_name ? { tf_type_name: request.type_name } : {}) };
    const started = performance.now();
    logger.debug('Received request', fields);
    run(request).then(
      (response) => {
        if (logger.enabled('debug')) logger.debug('Served request', { ...fields, tf_req_duration_ms: Math.round(performance.now() - started) });
        callback(null, response);
      },
      (err: unknown) => {
        logger.error('Provider error', { ...fields, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        callback(null, failed(to.diagnostic(crashDiagnostic(name, request.type_name, err))));
      },
    );
  };
}

export function crashDiagnostic(rpcName: string, typeName: string | undefined, err: unknown): Diagnostic {
  const subject = typeName ? ` for ${typeName}` : '';
  return {
    severity: 'error',
    summary: `Provider error in ${rpcName}`,
    detail:
      `The maestro provider failed while handling ${rpcName}${subject}: ${err instanceof Error ? err.message : String(err)}\n\n` +
      'This is a bug in the provider. Run terraform with TF_LOG=debug for its stack trace, and report it.',
  };
}

/** Answer for RPCs of features maestro does not offer (terraform only calls them when a configuration uses one). */
const unsupported = (name: string, summary: string): Handler =>
  rpc<{ type_name?: string; target_type_name?: string }>(name, async (r) => {
    const typeName = r.type_name || r.target_type_name;
    const detail = `The maestro provider does not implement ${name}${typeName ? ` (asked for ${typeName})` : ''}.`;
    return { diagnostics: [to.diagnostic({ severity: 'error', summary, detail })] };
  });

/** The implementation object for the tfplugin6.Provider service, keyed by RPC name. */
export function createProviderService(server: ProviderServer): ServiceImplementation {
  return {
    GetMetadata: rpc('GetMetadata', async () => to.getMetadataResponse(await server.getMetadata())),
    GetProviderSchema: rpc('GetProviderSchema', async () => to.getProviderSchemaResponse(await server.getProviderSchema())),
    ValidateProviderConfig: rpc('ValidateProviderConfig', async (r: W.WireValidateProviderConfigRequest) =>
      to.diagnosticsResponse(await server.validateProviderConfig(from.validateProviderConfigRequest(r))),
    ),
    ValidateResourceConfig: rpc('ValidateResourceConfig', async (r: W.WireConfigRequest) =>
      to.diagnosticsResponse(await server.validateResourceConfig(from.configRequest(r))),
    ),
    ValidateDataResourceConfig: rpc('ValidateDataResourceConfig', async (r: W.WireConfigRequest) =>
      to.diagnosticsResponse(await server.validateDataResourceConfig(from.configRequest(r))),
    ),
    ConfigureProvider: rpc('ConfigureProvider', async (r: W.WireConfigureProviderRequest) =>
      to.diagnosticsResponse(await server.configureProvider(from.configureProviderRequest(r))),
    ),
    UpgradeResourceState: rpc('UpgradeResourceState', async (r: W.WireUpgradeResourceStateRequest) =>
      to.upgradeResourceStateResponse(await server.upgradeResourceState(from.upgradeResourceStateRequest(r))),
    ),
    ReadResource: rpc('ReadResource', async (r: W.WireReadResourceRequest) => to.readResourceResponse(await server.readResource(from.readResourceRequest(r)))),
    PlanResourceChange: rpc('PlanResourceChange', async (r: W.WirePlanResourceChangeRequest) =>
      to.planResourceChangeResponse(await server.planResourceChange(from.planResourceChangeRequest(r))),
    ),
    ApplyResourceChange: rpc('ApplyResourceChange', async (r: W.WireApplyResourceChangeRequest) =>
      to.applyResourceChangeResponse(await server.applyResourceChange(from.applyResourceChangeRequest(r))),
    ),
    ImportResourceState: rpc('ImportResourceState', async (r: W.WireImportResourceStateRequest) =>
      to.importResourceStateResponse(await server.importResourceState(from.importResourceStateRequest(r))),
    ),
    ReadDataSource: rpc('ReadDataSource', async (r: W.WireReadDataSourceRequest) =>
      to.readDataSourceResponse(await server.readDataSource(from.readDataSourceRequest(r))),
    ),
    StopProvider: rpc('StopProvider', async () => ({ Error: await server.stopProvider() }), (d) => ({ Error: d.detail })),
    // Terraform >= 1.12 asks for identity schemas with every schema; none is a valid answer.
    GetResourceIdentitySchemas: rpc('GetResourceIdentitySchemas', async () => ({ identity_schemas: {}, diagnostics: [] })),
    UpgradeResourceIdentity: unsupported('UpgradeResourceIdentity', 'Resource identity is not supported'),
    MoveResourceState: unsupported('MoveResourceState', 'Moving state between resource types is not supported'),
    GetFunctions: rpc('GetFunctions', async () => ({ functions: {}, diagnostics: [] })),
    CallFunction: rpc('CallFunction', async (r: { name: string }) => ({ error: { text: `The maestro provider has no function named "${r.name}".` } }), (d) => ({ error: { text: d.detail } })),
    ValidateEphemeralResourceConfig: unsupported('ValidateEphemeralResourceConfig', 'Ephemeral resources are not supported'),
    OpenEphemeralResource: unsupported('OpenEphemeralResource', 'Ephemeral resources are not supported'),
    RenewEphemeralResource: unsupported('RenewEphemeralResource', 'Ephemeral resources are not supported'),
    CloseEphemeralResource: unsupported('CloseEphemeralResource', 'Ephemeral resources are not supported'),
  };
}
