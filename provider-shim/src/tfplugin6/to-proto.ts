// Converters from the protocol.ts response types to tfplugin6 messages, one per response.

import type * as P from './protocol';
import type * as W from './wire';

const EMPTY = Buffer.alloc(0);

/** A value in the encoding the provider produced (msgpack normally); null when there is none. */
export function dynamicValue(v: P.RawValue | undefined): W.WireDynamicValue | null {
  if (v?.msgpack) return { msgpack: v.msgpack };
  if (v?.json) return { json: v.json };
  return null;
}

const step = (s: P.PathStep): W.WireStep =>
  'attribute' in s ? { attribute_name: s.attribute } : 'key' in s ? { element_key_string: s.key } : { element_key_int: s.index };

export const attributePath = (path: P.PathStep[]): W.WireAttributePath => ({ steps: path.map(step) });

export const diagnostic = (d: P.Diagnostic): W.WireDiagnostic => ({
  severity: d.severity === 'error' ? 'ERROR' : 'WARNING',
  summary: d.summary,
  detail: d.detail ?? '',
  attribute: d.attribute && d.attribute.length > 0 ? attributePath(d.attribute) : null,
});

export const diagnostics = (ds: P.Diagnostic[]): W.WireDiagnostic[] => ds.map(diagnostic);

export const diagnosticsResponse = (r: P.DiagnosticsResponse) => ({ diagnostics: diagnostics(r.diagnostics) });

// Schemas.

function attribute(a: P.SchemaAttribute): W.WireAttribute {
  return {
    name: a.name,
    type: a.type === undefined ? EMPTY : Buffer.from(JSON.stringify(a.type)),
    nested_type: a.nestedType ? object(a.nestedType) : null,
    description: a.description ?? '',
    description_kind: 'PLAIN',
    required: a.required ?? false,
    optional: a.optional ?? false,
    computed: a.computed ?? false,
    sensitive: a.sensitive ?? false,
    deprecated: a.deprecated ?? false,
  };
}

const object = (o: P.SchemaObject): W.WireObject => ({
  attributes: o.attributes.map(attribute),
  nesting: upper(o.nesting),
  min_items: o.minItems ?? 0,
  max_items: o.maxItems ?? 0,
});

const block = (b: P.SchemaBlock): W.WireBlock => ({
  version: b.version ?? 0,
  attributes: b.attributes.map(attribute),
  block_types: b.blockTypes.map(nestedBlock),
  description: b.description ?? '',
  description_kind: 'PLAIN',
  deprecated: b.deprecated ?? false,
});

const nestedBlock = (n: P.SchemaNestedBlock): W.WireNestedBlock => ({
  type_name: n.typeName,
  block: block(n.block),
  nesting: upper(n.nesting),
  min_items: n.minItems ?? 0,
  max_items: n.maxItems ?? 0,
});

export const schema = (s: P.Schema): W.WireSchema => ({ version: s.version, block: block(s.block) });

const schemas = (m: Record<string, P.Schema>): Record<string, W.WireSchema> =>
  Object.fromEntries(Object.entries(m).map(([name, s]) => [name, schema(s)]));

const upper = <T extends string>(s: T): Uppercase<T> => s.toUpperCase() as Uppercase<T>;

const serverCapabilities = (c: P.ServerCapabilities): W.WireServerCapabilities => ({
  plan_destroy: c.planDestroy,
  get_provider_schema_optional: c.getProviderSchemaOptional,
  move_resource_state: c.moveResourceState,
});

// Responses.

export const getMetadataResponse = (r: P.GetMetadataResponse) => ({
  server_capabilities: serverCapabilities(r.serverCapabilities),
  diagnostics: diagnostics(r.diagnostics),
  resources: r.resources.map((type_name) => ({ type_name })),
  data_sources: r.dataSources.map((type_name) => ({ type_name })),
  functions: [],
  ephemeral_resources: [],
});

export const getProviderSchemaResponse = (r: P.GetProviderSchemaResponse) => ({
  provider: schema(r.provider),
  resource_schemas: schemas(r.resourceSchemas),
  data_source_schemas: schemas(r.dataSourceSchemas),
  functions: {},
  ephemeral_resource_schemas: {},
  diagnostics: diagnostics(r.diagnostics),
  server_capabilities: serverCapabilities(r.serverCapabilities),
});

export const upgradeResourceStateResponse = (r: P.UpgradeResourceStateResponse) => ({
  upgraded_state: dynamicValue(r.upgradedState),
  diagnostics: diagnostics(r.diagnostics),
});

export const readResourceResponse = (r: P.ReadResourceResponse) => ({
  new_state: dynamicValue(r.newState),
  private: r.private,
  diagnostics: diagnostics(r.diagnostics),
});

export const planResourceChangeResponse = (r: P.PlanResourceChangeResponse) => ({
  planned_state: dynamicValue(r.plannedState),
  requires_replace: r.requiresReplace.map(attributePath),
  planned_private: r.plannedPrivate,
  diagnostics: diagnostics(r.diagnostics),
});

export const applyResourceChangeResponse = (r: P.ApplyResourceChangeResponse) => ({
  new_state: dynamicValue(r.newState),
  private: r.private,
  diagnostics: diagnostics(r.diagnostics),
});

export const importResourceStateResponse = (r: P.ImportResourceStateResponse) => ({
  imported_resources: r.importedResources.map((i) => ({ type_name: i.typeName, state: dynamicValue(i.state), private: i.private })),
  diagnostics: diagnostics(r.diagnostics),
});

export const readDataSourceResponse = (r: P.ReadDataSourceResponse) => ({
  state: dynamicValue(r.state),
  diagnostics: diagnostics(r.diagnostics),
});
