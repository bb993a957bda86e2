// Hand-written tfplugin6 protocol types and the ProviderServer interface.
// The gRPC glue (server.ts) converts generated messages to and from these; the
// framework implements ProviderServer. Nothing here imports gRPC.

/** Raw DynamicValue as it travels: exactly one of msgpack / json is set. */
export interface RawValue {
  msgpack?: Buffer;
  json?: Buffer;
}

export type Severity = 'error' | 'warning';

/** One step of an attribute path: an attribute name, a map key or a list/set index. */
export type PathStep = { attribute: string } | { key: string } | { index: number };

export interface Diagnostic {
  severity: Severity;
  summary: string;
  detail?: string;
  /** Attribute the diagnostic is about; terraform underlines it in the config. */
  attribute?: PathStep[];
}

export type StringKind = 'plain' | 'markdown';

export interface SchemaAttribute {
  name: string;
  /** JSON type as terraform expects (`"string"`, `["list","number"]`). Unset when nestedType is set. */
  type?: unknown;
  nestedType?: SchemaObject;
  description?: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
}

export interface SchemaObject {
  attributes: SchemaAttribute[];
  nesting: 'single' | 'list' | 'set' | 'map';
  minItems?: number;
  maxItems?: number;
}

export interface SchemaNestedBlock {
  typeName: string;
  block: SchemaBlock;
  nesting: 'single' | 'list' | 'set' | 'map' | 'group';
  minItems?: number;
  maxItems?: number;
}

export interface SchemaBlock {
  version?: number;
  attributes: SchemaAttribute[];
  blockTypes: SchemaNestedBlock[];
  description?: string;
  deprecated?: boolean;
}

export interface Schema {
  version: number;
  block: SchemaBlock;
}

export interface ServerCapabilities {
  planDestroy: boolean;
  getProviderSchemaOptional: boolean;
  moveResourceState: boolean;
}

export interface GetProviderSchemaResponse {
  provider: Schema;
  resourceSchemas: Record<string, Schema>;
  dataSourceSchemas: Record<string, Schema>;
  serverCapabilities: ServerCapabilities;
  diagnostics: Diagnostic[];
}

export interface GetMetadataResponse {
  serverCapabilities: ServerCapabilities;
  resources: string[];
  dataSources: string[];
  diagnostics: Diagnostic[];
}

export interface ConfigRequest {
  typeName: string;
  config: RawValue;
}

export interface ConfigureProviderRequest {
  terraformVersion: string;
  config: RawValue;
}

export interface UpgradeResourceStateRequest {
  typeName: string;
  version: number;
  /** Exactly one of json (the usual case) or flatmap (pre-0.12 state). */
  rawState: { json?: Buffer; flatmap?: Record<string, string> };
}

export interface UpgradeResourceStateResponse {
  upgradedState?: RawValue;
  diagnostics: Diagnostic[];
}

export interface ReadResourceRequest {
  typeName: string;
  currentState: RawValue;
  private: Buffer;
  providerMeta?: RawValue;
}

export interface ReadResourceResponse {
  newState?: RawValue;
  private: Buffer;
  diagnostics: Diagnostic[];
}

export interface PlanResourceChangeRequest {
  typeName: string;
  priorState: RawValue;
  proposedNewState: RawValue;
  config: RawValue;
  priorPrivate: Buffer;
  providerMeta?: RawValue;
}

export interface PlanResourceChangeResponse {
  plannedState?: RawValue;
  requiresReplace: PathStep[][];
  plannedPrivate: Buffer;
  diagnostics: Diagnostic[];
}

export interface ApplyResourceChangeRequest {
  typeName: string;
  priorState: RawValue;
  plannedState: RawValue;
  config: RawValue;
  plannedPrivate: Buffer;
  providerMeta?: RawValue;
}

export interface ApplyResourceChangeResponse {
  newState?: RawValue;
  private: Buffer;
  diagnostics: Diagnostic[];
}

export interface ImportResourceStateRequest {
  typeName: string;
  id: string;
}

export interface ImportedResource {
  typeName: string;
  state: RawValue;
  private: Buffer;
}

export interface ImportResourceStateResponse {
  importedResources: ImportedResource[];
  diagnostics: Diagnostic[];
}

export interface ReadDataSourceRequest {
  typeName: string;
  config: RawValue;
  providerMeta?: RawValue;
}

export interface ReadDataSourceResponse {
  state?: RawValue;
  diagnostics: Diagnostic[];
}

export interface DiagnosticsResponse {
  diagnostics: Diagnostic[];
}

/**
 * What the gRPC glue calls. Implementations never throw for user errors: they
 * return diagnostics. A thrown error is a provider bug; the glue turns it into an
 * error diagnostic naming the RPC rather than a gRPC status.
 */
export interface ProviderServer {
  getMetadata(): Promise<GetMetadataResponse>;
  getProviderSchema(): Promise<GetProviderSchemaResponse>;
  validateProviderConfig(req: { config: RawValue }): Promise<DiagnosticsResponse & { preparedConfig?: RawValue }>;
  validateResourceConfig(req: ConfigRequest): Promise<DiagnosticsResponse>;
  validateDataResourceConfig(req: ConfigRequest): Promise<DiagnosticsResponse>;
  configureProvider(req: ConfigureProviderRequest): Promise<DiagnosticsResponse>;
  upgradeResourceState(req: UpgradeResourceStateRequest): Promise<UpgradeResourceStateResponse>;
  readResource(req: ReadResourceRequest): Promise<ReadResourceResponse>;
  planResourceChange(req: PlanResourceChangeRequest): Promise<PlanResourceChangeResponse>;
  applyResourceChange(req: ApplyResourceChangeRequest): Promise<ApplyResourceChangeResponse>;
  importResourceState(req: ImportResourceStateRequest): Promise<ImportResourceStateResponse>;
  readDataSource(req: ReadDataSourceRequest): Promise<ReadDataSourceResponse>;
  /** Cancel in-flight work (terraform's Ctrl-C). Returns an error text or ''. */
  stopProvider(): Promise<string>;
  /** Not an RPC: the plugin session is over; release connections (a process that exits need not call it). */
  close?(): void;
}
