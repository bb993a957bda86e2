// Converters between the API's TypeScript values and the proto-loader message objects, both directions.

import type { AdminState, PortConfig, PortMode } from '../domain/port-config';
import type { AuditInfo, JobInfo, JobStepInfo, PortRequest, PortState, SwitchInfo } from './types';

/**
 * Request metadata key naming the calling EngineClient (a random id per
 * client object, so per provider process and terraform run). The engine lets
 * one client's port reads share a whole-switch read (port-handlers getPort).
 */
export const CLIENT_ID_KEY = 'maestro-client-id';

/** proto-loader objects (camelCase; unset `optional` fields are undefined). */
export interface WirePortConfig {
  mode: string;
  accessVlan?: number;
  allowedVlans: number[];
  nativeVlan?: number;
  mtu: number;
  description: string;
  adminState: string;
}
export interface WirePort { switchId: string; port: string; config?: WirePortConfig; owner: string }
export interface WirePortRequest { switchId: string; port: string; config?: WirePortConfig; owner: string }
export interface WireSwitch {
  id: string; dialect: string; host: string; sshPort: number; descriptionMax: number; quarantineVlan: number;
  ports: { name: string; owner: string }[];
}
export interface WireJobStep { name: string; state: string; device: string; detail: string; startedAt: string; finishedAt: string; attempt: number; phase: string }
export interface WireJob {
  id: string; kind: string; state: string; error: string; steps: WireJobStep[]; createdAt: string; finishedAt: string;
  who: string; phase: string; cancelRequested: string; deadline: string;
}
export interface WireAuditEntry { at: string; who: string; what: string; device: string; beforeJson: string; afterJson: string; result: string; jobId: string }

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const orUndefined = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const emptyToNull = (s: string) => (s === '' ? null : s);

/** A missing config reads as an empty one, so validation reports each missing field. */
const EMPTY_CONFIG: WirePortConfig = { mode: '', allowedVlans: [], mtu: 0, description: '', adminState: '' };

export function portConfigToWire(c: PortConfig): WirePortConfig {
  return {
    mode: c.mode,
    accessVlan: orUndefined(c.accessVlan),
    allowedVlans: c.allowedVlans ?? [],
    nativeVlan: orUndefined(c.nativeVlan),
    mtu: c.mtu,
    description: c.description,
    adminState: c.adminState,
  };
}

/** An empty `allowed_vlans` means unset; allowed VLANs come back sorted and unique, as the domain expects. */
export function portConfigFromWire(w: WirePortConfig = EMPTY_CONFIG): PortConfig {
  const allowed = [...new Set(w.allowedVlans)].sort((a, b) => a - b);
  return {
    mode: w.mode as PortMode,
    accessVlan: orNull(w.accessVlan),
    allowedVlans: allowed.length > 0 ? allowed : null,
    nativeVlan: orNull(w.nativeVlan),
    mtu: w.mtu,
    description: w.description,
    adminState: w.adminState as AdminState,
  };
}

export const portRequestToWire = (r: PortRequest): WirePortRequest => ({ ...r, config: portConfigToWire(r.config) });
export const portRequestFromWire = (w: WirePortRequest): PortRequest => ({ ...w, config: portConfigFromWire(w.config) });

export const portToWire = (p: PortState): WirePort => ({ ...p, config: portConfigToWire(p.config) });
export const portFromWire = (w: WirePort): PortState => ({ switchId: w.switchId, port: w.port, config: portConfigFromWire(w.config), owner: w.owner });

export const switchFromWire = (w: WireSwitch): SwitchInfo => ({
  id: w.id, dialect: w.dialect, host: w.host, sshPort: w.sshPort, descriptionMax: w.descriptionMax, quarantineVlan: w.quarantineVlan,
  ports: w.ports.map((p) => ({ name: p.name, owner: p.owner })),
});

const stepToWire = (s: JobStepInfo): WireJobStep => ({ ...s, device: s.device ?? '', finishedAt: s.finishedAt ?? '' });
const stepFromWire = (w: WireJobStep): JobStepInfo => ({
  name: w.name, state: w.state as JobStepInfo['state'], device: emptyToNull(w.device), detail: w.detail,
  startedAt: w.startedAt, finishedAt: emptyToNull(w.finishedAt), attempt: w.attempt, phase: w.phase as JobStepInfo['phase'],
});

export const jobToWire = (j: JobInfo): WireJob => ({
  ...j, error: j.error ?? '', finishedAt: j.finishedAt ?? '', cancelRequested: j.cancelRequested ?? '', steps: j.steps.map(stepToWire),
});
export const jobFromWire = (w: WireJob): JobInfo => ({
  id: w.id, kind: w.kind, state: w.state as JobInfo['state'], phase: w.phase as JobInfo['phase'], error: emptyToNull(w.error),
  who: w.who, cancelRequested: emptyToNull(w.cancelRequested), deadline: w.deadline, steps: w.steps.map(stepFromWire),
  createdAt: w.createdAt, finishedAt: emptyToNull(w.finishedAt),
});

export const auditToWire = (a: AuditInfo): WireAuditEntry => ({
  at: a.at, who: a.who, what: a.what, device: a.device, beforeJson: JSON.stringify(a.before ?? null), afterJson: JSON.stringify(a.after ?? null),
  result: a.result, jobId: a.jobId ?? '',
});
export const auditFromWire = (w: WireAuditEntry): AuditInfo => ({
  at: w.at, who: w.who, what: w.what, device: w.device, before: JSON.parse(w.beforeJson || 'null'), after: JSON.parse(w.afterJson || 'null'),
  result: w.result, jobId: emptyToNull(w.jobId),
});
