// Runs a job: its steps in order, each journaled before it runs, undoing completed steps when one fails.
//
// Walking-skeleton scope: jobs run in-process to completion. The journal already
// holds what a durable saga executor needs to resume or compensate after a
// restart (job input, every step's state); resuming is a later issue.

import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store';

/** One unit of work. `do` must be idempotent: retrying a step that half-ran is safe. */
export interface Step<C> {
  name: string;
  /** The device the step talks to (journaled, named in errors); null for steps without I/O. */
  device: string | null;
  /** Does the work; a returned string becomes the step's journal detail. Throws to fail the job. */
  do(ctx: C): Promise<string | void>;
  /** Compensates a completed `do` when a later step fails; omitted when `do` leaves nothing to undo. */
  undo?(ctx: C): Promise<string | void>;
}

export interface JobSpec<C> {
  kind: string;
  /** What the job was asked to do, journaled with it. */
  input: unknown;
  /** The job fails when a step is still running, or would start, after this many milliseconds. */
  timeoutMs: number;
  steps: Step<C>[];
}

/** The part of the store the executor writes. */
export type JobJournal = Pick<Store, 'createJob' | 'startStep' | 'finishStep' | 'finishJob'>;

/** A job that failed: which step, on which device, why (`cause`), and what was undone. */
export class JobFailedError extends Error {
  constructor(
    readonly jobId: string,
    readonly step: string,
    readonly device: string | null,
    override readonly cause: unknown,
    readonly undone: string[],
  ) {
    super(failureMessage(step, device, cause, undone));
    this.name = 'JobFailedError';
  }
}

function failureMessage(step: string, device: string | null, cause: unknown, undone: string[]): string {
  const where = device ? ` on ${device}` : '';
  const tail = undone.length > 0 ? ` (undone: ${undone.join(', ')})` : '';
  return `step "${step}"${where} failed: ${errorText(cause)}${tail}`;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A step was still running when the job's time ran out. */
export class JobDeadlineError extends Error {
  constructor(step: string, timeoutMs: number) {
    super(`step "${step}" did not finish within the job's ${timeoutMs / 1000}s deadline`);
    this.name = 'JobDeadlineError';
  }
}

/** Rejects with JobDeadlineError when `work` outlives `ms`. The work itself is not cancelled. */
function withDeadline<T>(work: Promise<T>, ms: number, onExpiry: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpiry()), Math.max(0, ms));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Runs `spec` against `ctx`. Resolves with the job id when every step is done;
 * rejects with JobFailedError after journaling the failed step, undoing the
 * completed steps that have an undo (newest first) and marking the job failed.
 */
export async function runJob<C>(journal: JobJournal, spec: JobSpec<C>, ctx: C, id: string = randomUUID()): Promise<string> {
  const deadline = Date.now() + spec.timeoutMs;
  await journal.createJob({ id, kind: spec.kind, input: spec.input, deadline: new Date(deadline).toISOString() });
  const done: { step: Step<C>; seq: number }[] = [];
  for (const step of spec.steps) {
    const seq = await journal.startStep(id, step.name, step.device);
    try {
      const expiry = () => new JobDeadlineError(step.name, spec.timeoutMs);
      const detail = await withDeadline(step.do(ctx), deadline - Date.now(), expiry);
      await journal.finishStep(id, seq, 'done', detail ?? '');
      done.push({ step, seq });
    } catch (err) {
      await journal.finishStep(id, seq, 'failed', errorText(err));
      const undone = await compensate(journal, id, done.reverse(), ctx);
      const failure = new JobFailedError(id, step.name, step.device, err, undone);
      await journal.finishJob(id, 'failed', failure.message);
      throw failure;
    }
  }
  await journal.finishJob(id, 'succeeded', null);
  return id;
}

/**
 * Undoes completed steps; each undo is journaled as its own step (`undo <name>`)
 * before it runs, and the original step is marked `undone` when it succeeds.
 * A failing undo is journaled and the rest still run. Returns the names undone.
 */
async function compensate<C>(journal: JobJournal, id: string, done: { step: Step<C>; seq: number }[], ctx: C): Promise<string[]> {
  const undone: string[] = [];
  for (const { step, seq } of done) {
    if (!step.undo) continue;
    const undoSeq = await journal.startStep(id, `undo ${step.name}`, step.device);
    try {
      await journal.finishStep(id, undoSeq, 'done', (await step.undo(ctx)) ?? '');
      await journal.finishStep(id, seq, 'undone', 'undone after a later step failed');
      undone.push(step.name);
    } catch (err) {
      await journal.finishStep(id, undoSeq, 'failed', errorText(err));
    }
  }
  return undone;
}
