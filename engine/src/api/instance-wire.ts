// The engine API's server instances as TypeScript sees them, and their converters to and from the wire.

import type { FieldViolation } from '../domain/port-config';
import type { InstancePowerState, InstanceRecord, InstanceState } from '../store/instance-store';

export type { InstancePowerState, InstanceState };

/** A NIC of the instance's server and the switch port it is cabled to. */
export interface InstancePortInfo {
  switchId: string;
  port: string;
  nic: string;
  mac: string;
}

/**
 * An instance as the API shows it: the stored record (its `hostname` is the
 * server id when none was given), what its server and tenancy add, and what
 * GetInstance with observe reads from the devices.
 */
export interface InstanceInfo extends InstanceRecord {
  /** Of ipAddress, from the tenancy's CIDR (0 without an address). */
  prefixLength: number;
  /** The tenancy's gateway ("" without an address). */
  gateway: string;
  /** Every NIC of the server, in inventory order. */
  macAddresses: string[];
  /** The cabled NICs and their switch ports. */
  switchPorts: InstancePortInfo[];
  /** The server's BMC URL ("" until allocated). */
  bmcEndpoint: string;
  /** GetInstance with observe: `on`, `off` or `unknown` (BMC unreadable, see drift); "" otherwise. */
  observedPowerState: string;
  /** GetInstance with observe: the tenancy whose VLAN every port is in; "" when they are not all in one tenancy's VLAN (or not observed). */
  observedTenancyId: string;
  /** GetInstance with observe: one line per difference between intent and the devices. */
  drift: string[];
}

/** What CreateInstance asks for. */
export interface InstanceCreateRequest {
  tenancyId: string;
  profile: string;
  /** Pin a server; unset = placement chooses. */
  serverId?: string;
  /** A name under `images:` in inventory. */
  image: string;
  /** Unset = the server id. */
  hostname?: string;
  sshAuthorizedKeys?: string[];
  /** Shell script run once after the first boot. */
  userData?: string;
  /** Default `on`. */
  powerState?: InstancePowerState;
  /** Default true. */
  secureEraseOnDelete?: boolean;
}

/** What UpdateInstance changes; unset fields stay as they are. */
export interface InstanceUpdateRequest {
  id: string;
  tenancyId?: string;
  powerState?: InstancePowerState;
  hostname?: string;
  sshAuthorizedKeys?: string[];
  secureEraseOnDelete?: boolean;
}

/** What ValidateInstance checks: a create (no `id`) or the update/replacement of instance `id`. Unset fields are not checked. */
export type InstanceValidateRequest = Partial<InstanceCreateRequest> & { id?: string };

/** Options of the instance calls that run a job. */
export interface InstanceJobOptions {
  /** Aborting it cancels the call and the engine's job (a create or update is undone; a delete stops and resumes when called again). */
  signal?: AbortSignal;
  /** The job's deadline on the engine; unset = the engine's default. */
  timeoutSeconds?: number;
}

/** proto-loader objects (camelCase; "" / 0 / [] for unset values). */
export interface WireInstance {
  id: string; tenancyId: string; profile: string; serverId: string; image: string; hostname: string;
  sshAuthorizedKeys: string[]; userData: string; powerState: string; secureEraseOnDelete: boolean; ipAddress: string;
  macAddresses: string[]; switchPorts: InstancePortInfo[]; bmcEndpoint: string; state: string; stateReason: string;
  createdAt: string; jobId: string; observedPowerState: string; observedTenancyId: string; drift: string[];
  prefixLength: number; gateway: string;
}

export interface WireCreateInstanceRequest {
  tenancyId: string; profile: string; serverId: string; image: string; hostname: string; sshAuthorizedKeys: string[];
  userData: string; powerState: string; secureEraseOnDelete?: boolean; timeoutSeconds: number;
}

export interface WireUpdateInstanceRequest {
  id: string; tenancyId?: string; powerState?: string; hostname?: string; setSshAuthorizedKeys: boolean;
  sshAuthorizedKeys: string[]; secureEraseOnDelete?: boolean; timeoutSeconds: number;
}

export interface WireValidateInstanceRequest {
  id: string; tenancyId: string; profile: string; serverId: string; image: string; hostname: string;
  sshAuthorizedKeys: string[]; userData: string; powerState: string;
}

const orNull = (s: string) => (s === '' ? null : s);

export function instanceToWire(i: InstanceInfo): WireInstance {
  return {
    ...i, serverId: i.serverId ?? '', ipAddress: i.ipAddress ?? '', stateReason: i.stateReason ?? '', jobId: i.jobId ?? '',
    switchPorts: i.switchPorts.map(({ switchId, port, nic, mac }) => ({ switchId, port, nic, mac })),
  };
}

export function instanceFromWire(w: WireInstance): InstanceInfo {
  return {
    id: w.id, tenancyId: w.tenancyId, profile: w.profile, serverId: orNull(w.serverId), image: w.image, hostname: w.hostname,
    sshAuthorizedKeys: [...w.sshAuthorizedKeys], userData: w.userData, powerState: w.powerState as InstancePowerState,
    secureEraseOnDelete: w.secureEraseOnDelete, ipAddress: orNull(w.ipAddress), prefixLength: w.prefixLength, gateway: w.gateway,
    macAddresses: [...w.macAddresses], switchPorts: w.switchPorts.map(({ switchId, port, nic, mac }) => ({ switchId, port, nic, mac })),
    bmcEndpoint: w.bmcEndpoint, state: w.state as InstanceState, stateReason: orNull(w.stateReason), createdAt: w.createdAt,
    jobId: orNull(w.jobId), observedPowerState: w.observedPowerState, observedTenancyId: w.observedTenancyId, drift: [...w.drift],
  };
}

export function createRequestToWire(r: InstanceCreateRequest, timeoutSeconds = 0): WireCreateInstanceRequest {
  return {
    tenancyId: r.tenancyId, profile: r.profile, serverId: r.serverId ?? '', image: r.image, hostname: r.hostname ?? '',
    sshAuthorizedKeys: r.sshAuthorizedKeys ?? [], userData: r.userData ?? '', powerState: r.powerState ?? '',
    secureEraseOnDelete: r.secureEraseOnDelete, timeoutSeconds,
  };
}

/** "" and unset as undefined; the power state is kept as sent (the handler checks it). */
export function createRequestFromWire(w: WireCreateInstanceRequest): InstanceCreateRequest {
  return {
    tenancyId: w.tenancyId, profile: w.profile, serverId: w.serverId || undefined, image: w.image, hostname: w.hostname || undefined,
    sshAuthorizedKeys: w.sshAuthorizedKeys, userData: w.userData || undefined, powerState: (w.powerState || undefined) as InstancePowerState | undefined,
    secureEraseOnDelete: w.secureEraseOnDelete,
  };
}

export function updateRequestToWire(r: InstanceUpdateRequest, timeoutSeconds = 0): WireUpdateInstanceRequest {
  return {
    id: r.id, tenancyId: r.tenancyId, powerState: r.powerState, hostname: r.hostname,
    setSshAuthorizedKeys: r.sshAuthorizedKeys !== undefined, sshAuthorizedKeys: r.sshAuthorizedKeys ?? [],
    secureEraseOnDelete: r.secureEraseOnDelete, timeoutSeconds,
  };
}

export function updateRequestFromWire(w: WireUpdateInstanceRequest): InstanceUpdateRequest {
  return {
    id: w.id, tenancyId: w.tenancyId, powerState: w.powerState as InstancePowerState | undefined, hostname: w.hostname,
    sshAuthorizedKeys: w.setSshAuthorizedKeys ? w.sshAuthorizedKeys : undefined, secureEraseOnDelete: w.secureEraseOnDelete,
  };
}

export function validateRequestToWire(r: InstanceValidateRequest): WireValidateInstanceRequest {
  return {
    id: r.id ?? '', tenancyId: r.tenancyId ?? '', profile: r.profile ?? '', serverId: r.serverId ?? '', image: r.image ?? '',
    hostname: r.hostname ?? '', sshAuthorizedKeys: r.sshAuthorizedKeys ?? [], userData: r.userData ?? '', powerState: r.powerState ?? '',
  };
}

/** Fields sent as "" (terraform does not know them yet at plan) are unset; so is an empty key list. */
export function validateRequestFromWire(w: WireValidateInstanceRequest): InstanceValidateRequest {
  return {
    id: w.id || undefined, tenancyId: w.tenancyId || undefined, profile: w.profile || undefined, serverId: w.serverId || undefined,
    image: w.image || undefined, hostname: w.hostname || undefined, sshAuthorizedKeys: w.sshAuthorizedKeys.length > 0 ? w.sshAuthorizedKeys : undefined,
    userData: w.userData || undefined, powerState: (w.powerState || undefined) as InstancePowerState | undefined,
  };
}

export type { FieldViolation };
