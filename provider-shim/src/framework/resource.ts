// The resource and data source interfaces resources implement, and their contexts.

import type { CtyValue } from '../cty/types';
import type { Diagnostics } from './diagnostics';
import type { SchemaDef } from './schema';

/** A resource or data source value: every attribute of its schema, by name. */
export type ObjectValue = Record<string, CtyValue>;

/** Opaque per-resource data kept by terraform beside the state (JSON here). */
export type PrivateState = Record<string, unknown>;

/** What every handler gets. `client` is what the provider's configure returned. */
export interface Context<Client> {
  client: Client;
  diags: Diagnostics;
  /** Aborted when terraform asks the provider to stop (Ctrl-C) or the timeout passes. */
  signal: AbortSignal;
}

export interface PlanContext<Client> extends Context<Client> {
  /** null on create. */
  prior: ObjectValue | null;
  config: ObjectValue;
  /** The plan so far (defaults applied, unknowns marked); handlers may edit it. */
  planned: ObjectValue;
  /**
   * The prior object's private state. When terraform plans the create half of
   * a replacement (prior null), this is still the replaced object's: the only
   * way a plan can tell a replacement from a new object.
   */
  priorPrivate?: Readonly<PrivateState>;
}

export interface ApplyContext<Client> extends Context<Client> {
  prior: ObjectValue | null;
  planned: ObjectValue;
  config: ObjectValue;
  private: PrivateState;
  /** Milliseconds this operation may take (from the timeouts block or the default). */
  timeoutMs: number;
}

/**
 * A managed resource. The core is schema + create/read/update/delete; the
 * optional members are capabilities (validate, modify plan, import, upgrade).
 * Handlers report user errors through ctx.diags and may throw only for bugs.
 */
export interface Resource<Client> {
  typeName: string;
  schema: SchemaDef;
  /** Default time limits per operation, Go duration strings. */
  timeouts?: { create?: string; update?: string; delete?: string };

  /** Cross-attribute checks on the config alone (no provider client); values may be unknown. */
  validateConfig?(config: ObjectValue, diags: Diagnostics): void;
  /** Checks and adjustments that need the engine (unknown switch, ownership). Not called on destroy. */
  modifyPlan?(ctx: PlanContext<Client>): Promise<void>;
  /** Returns the new state: every planned known value unchanged, every unknown filled in. */
  create(ctx: ApplyContext<Client>): Promise<ObjectValue | null>;
  /** Returns the current state, or null when the object is gone. */
  read(ctx: Context<Client> & { state: ObjectValue; private: PrivateState }): Promise<ObjectValue | null>;
  update(ctx: ApplyContext<Client> & { prior: ObjectValue }): Promise<ObjectValue | null>;
  delete(ctx: ApplyContext<Client> & { prior: ObjectValue }): Promise<void>;
  /** Turns an import id into a minimal state that read() completes; null after a diagnostic. */
  importState?(id: string, diags: Diagnostics): ObjectValue | null;
  /** Migrates a state written with an older schema version (already decoded leniently). */
  upgradeState?(fromVersion: number, state: ObjectValue, diags: Diagnostics): ObjectValue | null;
}

export interface DataSource<Client> {
  typeName: string;
  schema: SchemaDef;
  validateConfig?(config: ObjectValue, diags: Diagnostics): void;
  read(ctx: Context<Client> & { config: ObjectValue }): Promise<ObjectValue | null>;
}

/** The provider: its own config schema, how to configure a client, and its resources. */
export interface ProviderDef<Client> {
  schema: SchemaDef;
  configure(config: ObjectValue, diags: Diagnostics): Promise<Client | null>;
  /** Releases what configure made (connections), when the provider is done. */
  close?(client: Client): void;
  resources: Resource<Client>[];
  dataSources: DataSource<Client>[];
}
