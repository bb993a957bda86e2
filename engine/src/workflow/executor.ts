// The durable saga executor: runs registered job kinds step by step, journaling before and after every device
// call, with per-device locks, bounded parallelism per pool, retries of transient errors, deadlines, cancellation,
// compensation (undo newest first), and recovery of every unfinished job when the engine starts.

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { JobJournal, JournalJob, JournalStep, StepPhase } from '../store/job-journal';
import { errorText, JobCancelledError, JobDeadlineError, JobFailedError, JobInputError } from './job-errors';
import type { JobKind, JobKindRegistry, StepContext, StepDef, StepResult } from './job-kind';
import { KeyedLock } from './keyed-lock';
import { PoolLimiter } from './limiter';
import { backoffMs, DEFAULT_RETRY, isRetryable, sleep, type RetryPolicy } from './retry';

/** Where the executor reports what happens outside any caller's view (recovered jobs, failed undos). */
export interface WorkflowLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ExecutorOptions {
  /** Concurrent steps per pool, e.g. `{ bmc: 16, switch: 8 }`; pools not named are unbounded. */
  limits?: Record<string, number>;
  retry?: RetryPolicy;
  /** Deadline of jobs started without one. */
  defaultTimeoutMs: number;
  log: WorkflowLog;
  /** Jitter source (tests pin it). */
  random?: () => number;
}

export interface StartOptions {
  /** API token name of the caller. */
  who: string;
  /** The job starts no forward step after this many ms (default: the executor's). */
  timeoutMs?: number;
}

/** How a job ended in this process: `paused` when the executor shut down first (the next start resumes it). */
export type JobOutcome =
  | { jobId: string; state: 'succeeded'; outputs: Record<string, unknown> }
  | { jobId: string; state: 'failed'; error: JobFailedError }
  | { jobId: string; state: 'paused' };

export interface RunningJob {
  jobId: string;
  /** Settles when the job ends (or pauses); never rejects for a step failure, only when the journal itself fails. */
  outcome: Promise<JobOutcome>;
}

interface Failure {
  step: string;
  device: string | null;
  cause: unknown;
}

/** `changed` is emitted with the job id after every journal write: WatchJob listens to it. */
export class WorkflowExecutor<S> {
  readonly events = new EventEmitter();
  private readonly locks = new KeyedLock();
  private readonly limiter: PoolLimiter;
  private readonly retry: RetryPolicy;
  private readonly running = new Map<string, { ctrl: AbortController; outcome: Promise<JobOutcome> }>();
  private stopping = false;

  constructor(
    private readonly journal: JobJournal,
    private readonly registry: JobKindRegistry<S>,
    private readonly services: S,
    private readonly opts: ExecutorOptions,
  ) {
    this.limiter = new PoolLimiter(opts.limits ?? {});
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.events.setMaxListeners(0);
  }

  /**
   * Journals a new job of `kind` and starts running it. Throws JobInputError
   * (nothing journaled) for an unknown kind or input the kind refuses, and
   * Error once shutdown began.
   */
  async start(kind: string, input: unknown, opts: StartOptions): Promise<RunningJob> {
    const def = this.registry.get(kind);
    if (!def) throw new JobInputError('kind', `unknown job kind "${kind}"; this engine runs: ${this.registry.names().join(', ')}`);
    try {
      def.parse(input);
    } catch (err) {
      throw new JobInputError('input', `invalid input for a "${kind}" job: ${errorText(err)}`);
    }
    if (this.stopping) throw new Error('the engine is shutting down and starts no new jobs');
    const jobId = randomUUID();
    const deadline = new Date(Date.now() + (opts.timeoutMs ?? this.opts.defaultTimeoutMs)).toISOString();
    await this.journal.createJob({ id: jobId, kind, input, who: opts.who, deadline });
    this.changed(jobId);
    return { jobId, outcome: this.launch((await this.journal.getJob(jobId))!, def) };
  }

  /** Starts a job and waits for it: resolves with its outputs, rejects with JobFailedError (after compensation). */
  async run(kind: string, input: unknown, opts: StartOptions & { onStarted?: (jobId: string) => void }): Promise<{ jobId: string; outputs: Record<string, unknown> }> {
    const { jobId, outcome } = await this.start(kind, input, opts);
    opts.onStarted?.(jobId);
    const end = await outcome;
    if (end.state === 'failed') throw end.error;
    if (end.state === 'paused') throw new Error(`job ${jobId} was interrupted by an engine shutdown; it resumes when the engine starts again`);
    return { jobId, outputs: end.outputs };
  }

  /**
   * Asks an unfinished job to stop: no further forward step starts, a device
   * call in flight finishes, then completed steps are undone. Resolves with
   * the job (undefined when unknown); finished jobs are returned unchanged.
   */
  async cancel(jobId: string, reason: string): Promise<JournalJob | undefined> {
    const job = await this.journal.requestCancel(jobId, reason);
    this.running.get(jobId)?.ctrl.abort(new JobCancelledError(reason));
    this.changed(jobId);
    return job;
  }

  /**
   * Takes up every unfinished job in the journal (after a crash or restart):
   * resumes it (re-running the step that was in flight, then the rest) or
   * compensates it, by its kind's policy; a cancelled job, one past its
   * deadline or one already compensating always compensates. Returns the ids
   * taken up; they run in the background.
   */
  async recover(): Promise<string[]> {
    const jobs = await this.journal.listUnfinished();
    for (const job of jobs) {
      const def = this.registry.get(job.kind);
      if (!def) {
        await this.journal.finishJob(job.id, 'failed', `this engine does not know job kind "${job.kind}"; nothing was resumed or undone`);
        continue;
      }
      const compensate = job.phase === 'compensating' || job.cancelRequested !== null || def.recovery === 'compensate' || Date.parse(job.deadline) < Date.now();
      this.opts.log.info('recovering job', { job: job.id, kind: job.kind, action: compensate ? 'compensate' : 'resume' });
      if (compensate && job.phase === 'forward') await this.journal.beginCompensation(job.id, recoveryReason(job, def));
      const outcome = this.launch((await this.journal.getJob(job.id))!, def);
      outcome.catch((err) => this.opts.log.error('recovered job stopped on a journal error', { job: job.id, error: errorText(err) }));
    }
    return jobs.filter((j) => this.registry.get(j.kind)).map((j) => j.id);
  }

  /**
   * Stops starting device work: running jobs finish their step in flight and
   * pause (they stay unfinished in the journal, and the next engine start
   * resumes or compensates them). Resolves once every job has paused or ended.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()].map((r) => r.outcome));
  }

  private launch(job: JournalJob, def: JobKind<unknown, S>): Promise<JobOutcome> {
    const ctrl = new AbortController();
    if (job.cancelRequested !== null) ctrl.abort(new JobCancelledError(job.cancelRequested));
    const outcome = this.drive(job, def, ctrl).finally(() => this.running.delete(job.id));
    this.running.set(job.id, { ctrl, outcome });
    return outcome;
  }

  private async drive(job: JournalJob, def: JobKind<unknown, S>, ctrl: AbortController): Promise<JobOutcome> {
    let input: unknown;
    try {
      input = def.parse(job.input);
    } catch (err) {
      const error = new JobFailedError(job.id, 'parse input', null, err, []);
      await this.finish(job.id, 'failed', error.message);
      return { jobId: job.id, state: 'failed', error };
    }
    const steps = def.steps(input);
    const outputs = outputsOf(job);
    const base = { jobId: job.id, who: job.who, input, services: this.services, outputs, signal: ctrl.signal };
    let failure: Failure | undefined;
    if (job.phase === 'forward') {
      const result = await this.forward(job, steps, base, ctrl);
      if (result === 'paused') return { jobId: job.id, state: 'paused' };
      if (result === 'done') {
        await this.finish(job.id, 'succeeded', null);
        return { jobId: job.id, state: 'succeeded', outputs };
      }
      failure = result;
      await this.journal.beginCompensation(job.id, new JobFailedError(job.id, failure.step, failure.device, failure.cause, []).message);
    }
    const undone = await this.compensate(job.id, def, steps, base);
    if (undone === 'paused') return { jobId: job.id, state: 'paused' };
    const reason = failure ?? { step: 'recovery', device: null, cause: new Error((await this.journal.getJob(job.id))?.error ?? 'compensated') };
    const error = new JobFailedError(job.id, reason.step, reason.device, reason.cause, undone);
    await this.finish(job.id, 'failed', failure ? error.message : `${errorText(reason.cause)}${undone.length > 0 ? ` (undone: ${undone.join(', ')})` : ''}`);
    return { jobId: job.id, state: 'failed', error };
  }

  /** Runs the steps not yet done, in order; the first failure (or a stop reason) ends the forward phase. */
  private async forward(job: JournalJob, steps: StepDef<unknown, S>[], base: Omit<StepContext<unknown, S>, 'attempt'>, ctrl: AbortController): Promise<'done' | 'paused' | Failure> {
    const done = new Set(job.steps.filter((s) => s.phase === 'do' && s.state === 'done').map((s) => s.index));
    // The deadline also ends a running step's waits (an installer, a retry back-off), not only the start of the next step.
    let current = 'finish';
    const left = Date.parse(job.deadline) - Date.now();
    const timer = left < 2 ** 31 - 1 ? setTimeout(() => {
      if (!ctrl.signal.aborted) ctrl.abort(new JobDeadlineError(current, job.deadline, true));
    }, Math.max(0, left)) : undefined;
    timer?.unref();
    try {
      return await this.forwardSteps(job, steps, base, ctrl, done, (name) => { current = name; });
    } finally {
      clearTimeout(timer);
    }
  }

  private async forwardSteps(job: JournalJob, steps: StepDef<unknown, S>[], base: Omit<StepContext<unknown, S>, 'attempt'>, ctrl: AbortController,
    done: Set<number>, starting: (step: string) => void): Promise<'done' | 'paused' | Failure> {
    for (const [index, step] of steps.entries()) {
      if (done.has(index)) continue;
      starting(step.name);
      if (this.stopping) return 'paused';
      const late = Date.parse(job.deadline) < Date.now() || ctrl.signal.reason instanceof JobDeadlineError;
      const stop = ctrl.signal.aborted && !(ctrl.signal.reason instanceof JobDeadlineError) ? ctrl.signal.reason : late ? new JobDeadlineError(step.name, job.deadline) : undefined;
      if (stop) return { step: step.name, device: null, cause: stop };
      const ctx = { ...base, attempt: 1 };
      try {
        await this.runStep(job, index, step, 'do', ctx);
      } catch (cause) {
        return { step: step.name, device: step.device(ctx), cause };
      }
    }
    // Cancelled while the last step was in flight: the caller was told the job stops, so it is undone like any other.
    if (ctrl.signal.aborted) return { step: 'finish', device: null, cause: ctrl.signal.reason };
    return 'done';
  }

  /**
   * Undoes, newest first, every step whose `do` started and that has an undo.
   * An undo that fails for good is journaled, handed to the kind's
   * onUndoFailure, and the others still run. Returns the names undone.
   */
  private async compensate(jobId: string, def: JobKind<unknown, S>, steps: StepDef<unknown, S>[], base: Omit<StepContext<unknown, S>, 'attempt'>): Promise<string[] | 'paused'> {
    const job = (await this.journal.getJob(jobId))!;
    const row = (index: number, phase: StepPhase) => job.steps.find((s) => s.index === index && s.phase === phase);
    const undone: string[] = [];
    for (let index = steps.length - 1; index >= 0; index--) {
      const step = steps[index];
      const started = row(index, 'do');
      if (!step.undo || !started) continue;
      if (row(index, 'undo')?.state === 'done') {
        undone.push(step.name);
        continue;
      }
      if (this.stopping) return 'paused';
      const ctx = { ...base, attempt: 1 };
      try {
        await this.runStep(job, index, step, 'undo', ctx);
        await this.journal.markUndone(jobId, index);
        undone.push(step.name);
      } catch (err) {
        this.opts.log.error('undo failed; the device is left as it is', { job: jobId, step: step.name, error: errorText(err) });
        await def.onUndoFailure?.(ctx, step.name, err);
      }
      this.changed(jobId);
    }
    return undone;
  }

  /** One step function under its locks and pool, journaled before and after each attempt, retried while retryable. */
  private runStep(job: JournalJob, index: number, step: StepDef<unknown, S>, phase: StepPhase, ctx: StepContext<unknown, S>): Promise<void> {
    const name = phase === 'do' ? step.name : `undo ${step.name}`;
    const fn = phase === 'do' ? step.do : step.undo!;
    const policy = { ...this.retry, ...step.retry };
    const prior = job.steps.find((s) => s.index === index && s.phase === phase)?.attempt ?? 0;
    const device = step.device(ctx);
    // Compensation must finish even for a cancelled job: only forward waits listen to the signal.
    const signal = phase === 'do' ? ctx.signal : undefined;
    const attemptOnce = async (attempt: number): Promise<void> => {
      const seq = await this.journal.startStep(job.id, { index, phase, name, device, attempt });
      this.changed(job.id);
      try {
        const { detail, output } = normalize(await fn.call(step, { ...ctx, attempt }));
        await this.journal.finishStep(job.id, seq, 'done', detail, output);
        (ctx.outputs as Record<string, unknown>)[name] = output ?? null;
        this.changed(job.id);
      } catch (err) {
        const tries = attempt - prior;
        if (!isRetryable(err) || tries >= policy.maxAttempts || signal?.aborted || this.stopping) {
          await this.journal.finishStep(job.id, seq, 'failed', errorText(err));
          this.changed(job.id);
          throw err;
        }
        const wait = backoffMs(policy, tries, this.opts.random);
        await this.journal.noteStep(job.id, seq, `attempt ${attempt} failed: ${errorText(err)}; retrying in ${wait} ms`);
        this.changed(job.id);
        await sleep(wait, signal).catch(async (stop) => {
          await this.journal.finishStep(job.id, seq, 'failed', `${errorText(err)}; not retried: ${errorText(stop)}`);
          throw err;
        });
        return attemptOnce(attempt + 1);
      }
    };
    return this.locks.runAll(step.locks?.(ctx) ?? [], () => this.limiter.run(step.pool, () => attemptOnce(prior + 1)));
  }

  private async finish(jobId: string, state: 'succeeded' | 'failed', error: string | null): Promise<void> {
    await this.journal.finishJob(jobId, state, error);
    this.changed(jobId);
  }

  private changed(jobId: string): void {
    this.events.emit('changed', jobId);
  }
}

function normalize(r: StepResult): { detail: string; output?: unknown } {
  if (r === undefined) return { detail: '' };
  if (typeof r === 'string') return { detail: r };
  return { detail: r.detail ?? '', output: r.output };
}

/** Outputs of finished rows by name, as steps see them in `ctx.outputs`. */
function outputsOf(job: JournalJob): Record<string, unknown> {
  const done = (s: JournalStep) => s.state === 'done' || (s.phase === 'do' && s.state === 'undone');
  return Object.fromEntries(job.steps.filter(done).map((s) => [s.name, s.output]));
}

function recoveryReason(job: JournalJob, def: JobKind<unknown, unknown>): string {
  if (job.cancelRequested !== null) return `cancelled: ${job.cancelRequested}`;
  if (Date.parse(job.deadline) < Date.now()) return `the job's deadline ${job.deadline} passed while the engine was down`;
  return `the engine restarted while the job ran; "${def.kind}" jobs are compensated on restart`;
}
