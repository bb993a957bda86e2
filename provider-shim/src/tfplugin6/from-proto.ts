// Converters from received tfplugin6 messages to the protocol.ts request types, one per request.

import type * as P from './protocol';
import type * as W from './wire';

/** A DynamicValue as protocol.ts wants it: only the encodings actually present. */
export function rawValue(v: W.WireDynamicValue | null): P.RawValue {
  const out: P.RawValue = {};
  if (v?.msgpack && v.msgpack.length > 0) out.msgpack = v.msgpack;
  if (v?.json && v.json.length > 0) out.json = v.json;
  return out;
}

const optionalRawValue = (v: W.WireDynamicValue | null): P.RawValue | undefined => (v ? rawValue(v) : undefined);

export const validateProviderConfigRequest = (r: W.WireValidateProviderConfigRequest): { config: P.RawValue } => ({ config: rawValue(r.config) });

export const configRequest = (r: W.WireConfigRequest): P.ConfigRequest => ({ typeName: r.type_name, config: rawValue(r.config) });

export const configureProviderRequest = (r: W.WireConfigureProviderRequest): P.ConfigureProviderRequest => ({
  terraformVersion: r.terraform_version,
  config: rawValue(r.config),
});

export function upgradeResourceStateRequest(r: W.WireUpgradeResourceStateRequest): P.UpgradeResourceStateRequest {
  const rawState: P.UpgradeResourceStateRequest['rawState'] = {};
  if (r.raw_state?.json && r.raw_state.json.length > 0) rawState.json = r.raw_state.json;
  if (r.raw_state?.flatmap && Object.keys(r.raw_state.flatmap).length > 0) rawState.flatmap = r.raw_state.flatmap;
  return { typeName: r.type_name, version: r.version, rawState };
}

export const readResourceRequest = (r: W.WireReadResourceRequest): P.ReadResourceRequest => ({
  typeName: r.type_name,
  currentState: rawValue(r.current_state),
  private: r.private,
  providerMeta: optionalRawValue(r.provider_meta),
});

export const planResourceChangeRequest = (r: W.WirePlanResourceChangeRequest): P.PlanResourceChangeRequest => ({
  typeName: r.type_name,
  priorState: rawValue(r.prior_state),
  proposedNewState: rawValue(r.proposed_new_state),
  config: rawValue(r.config),
  priorPrivate: r.prior_private,
  providerMeta: optionalRawValue(r.provider_meta),
});

export const applyResourceChangeRequest = (r: W.WireApplyResourceChangeRequest): P.ApplyResourceChangeRequest => ({
  typeName: r.type_name,
  priorState: rawValue(r.prior_state),
  plannedState: rawValue(r.planned_state),
  config: rawValue(r.config),
  plannedPrivate: r.planned_private,
  providerMeta: optionalRawValue(r.provider_meta),
});

export const importResourceStateRequest = (r: W.WireImportResourceStateRequest): P.ImportResourceStateRequest => ({ typeName: r.type_name, id: r.id });

export const readDataSourceRequest = (r: W.WireReadDataSourceRequest): P.ReadDataSourceRequest => ({
  typeName: r.type_name,
  config: rawValue(r.config),
  providerMeta: optionalRawValue(r.provider_meta),
});
