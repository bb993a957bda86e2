// The durable job journal contract: jobs with their caller, phase and cancellation flag, steps with attempts and outputs, and the audit log.

import type { AuditRecord, JobState, StepState } from './store';

/** `forward` runs the steps in order; `compensating` undoes the started ones, newest first. */
export type JobPhase = 'forward' | 'compensating';

/** Which function of a step a journal row records. */
export type StepPhase = 'do' | 'undo';

/** One journal row: the latest attempt of one step's `do` or `undo`. */
export interface JournalStep {
  /** Order in which rows were first started (1-based). */
  seq: number;
  /** Position of the step in its job kind's step list. */
  index: number;
  phase: StepPhase;
  /** The step name; undo rows are named `undo <name>`. */
  name: string;
  device: string | null;
  state: StepState;
  /** 1 for the first attempt; each retry increments it before the device is called again. */
  attempt: number;
  detail: string;
  /** What the step returned for later steps and its undo (JSON); null until it is done. */
  output: unknown;
  startedAt: string;
  finishedAt: string | null;
}

export interface JournalJob {
  id: string;
  kind: string;
  state: JobState;
  phase: JobPhase;
  error: string | null;
  input: unknown;
  /** API token name of the caller that started the job. */
  who: string;
  /** Why cancellation was asked for, or null. */
  cancelRequested: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** ISO time after which the job starts no further forward step. */
  deadline: string;
  /** In `seq` order. */
  steps: JournalStep[];
}

export interface NewJournalJob {
  id: string;
  kind: string;
  input: unknown;
  who: string;
  deadline: string;
}

export interface StepStart {
  index: number;
  phase: StepPhase;
  name: string;
  device: string | null;
  attempt: number;
}

/** ListJobs filters; unset fields match everything. */
export interface JobFilter {
  limit: number;
  kind?: string;
  state?: JobState;
  who?: string;
}

/** ListAudit filters; unset fields match everything. */
export interface AuditFilter {
  limit: number;
  device?: string;
  jobId?: string;
  who?: string;
}

/**
 * The journal the workflow executor writes before and after every device call.
 * Every method is one transaction; a rejected call changed nothing.
 */
export interface JobJournal {
  /** Creates a job in state `running`, phase `forward`, with no steps. Rejects when the id exists. */
  createJob(job: NewJournalJob): Promise<void>;
  /**
   * Marks the (index, phase) row `running` with `attempt`, creating it on its
   * first start; returns its seq. Called before the device call.
   */
  startStep(jobId: string, step: StepStart): Promise<number>;
  /** Updates a running row's detail (e.g. why a retry is coming) without finishing it. */
  noteStep(jobId: string, seq: number, detail: string): Promise<void>;
  /** Sets a row's final state, detail and output. */
  finishStep(jobId: string, seq: number, state: StepState, detail: string, output?: unknown): Promise<void>;
  /** Marks the `do` row of step `index` as `undone`. */
  markUndone(jobId: string, index: number): Promise<void>;
  /** Switches the job to `compensating` and records why; idempotent. */
  beginCompensation(jobId: string, reason: string): Promise<void>;
  /** Records a cancellation request on an unfinished job; returns the job, or undefined when unknown. */
  requestCancel(jobId: string, reason: string): Promise<JournalJob | undefined>;
  /** Sets the final state (and the error when failed). */
  finishJob(jobId: string, state: 'succeeded' | 'failed', error: string | null): Promise<void>;
  getJob(id: string): Promise<JournalJob | undefined>;
  /** Newest first. */
  listJobs(filter: JobFilter): Promise<JournalJob[]>;
  /** Jobs still `pending` or `running`, oldest first: what an engine start must resume or compensate. */
  listUnfinished(): Promise<JournalJob[]>;
  appendAudit(record: AuditRecord): Promise<void>;
  /** Newest first. */
  listAudit(filter: AuditFilter): Promise<AuditRecord[]>;
}
