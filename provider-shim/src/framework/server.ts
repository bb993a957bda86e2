// FrameworkServer: implements the protocol's ProviderServer on top of declared
// resources — decoding values by schema, planning, and checking results.

import { containsUnknown, type CtyType, type CtyValue } from '../cty/types';
import { decodeMsgpack, encodeMsgpack } from '../cty/msgpack';
import { decodeJson } from '../cty/json';
import { conformsTo, valuesEqual } from '../cty/value';
import type * as P from '../tfplugin6/protocol';
import { Diagnostics } from './diagnostics';
import type { DataSource, ObjectValue, PrivateState, ProviderDef, Resource } from './resource';
import { checkSchema, schemaType, toProtoSchema, type SchemaDef } from './schema';
import { timeoutFor } from './timeouts';
import { applyDefaults, applyInconsistencies, markUnknowns, replacePaths, runValidators } from './values';

/** getProviderSchemaOptional: terraform may reuse the schema it got from an earlier process of the same run (each walk starts one). */
const CAPABILITIES: P.ServerCapabilities = { planDestroy: false, getProviderSchemaOptional: true, moveResourceState: false };
const EMPTY = Buffer.alloc(0);

function decode(raw: P.RawValue | undefined, type: CtyType): CtyValue {
  if (raw?.msgpack && raw.msgpack.length > 0) return decodeMsgpack(raw.msgpack, type);
  if (raw?.json && raw.json.length > 0) return decodeJson(raw.json, type);
  return null;
}

function readPrivate(bytes: Buffer | undefined): PrivateState {
  if (!bytes || bytes.length === 0) return {};
  return JSON.parse(bytes.toString('utf8')) as PrivateState;
}

function writePrivate(state: PrivateState): Buffer {
  return Object.keys(state).length === 0 ? EMPTY : Buffer.from(JSON.stringify(state));
}

/** Validators, then the type's own cross-field checks, on a config that may hold unknowns. */
function validateConfig(target: { schema: SchemaDef; validateConfig?(c: ObjectValue, d: Diagnostics): void } | undefined, raw: P.RawValue, diags: Diagnostics): void {
  if (!target) return;
  const config = decode(raw, schemaType(target.schema)) as ObjectValue;
  runValidators(target.schema, config, diags);
  target.validateConfig?.(config, diags);
}

/**
 * `ctx` with a `signal` made on first use: a refresh reads thousands of resources, few handlers look at it, and each
 * costs a timer. The getter lives on a shared prototype: a getter defined on each object (a new closure each time)
 * would leave every context in V8's slow dictionary mode.
 */
const LAZY_SIGNAL = {
  get signal(): AbortSignal {
    const self = this as unknown as { made?: AbortSignal; make: () => AbortSignal };
    return (self.made ??= self.make());
  },
};

function lazySignal<T extends object>(ctx: T, make: () => AbortSignal): T & { signal: AbortSignal } {
  return Object.assign(Object.create(LAZY_SIGNAL) as object, ctx, { make, made: undefined }) as unknown as T & { signal: AbortSignal };
}

/** Every key of the schema present: handlers may omit null attributes. */
function complete(schema: SchemaDef, value: ObjectValue): ObjectValue {
  const out: ObjectValue = {};
  for (const name of [...Object.keys(schema.attributes), ...Object.keys(schema.blocks ?? {})]) out[name] = value[name] ?? null;
  return out;
}

export class FrameworkServer<Client> implements P.ProviderServer {
  private client: Client | null = null;
  private readonly resources = new Map<string, Resource<Client>>();
  private readonly dataSources = new Map<string, DataSource<Client>>();
  /** Aborted by StopProvider: in-flight handlers see it on their signal. */
  private readonly stop = new AbortController();

  constructor(private readonly provider: ProviderDef<Client>) {
    for (const r of provider.resources) this.resources.set(r.typeName, r);
    for (const d of provider.dataSources) this.dataSources.set(d.typeName, d);
  }

  /** Encodes a value, turning a shape mismatch into a diagnostic that names the resource. */
  private encode(typeName: string, schema: SchemaDef, value: ObjectValue | null, diags: Diagnostics): P.RawValue | undefined {
    const type = schemaType(schema);
    const full = value === null ? null : complete(schema, value);
    const problem = full === null ? null : conformsTo(full, type);
    if (problem) {
      diags.error('Provider produced an invalid value', `${typeName}: ${problem}. This is a bug in the Maestro provider.`);
      return undefined;
    }
    return { msgpack: encodeMsgpack(full, type) };
  }

  private resource(typeName: string, diags: Diagnostics): Resource<Client> | undefined {
    const r = this.resources.get(typeName);
    if (!r) diags.error('Unknown resource type', `This provider has no resource type ${typeName}.`);
    return r;
  }

  private dataSource(typeName: string, diags: Diagnostics): DataSource<Client> | undefined {
    const d = this.dataSources.get(typeName);
    if (!d) diags.error('Unknown data source', `This provider has no data source ${typeName}.`);
    return d;
  }

  private configured(diags: Diagnostics): Client | null {
    if (this.client === null) diags.error('Provider not configured', 'The maestro provider was used before ConfigureProvider succeeded.');
    return this.client;
  }

  private signal(timeoutMs?: number): AbortSignal {
    return timeoutMs === undefined ? this.stop.signal : AbortSignal.any([this.stop.signal, AbortSignal.timeout(timeoutMs)]);
  }

  async getMetadata(): Promise<P.GetMetadataResponse> {
    return { serverCapabilities: CAPABILITIES, resources: [...this.resources.keys()], dataSources: [...this.dataSources.keys()], diagnostics: [] };
  }

  async getProviderSchema(): Promise<P.GetProviderSchemaResponse> {
    const diags = new Diagnostics();
    const problems = [
      ...checkSchema('provider', this.provider.schema),
      ...[...this.resources.values(), ...this.dataSources.values()].flatMap((r) => checkSchema(r.typeName, r.schema)),
    ];
    for (const p of problems) diags.error('Invalid provider schema', `${p}. This is a bug in the Maestro provider.`);
    const map = (items: Map<string, { schema: SchemaDef }>) => Object.fromEntries([...items].map(([name, r]) => [name, toProtoSchema(r.schema)]));
    return {
      provider: toProtoSchema(this.provider.schema),
      resourceSchemas: map(this.resources),
      dataSourceSchemas: map(this.dataSources),
      serverCapabilities: CAPABILITIES,
      diagnostics: diags.items,
    };
  }

  async validateProviderConfig(req: { config: P.RawValue }): Promise<P.DiagnosticsResponse & { preparedConfig?: P.RawValue }> {
    const diags = new Diagnostics();
    const config = decode(req.config, schemaType(this.provider.schema)) as ObjectValue;
    if (config) runValidators(this.provider.schema, config, diags);
    return { diagnostics: diags.items, preparedConfig: req.config };
  }

  async validateResourceConfig(req: P.ConfigRequest): Promise<P.DiagnosticsResponse> {
    const diags = new Diagnostics();
    validateConfig(this.resource(req.typeName, diags), req.config, diags);
    return { diagnostics: diags.items };
  }

  async validateDataResourceConfig(req: P.ConfigRequest): Promise<P.DiagnosticsResponse> {
    const diags = new Diagnostics();
    validateConfig(this.dataSource(req.typeName, diags), req.config, diags);
    return { diagnostics: diags.items };
  }

  async configureProvider(req: P.ConfigureProviderRequest): Promise<P.DiagnosticsResponse> {
    const diags = new Diagnostics();
    const config = decode(req.config, schemaType(this.provider.schema)) as ObjectValue;
    this.client = await this.provider.configure(config, diags);
    return { diagnostics: diags.items };
  }

  async upgradeResourceState(req: P.UpgradeResourceStateRequest): Promise<P.UpgradeResourceStateResponse> {
    const diags = new Diagnostics();
    const r = this.resource(req.typeName, diags);
    if (!r) return { diagnostics: diags.items };
    if (!req.rawState.json) {
      diags.error('Unsupported state format', `${req.typeName}: state in the pre-0.12 flatmap format cannot be upgraded; re-import the resource.`);
      return { diagnostics: diags.items };
    }
    let state = decodeJson(req.rawState.json, schemaType(r.schema)) as ObjectValue | null;
    if (state && req.version < r.schema.version) {
      if (!r.upgradeState) diags.error('State too old', `${req.typeName}: state version ${req.version} cannot be upgraded to ${r.schema.version}.`);
      else state = r.upgradeState(req.version, state, diags);
    }
    if (state && req.version > r.schema.version) {
      diags.error('State from a newer provider', `${req.typeName}: state version ${req.version} was written by a newer Maestro provider (this one knows ${r.schema.version}); upgrade the provider.`);
    }
    if (diags.hasErrors()) return { diagnostics: diags.items };
    return { upgradedState: this.encode(req.typeName, r.schema, state, diags), diagnostics: diags.items };
  }

  async readResource(req: P.ReadResourceRequest): Promise<P.ReadResourceResponse> {
    const diags = new Diagnostics();
    const r = this.resource(req.typeName, diags);
    const client = this.configured(diags);
    if (!r || client === null) return { private: req.private, diagnostics: diags.items };
    const type = schemaType(r.schema);
    const state = decode(req.currentState, type) as ObjectValue | null;
    if (state === null) return { newState: req.currentState, private: req.private, diagnostics: diags.items };
    const priv = readPrivate(req.private);
    const next = await r.read(lazySignal({ client, diags, state, private: priv }, () => this.signal(timeoutFor(state, 'read', '5m'))));
    if (diags.hasErrors()) return { newState: req.currentState, private: req.private, diagnostics: diags.items };
    // Nothing drifted (the common case of a refresh): terraform's own bytes say it, with no encoding to pay for.
    const newState = valuesEqual(state, next, type) ? req.currentState : this.encode(req.typeName, r.schema, next, diags);
    return { newState, private: writePrivate(priv), diagnostics: diags.items };
  }

  async planResourceChange(req: P.PlanResourceChangeRequest): Promise<P.PlanResourceChangeResponse> {
    const diags = new Diagnostics();
    const none = { requiresReplace: [], plannedPrivate: req.priorPrivate, diagnostics: diags.items };
    const r = this.resource(req.typeName, diags);
    if (!r) return none;
    const type = schemaType(r.schema);
    const proposed = decode(req.proposedNewState, type) as ObjectValue | null;
    if (proposed === null) return { ...none, plannedState: req.proposedNewState };
    const prior = decode(req.priorState, type) as ObjectValue | null;
    const config = decode(req.config, type) as ObjectValue;
    const planned: ObjectValue = { ...proposed };
    applyDefaults(r.schema, config, planned);
    markUnknowns(r.schema, config, planned, prior, prior !== null && !valuesEqual(prior, planned, type));
    if (r.modifyPlan && this.client !== null) {
      await r.modifyPlan({ client: this.client, diags, signal: this.signal(), prior, config, planned, priorPrivate: readPrivate(req.priorPrivate) });
    }
    const requiresReplace = prior === null ? [] : replacePaths(r.schema, prior, planned);
    // A plan that changes nothing answers with the prior state's own bytes instead of encoding the same value.
    const unchanged = prior !== null && requiresReplace.length === 0 && valuesEqual(prior, planned, type);
    return {
      plannedState: diags.hasErrors() ? undefined : unchanged ? req.priorState : this.encode(req.typeName, r.schema, planned, diags),
      requiresReplace: requiresReplace.map((p) => p.map((a) => (typeof a === 'number' ? { index: a } : { attribute: a }))),
      plannedPrivate: req.priorPrivate,
      diagnostics: diags.items,
    };
  }

  async applyResourceChange(req: P.ApplyResourceChangeRequest): Promise<P.ApplyResourceChangeResponse> {
    const diags = new Diagnostics();
    const r = this.resource(req.typeName, diags);
    const client = this.configured(diags);
    if (!r || client === null) return { newState: req.priorState, private: req.plannedPrivate, diagnostics: diags.items };
    const type = schemaType(r.schema);
    const prior = decode(req.priorState, type) as ObjectValue | null;
    const planned = decode(req.plannedState, type) as ObjectValue | null;
    const config = decode(req.config, type) as ObjectValue | null;
    const priv = readPrivate(req.plannedPrivate);
    const defaults = r.timeouts ?? {};
    if (planned === null) {
      const timeoutMs = timeoutFor(prior, 'delete', defaults.delete ?? '20m');
      await r.delete({ client, diags, signal: this.signal(timeoutMs), timeoutMs, prior: prior as ObjectValue, planned: {}, config: {}, private: priv });
      // A failed delete keeps the object in state so that nothing is orphaned.
      return { newState: diags.hasErrors() ? req.priorState : this.encode(req.typeName, r.schema, null, diags), private: EMPTY, diagnostics: diags.items };
    }
    const op = prior === null ? 'create' : 'update';
    const timeoutMs = timeoutFor(planned, op, defaults[op] ?? '20m');
    const ctx = { client, diags, signal: this.signal(timeoutMs), timeoutMs, planned, config: config ?? {}, private: priv };
    const result = prior === null ? await r.create({ ...ctx, prior: null }) : await r.update({ ...ctx, prior });
    if (result === null) {
      if (!diags.hasErrors()) diags.error('Provider returned no state', `${req.typeName}: ${op} returned nothing without an error. This is a bug in the Maestro provider.`);
      return { newState: prior === null ? undefined : req.priorState, private: req.plannedPrivate, diagnostics: diags.items };
    }
    const full = complete(r.schema, result);
    if (!diags.hasErrors()) {
      for (const problem of applyInconsistencies(type, planned, full)) {
        diags.error('Provider produced an inconsistent result', `${req.typeName}${problem}. This is a bug in the Maestro provider.`);
      }
    }
    if (containsUnknown(full)) return { newState: prior === null ? undefined : req.priorState, private: req.plannedPrivate, diagnostics: diags.items };
    return { newState: this.encode(req.typeName, r.schema, full, diags), private: writePrivate(priv), diagnostics: diags.items };
  }

  async importResourceState(req: P.ImportResourceStateRequest): Promise<P.ImportResourceStateResponse> {
    const diags = new Diagnostics();
    const r = this.resource(req.typeName, diags);
    if (!r) return { importedResources: [], diagnostics: diags.items };
    if (!r.importState) {
      diags.error('Import not supported', `${req.typeName} cannot be imported.`);
      return { importedResources: [], diagnostics: diags.items };
    }
    const state = r.importState(req.id, diags);
    if (state === null || diags.hasErrors()) return { importedResources: [], diagnostics: diags.items };
    const encoded = this.encode(req.typeName, r.schema, state, diags);
    if (!encoded) return { importedResources: [], diagnostics: diags.items };
    return { importedResources: [{ typeName: req.typeName, state: encoded, private: EMPTY }], diagnostics: diags.items };
  }

  async readDataSource(req: P.ReadDataSourceRequest): Promise<P.ReadDataSourceResponse> {
    const diags = new Diagnostics();
    const d = this.dataSource(req.typeName, diags);
    const client = this.configured(diags);
    if (!d || client === null) return { diagnostics: diags.items };
    const config = decode(req.config, schemaType(d.schema)) as ObjectValue;
    const state = await d.read({ client, diags, signal: this.signal(), config });
    if (diags.hasErrors() || state === null) return { diagnostics: diags.items };
    return { state: this.encode(req.typeName, d.schema, state, diags), diagnostics: diags.items };
  }

  async stopProvider(): Promise<string> {
    this.stop.abort(new Error('terraform asked the provider to stop'));
    return '';
  }

  close(): void {
    this.stop.abort(new Error('the plugin session ended'));
    if (this.client !== null) this.provider.close?.(this.client);
    this.client = null;
  }
}
