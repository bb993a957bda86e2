// What resources and data sources need from the engine, and how engine errors become diagnostics.

import type { ApplyResult, FieldViolation, PortRequest, PortState, SwitchInfo } from '../../../engine/src/api/types';
import type { ProfileInfo, ServerInfo, ServerState } from '../../../engine/src/api/inventory-wire';
import type { TenancyCreateRequest, TenancyInfo, TenancyValidateRequest } from '../../../engine/src/api/tenancy-wire';
import type {
  InstanceCreateRequest, InstanceInfo, InstanceJobOptions, InstanceUpdateRequest, InstanceValidateRequest,
} from '../../../engine/src/api/instance-wire';
import type { Diagnostics } from '../framework/diagnostics';

export type { InstanceCreateRequest, InstanceInfo, InstanceJobOptions, InstanceUpdateRequest, InstanceValidateRequest, PortRequest, ProfileInfo, ServerInfo, ServerState, SwitchInfo, TenancyInfo };
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
  /**
   * Optional (EngineClient has it): `ports` of one switch in one call; with
   * `wholeSwitch`, also every other port of the switch the engine read along
   * with them (dialects with a whole-switch show). Throws as getPort.
   */
  getPorts?(req: { switchId: string; ports: string[]; wholeSwitch?: boolean }): Promise<PortState[]>;
  /** Aborting `signal` (Ctrl-C, a `timeouts` expiry) cancels the engine's job: it puts the port back as it was. */
  applyPortConfig(req: PortRequest, opts?: { signal?: AbortSignal }): Promise<ApplyResult>;
  /** Aborting `signal` cancels the release the same way. */
  releasePort(req: { switchId: string; port: string }, opts?: { signal?: AbortSignal }): Promise<ApplyResult>;
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

/**
 * Tenancies as maestro_tenancy and its data source use them (the engine's
 * EngineClient implements it). Errors are thrown as for MaestroClient; field
 * violations name terraform attributes (name, description, vlan_id, vni, cidr, mtu).
 */
export interface TenancyClient {
  /** Allocates the network and puts the VLAN on every leaf; aborting `signal` cancels the job, which undoes everything. */
  createTenancy(req: TenancyCreateRequest, opts?: { signal?: AbortSignal }): Promise<{ jobId: string; tenancy: TenancyInfo }>;
  /** Throws code 'not_found' when no tenancy has this id. */
  getTenancy(id: string): Promise<TenancyInfo>;
  /** Throws code 'not_found' when no tenancy has this name. */
  findTenancy(name: string): Promise<TenancyInfo>;
  /** Description (store only) and/or MTU (refused while anything is attached). */
  updateTenancy(req: { id: string; description?: string; mtu?: number }): Promise<TenancyInfo>;
  /** Removes the VLAN from every leaf and releases the network; refused (naming them) while anything is attached. */
  deleteTenancy(id: string, opts?: { signal?: AbortSignal }): Promise<{ jobId: string }>;
  /** Plan-time check, no device access: what a create (or the replacement of `req.id`) would refuse. */
  validateTenancy(req: TenancyValidateRequest): Promise<{ violations: FieldViolation[] }>;
}

/**
 * Server instances as maestro_server_instance uses them (the engine's
 * EngineClient implements it). Errors are thrown as for MaestroClient; field
 * violations name terraform attributes (tenancy_id, profile, server_id, image,
 * hostname, ssh_authorized_keys, user_data, power_state). A cancelled call
 * rejects with code 'aborted'.
 */
export interface InstanceClient {
  /**
   * Runs an `instance.create` job to its end: allocate a server and an address,
   * install the image, put the ports in the tenancy, configure the OS. Any
   * failure or cancellation undoes everything, so no instance remains.
   */
  createInstance(req: InstanceCreateRequest, opts?: InstanceJobOptions): Promise<{ jobId: string; instance: InstanceInfo }>;
  /** Throws code 'not_found' when no instance has this id. `observe` also reads the BMC and the switch ports (observed_*, drift). */
  getInstance(id: string, opts?: { observe?: boolean }): Promise<InstanceInfo>;
  listInstances(filter?: { tenancyId?: string }): Promise<InstanceInfo[]>;
  /** Converges the given fields (and repairs their drift); unset fields stay as they are. An aborted update is undone. */
  updateInstance(req: InstanceUpdateRequest, opts?: InstanceJobOptions): Promise<{ jobId: string; instance: InstanceInfo }>;
  /** Power off, secure erase (unless disabled), ports to quarantine, address and server released. Resumable. */
  deleteInstance(id: string, opts?: InstanceJobOptions): Promise<{ jobId: string }>;
  /** Plan-time check, no device access: what a create (or the update/replacement of `req.id`) would refuse. Unset fields are not checked. */
  validateInstance(req: InstanceValidateRequest): Promise<{ violations: FieldViolation[] }>;
}

/** What the provider's configure returns: resources see MaestroClient/TenancyClient/InstanceClient, data sources InventoryClient/TenancyClient. */
export type ProviderClient = MaestroClient & InventoryClient & TenancyClient & InstanceClient & { /** Drops the engine connection (the provider host's session ended). */ close?(): void };

interface EngineErrorShape {
  code?: string;
  message?: string;
  violations?: FieldViolation[];
}

/** Field violations (plan-time checks, refused requests) as errors on their attributes. */
export function reportViolations(violations: FieldViolation[], diags: Diagnostics): void {
  for (const v of violations) diags.error(`Invalid ${v.field}`, `${v.field}: ${v.reason}.`, [v.field]);
}

/** Turns an engine error into diagnostics: field violations on their attributes, the rest on the resource. */
export function reportEngineError(err: unknown, operation: string, diags: Diagnostics): void {
  const e = err as EngineErrorShape;
  const violations = e.violations ?? [];
  reportViolations(violations, diags);
  if (violations.length === 0) diags.error(`Maestro engine: ${operation} failed`, e.message ?? String(err));
}

/** Whether the engine answered that the object asked for does not exist. */
export function isNotFound(err: unknown): boolean {
  return (err as EngineErrorShape).code === 'not_found';
}
