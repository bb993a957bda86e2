// The engine API's values as TypeScript sees them (camelCase, null for unset), shared by server and client.

import type { FieldViolation, PortConfig } from '../domain/port-config';
import type { JobRecord, JobState, JobStepRecord, StepState } from '../store/store';

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

/** A journaled step of a job. */
export type JobStepInfo = Omit<JobStepRecord, 'seq'>;

/** A job as the API shows it: no input or deadline. */
export type JobInfo = Omit<JobRecord, 'input' | 'deadline' | 'steps'> & { steps: JobStepInfo[] };
