// The engine API's values as TypeScript sees them (camelCase, null for unset), shared by server and client.

import type { FieldViolation, PortConfig } from '../domain/port-config';
import type { JournalJob, JournalStep } from '../store/job-journal';
import type { AuditRecord, JobState, StepState } from '../store/store';

export type { FieldViolation, PortConfig, JobState, StepState };

export interface SwitchPortInfo {
  name: string;
  /** "" when unowned. */
  owner: string;
}

export interface SwitchInfo {
  id: string;
  dialect: string;
  host: string;
  sshPort: number;
  /** Longest port description the switch's dialect accepts. */
  descriptionMax: number;
  /** VLAN of the quarantine segment, where unowned ports live. */
  quarantineVlan: number;
  ports: SwitchPortInfo[];
}

/** A port as read from the device, with its owner from the engine's store. */
export interface PortState {
  switchId: string;
  port: string;
  config: PortConfig;
  /** "" when unowned. */
  owner: string;
}

/** A request to configure a port (also what ValidatePortConfig checks). */
export interface PortRequest {
  switchId: string;
  port: string;
  config: PortConfig;
  /** Who claims the port, e.g. `terraform:maestro_switch_port`. */
  owner: string;
}

export interface ApplyResult {
  jobId: string;
  /** Read back from the device after the change. */
  port: PortState;
}

/** A journaled step of a job: the latest attempt of its `do` or `undo`. */
export type JobStepInfo = Omit<JournalStep, 'seq' | 'index' | 'output'>;

/** A job as the API shows it: no input. */
export type JobInfo = Omit<JournalJob, 'input' | 'steps'> & { steps: JobStepInfo[] };

/** ListJobs filters; unset fields match everything. */
export interface JobQuery {
  limit?: number;
  kind?: string;
  state?: JobState;
  who?: string;
}

/** One device operation, as ListAudit returns it. */
export type AuditInfo = AuditRecord;

/** ListAudit filters; unset fields match everything. */
export interface AuditQuery {
  limit?: number;
  device?: string;
  jobId?: string;
  who?: string;
}
