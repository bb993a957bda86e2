// Shapes of tfplugin6 messages as @grpc/proto-loader hands them over (keepCase,
// enums as strings, bytes as Buffer, defaults on). Only the converters use these.

/** On input both fields are present (empty when unset); on output set one. */
export interface WireDynamicValue {
  msgpack?: Buffer;
  json?: Buffer;
}

export type WireStep = { attribute_name: string } | { element_key_string: string } | { element_key_int: number };

export interface WireAttributePath {
  steps: WireStep[];
}

export interface WireDiagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute: WireAttributePath | null;
}

export type WireStringKind = 'PLAIN' | 'MARKDOWN';

export interface WireAttribute {
  name: string;
  type: Buffer;
  nested_type: WireObject | null;
  description: string;
  description_kind: WireStringKind;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  deprecated: boolean;
}

export interface WireObject {
  attributes: WireAttribute[];
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP';
  min_items: number;
  max_items: number;
}

export interface WireBlock {
  version: number;
  attributes: WireAttribute[];
  block_types: WireNestedBlock[];
  description: string;
  description_kind: WireStringKind;
  deprecated: boolean;
}

export interface WireNestedBlock {
  type_name: string;
  block: WireBlock;
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP' | 'GROUP';
  min_items: number;
  max_items: number;
}

export interface WireSchema {
  version: number;
  block: WireBlock;
}

export interface WireServerCapabilities {
  plan_destroy: boolean;
  get_provider_schema_optional: boolean;
  move_resource_state: boolean;
}

// Requests, as received (message fields are null when absent).

type Value = WireDynamicValue | null;

export interface WireConfigRequest {
  type_name: string;
  config: Value;
}

export interface WireValidateProviderConfigRequest {
  config: Value;
}

export interface WireConfigureProviderRequest {
  terraform_version: string;
  config: Value;
}

export interface WireUpgradeResourceStateRequest {
  type_name: string;
  version: number;
  raw_state: { json: Buffer; flatmap: Record<string, string> } | null;
}

export interface WireReadResourceRequest {
  type_name: string;
  current_state: Value;
  private: Buffer;
  provider_meta: Value;
}

export interface WirePlanResourceChangeRequest {
  type_name: string;
  prior_state: Value;
  proposed_new_state: Value;
  config: Value;
  prior_private: Buffer;
  provider_meta: Value;
}

export interface WireApplyResourceChangeRequest {
  type_name: string;
  prior_state: Value;
  planned_state: Value;
  config: Value;
  planned_private: Buffer;
  provider_meta: Value;
}

export interface WireImportResourceStateRequest {
  type_name: string;
  id: string;
}

export interface WireReadDataSourceRequest {
  type_name: string;
  config: Value;
  provider_meta: Value;
}
