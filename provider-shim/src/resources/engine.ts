// What resources and data sources need from the engine, and how engine errors become diagnostics.

import type { ApplyResult, FieldViolation, PortRequest, PortState, SwitchInfo } from '../../../engine/src/api/types';
import type { ProfileInfo, ServerInfo, ServerState } from '../../../engine/src/api/inventory-wire';
import type { Diagnostics } from '../framework/diagnostics';

export type { PortRequest, ProfileInfo, ServerInfo, ServerState, SwitchInfo };
export type EnginePort = PortState;

/**
 * The engine API as resources use it (the engine's EngineClient implements it).
 * Methods throw an error with `code` ('not_found', 'invalid_argument',
 * 'failed_precondition', 'unauthenticated', 'unavailable', ...) and
 * `violations` naming the fields at fault.
 */
export interface MaestroClient {
  validatePortConfig(req: PortRequest): Promise<{ violations: FieldViolation[] }>;
  getPort(req: { switchId: string; port: string }): Promise<PortState>;
  applyPortConfig(req: PortRequest): Promise<ApplyResult>;
  releasePort(req: { switchId: string; port: string }): Promise<ApplyResult>;
}

/**
 * The engine's inventory reads, as data sources use them (the engine's
 * EngineClient implements it). They read the engine's store only and never
 * contact a device or a BMC. Errors are thrown as for MaestroClient.
 */
export interface InventoryClient {
  /** Servers in inventory (store only, no BMC contact); unset filter fields match everything. Order unspecified. */
  listServers(filter?: { state?: ServerState; profile?: string }): Promise<ServerInfo[]>;
  /** Every server profile in inventory (store only). */
  listProfiles(): Promise<ProfileInfo[]>;
  /** Every switch in inventory with its ports and owners (store only, no device access). */
  listSwitches(): Promise<SwitchInfo[]>;
  /** One switch from inventory (store only); throws code 'not_found' when there is none with that id. */
  getSwitch(id: string): Promise<SwitchInfo>;
}

/** What the provider's configure returns: resources see MaestroClient, data sources InventoryClient. */
export type ProviderClient = MaestroClient & InventoryClient;

interface EngineErrorShape {
  code?: string;
  message?: string;
  violations?: FieldViolation[];
}

/** Turns an engine error into diagnostics: field violations on their attributes, the rest on the resource. */
export function reportEngineError(err: unknown, operation: string, diags: Diagnostics): void {
  const e = err as EngineErrorShape;
  const violations = e.violations ?? [];
  for (const v of violations) diags.error(`Invalid ${v.field}`, `${v.field}: ${v.reason}.`, [v.field]);
  if (violations.length === 0) diags.error(`Maestro engine: ${operation} failed`, e.message ?? String(err));
}

/** Whether the engine answered that the object asked for does not exist. */
export function isNotFound(err: unknown): boolean {
  return (err as EngineErrorShape).code === 'not_found';
}
