// The store contract for server instances: one allocated server installed with an image, in a tenancy.

import { randomBytes } from 'node:crypto';

/**
 * creating: its create job runs; active: installed, in its tenancy, in its intended power state;
 * updating: its update job runs; deleting: its delete job runs; failed: a job failed (stateReason says which and why).
 */
export type InstanceState = 'creating' | 'active' | 'updating' | 'deleting' | 'failed';

export type InstancePowerState = 'on' | 'off';

export interface InstanceRecord {
  /** `in-` + 12 hex digits (newInstanceId), never reused. The server and IP owner is `instance:<id>` (instanceOwner). */
  id: string;
  tenancyId: string;
  profile: string;
  /** The allocated server; null until the create job placed it (or when the caller pinned none yet). */
  serverId: string | null;
  /** An image name from inventory `images:`. */
  image: string;
  hostname: string;
  sshAuthorizedKeys: string[];
  /** Run once at first boot; never logged. */
  userData: string;
  /** The intended power state. */
  powerState: InstancePowerState;
  secureEraseOnDelete: boolean;
  /** The tenancy host address; null until allocated. */
  ipAddress: string | null;
  state: InstanceState;
  /** Why the instance is `failed` (the job's error); null otherwise. */
  stateReason: string | null;
  /** ISO time. */
  createdAt: string;
  /** The last job that worked on this instance, or null. */
  jobId: string | null;
}

/** The fields a job or an update may change. */
export type InstanceChange = Partial<Pick<InstanceRecord,
  'tenancyId' | 'serverId' | 'hostname' | 'sshAuthorizedKeys' | 'powerState' | 'secureEraseOnDelete' | 'ipAddress' | 'state' | 'stateReason' | 'jobId'>>;

export const newInstanceId = (): string => `in-${randomBytes(6).toString('hex')}`;

/** The owner string servers, IPs and switch ports carry for an instance. */
export const instanceOwner = (id: string): string => `instance:${id}`;

/** Instance rows. Every method is one statement or one transaction; none touches a device. */
export interface InstanceStore {
  /** Ordered by creation time, then id; only the tenancy's when `tenancyId` is given. */
  listInstances(filter?: { tenancyId?: string }): Promise<InstanceRecord[]>;
  /** undefined when no instance has this id. */
  getInstance(id: string): Promise<InstanceRecord | undefined>;
  /** Adds the instance. Idempotent for an identical id (a resumed job: the existing row is kept). */
  insertInstance(r: InstanceRecord): Promise<void>;
  /** Changes the given fields; rejects when no instance has this id. */
  updateInstance(id: string, change: InstanceChange): Promise<void>;
  /** Removes the row; removing an absent instance is success. */
  deleteInstance(id: string): Promise<void>;
}
