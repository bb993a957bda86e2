// What a registered job kind is: how its steps are built from the job's stored input, and what a step promises.
//
// Steps are rebuilt from the journaled input on every engine start, so a kind
// must be a pure function of that input: everything a later step or an undo
// needs from an earlier step travels through the journal as step outputs.

import type { RetryPolicy } from './retry';

/** What a step function sees. `S` is the set of services (drivers, allocators) the engine injects. */
export interface StepContext<I, S> {
  jobId: string;
  /** API token name of the caller that started the job (audit `who`). */
  who: string;
  input: I;
  services: S;
  /**
   * Outputs of the job's finished steps by step name (JSON, from the
   * journal); undo steps' outputs appear under `undo <name>`.
   */
  outputs: Readonly<Record<string, unknown>>;
  /** This row's attempt number (1-based, continues across restarts). */
  attempt: number;
  /** Aborts when the job is cancelled; for waits only, a device call in flight is left to finish. */
  signal: AbortSignal;
}

/** What `do`/`undo` may return: a detail for the journal and an output for later steps (JSON). */
export type StepResult = { detail?: string; output?: unknown } | string | void;

/** One unit of work with its compensation. */
export interface StepDef<I, S> {
  name: string;
  /**
   * The device the step talks to, journaled and named in errors (`leaf1`,
   * `bmc:srv-1`); null for steps that only touch the store. May depend on
   * earlier outputs (a BMC is known once a server is allocated).
   */
  device(ctx: StepContext<I, S>): string | null;
  /** Lock keys held while the step runs (default: none). Two steps sharing a key never overlap. */
  locks?(ctx: StepContext<I, S>): string[];
  /** The parallelism pool the step counts against (`bmc`, `switch`...); unbounded when omitted. */
  pool?: string;
  /** Overrides the executor's retry policy for this step. */
  retry?: Partial<RetryPolicy>;
  /**
   * Does the work. Must be idempotent: after a crash it runs again from the
   * start even when it already (partly) happened. Throws to fail; errors with
   * `retryable: true` are retried with backoff.
   */
  do(ctx: StepContext<I, S>): Promise<StepResult>;
  /**
   * Compensates the step. Runs for every step whose `do` started (done,
   * failed or interrupted), newest first, so it must be idempotent and must
   * cope with `outputs[name]` being absent (the `do` never finished).
   * Omitted when `do` leaves nothing to undo.
   */
  undo?(ctx: StepContext<I, S>): Promise<StepResult>;
}

/** What an engine start does with an unfinished job of this kind (unless cancelled or past its deadline: those compensate). */
export type RecoveryPolicy = 'resume' | 'compensate';

export interface JobKind<I, S> {
  kind: string;
  recovery: RecoveryPolicy;
  /** Checks and types the stored input; throws (the job then fails without running) when it is unusable. */
  parse(input: unknown): I;
  steps(input: I): StepDef<I, S>[];
  /**
   * Called when an undo fails for good: the device is in an unknown state.
   * Kinds put what they touched out of service here (a server into
   * `maintenance`); must not throw for an already-handled case.
   */
  onUndoFailure?(ctx: StepContext<I, S>, step: string, error: unknown): Promise<void>;
}

/** The explicit list of job kinds an executor can run and recover. */
export class JobKindRegistry<S> {
  private readonly kinds = new Map<string, JobKind<any, S>>();

  constructor(kinds: JobKind<any, S>[]) {
    for (const k of kinds) {
      if (this.kinds.has(k.kind)) throw new Error(`job kind "${k.kind}" registered twice`);
      this.kinds.set(k.kind, k);
    }
  }

  get(kind: string): JobKind<unknown, S> | undefined {
    return this.kinds.get(kind);
  }

  names(): string[] {
    return [...this.kinds.keys()];
  }
}
