// The Store contract: everything the engine persists, behind an interface so a
// PostgreSQL implementation can sit next to the SQLite one.

import type { PortConfig } from '../domain/port-config';
import type { AllocationStore, PortRef, TopologyRecords } from './allocation-store';
import type { InstanceStore } from './instance-store';
import type { JobJournal } from './job-journal';
import type { TenancyStore } from './tenancy-store';

/** A switch as inventory describes it. */
export interface SwitchRecord {
  id: string;
  dialect: string;
  host: string;
  sshPort: number;
  /** Name of the credentials entry used to log in. */
  credentialsRef: string;
  /** Pinned SSH host key (`SHA256:...`), or null when not pinned. */
  hostKey: string | null;
}

/** One switch port: who owns it and what they asked for. */
export interface SwitchPortRecord {
  switchId: string;
  name: string;
  /** null when unowned (the port sits in quarantine). */
  owner: string | null;
  /** The last config an owner applied successfully; null when unowned. */
  desired: PortConfig | null;
}

/** An encrypted credentials entry; only the engine's master key opens `blob`. */
export interface CredentialRecord {
  ref: string;
  blob: Buffer;
}

/** Well-known network segments (name -> VLAN), e.g. quarantine and provisioning. */
export interface SegmentRecord {
  name: string;
  vlan: number;
}

/** An installable OS image (inventory `images:`). */
export interface ImageRecord {
  name: string;
  /** http(s) URL the BMC mounts as virtual media. */
  url: string;
  /** How long the installer may run before the install step fails (seconds). */
  installTimeoutS: number;
}

/** Everything one inventory file holds, already validated and expanded. */
export interface InventoryRecords {
  credentials: CredentialRecord[];
  segments: SegmentRecord[];
  switches: (SwitchRecord & { ports: string[] })[];
  /** Racks, profiles, servers, fabric links and segment pools (allocation-store.ts); absent in switch-only files. */
  topology?: TopologyRecords;
  /** Upserted by name; images missing from the file are kept. */
  images?: ImageRecord[];
}

export interface ImportSummary {
  credentials: number;
  segments: number;
  switches: number;
  ports: number;
  /** Servers written (0 for switch-only files). */
  servers?: number;
  /** Images written; absent when the file has none. */
  images?: number;
}

export type JobState = 'pending' | 'running' | 'succeeded' | 'failed';
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'undone';

/** One change a user made through the engine, with the state before and after. */
export interface AuditRecord {
  at: string;
  /** API token name of the caller. */
  who: string;
  /** What was done, e.g. `port.configure leaf1/Ethernet4`. */
  what: string;
  device: string;
  before: unknown;
  after: unknown;
  /** `succeeded`, or `failed: <reason>`. */
  result: string;
  jobId: string | null;
}

/** The port ownership change that goes with a successful port job. */
export interface PortOwnership {
  switchId: string;
  port: string;
  owner: string | null;
  desired: PortConfig | null;
}

export interface ApiTokenRecord {
  name: string;
  /** Hex sha256 of the token; the token itself is never stored. */
  sha256: string;
  scope: string;
}

/**
 * Persistent engine state. Every method that writes several rows does so in one
 * transaction: it either fully happens or not at all. Methods reject with the
 * underlying database error (constraint violations included) and leave the
 * store unchanged in that case.
 */
export interface Store {
  /** Servers, pools and allocations (allocation-store.ts). */
  readonly allocation: AllocationStore;

  /** The durable job journal and audit log the workflow executor writes (job-journal.ts). */
  readonly journal: JobJournal;

  /** Tenancies: names, descriptions and lifecycle over IPAM's networks (tenancy-store.ts). */
  readonly tenancies: TenancyStore;

  /** Server instances (instance-store.ts). */
  readonly instances: InstanceStore;

  /** Upserts credentials, segments, switches and ports in one transaction; existing port owners are kept. */
  importInventory(inv: InventoryRecords): Promise<ImportSummary>;

  listSwitches(): Promise<SwitchRecord[]>;
  /** undefined when no switch has this id. */
  getSwitch(id: string): Promise<SwitchRecord | undefined>;
  /** The switch's ports in inventory order. */
  listPorts(switchId: string): Promise<SwitchPortRecord[]>;
  /** undefined when the switch has no such port. */
  getPort(switchId: string, port: string): Promise<SwitchPortRecord | undefined>;
  /** The ports among `ports` that have an owner, ordered by switch id then inventory order; ports not in inventory are skipped. */
  listOwnedPorts(ports: readonly PortRef[]): Promise<SwitchPortRecord[]>;
  getCredential(ref: string): Promise<CredentialRecord | undefined>;
  getSegment(name: string): Promise<SegmentRecord | undefined>;
  /** Ordered by name. */
  listImages(): Promise<ImageRecord[]>;
  /** undefined when inventory has no image called `name`. */
  getImage(name: string): Promise<ImageRecord | undefined>;

  /**
   * Updates a port's owner and desired config (when `ownership` is given) and
   * appends the audit record, atomically. Rejects (writing nothing) when the
   * port is not in inventory. The audit log is read through `journal.listAudit`.
   */
  recordChange(audit: AuditRecord, ownership?: PortOwnership): Promise<void>;

  /** Creates or replaces the token called `name`. */
  putApiToken(token: ApiTokenRecord): Promise<void>;
  /** The token whose sha256 is `sha256`, or undefined. */
  findApiToken(sha256: string): Promise<ApiTokenRecord | undefined>;

  close(): Promise<void>;
}
