// GetJob, ListJobs, CancelJob, WatchJob, StartJob: the job journal and the executor behind it.

import type { JournalJob } from '../store/job-journal';
import type { ApiTokenRecord, JobState } from '../store/store';
import { errorText, JobInputError } from '../workflow/job-errors';
import { EngineApiError } from './api-error';
import type { EngineContext } from './engine-context';
import type { JobInfo, JobQuery } from './types';

export const DEFAULT_JOB_LIMIT = 50;
export const MAX_JOB_LIMIT = 500;
/** WatchJob also re-reads the journal this often, for jobs another engine process runs. */
const WATCH_POLL_MS = 1000;
const JOB_STATES: JobState[] = ['pending', 'running', 'succeeded', 'failed'];

export const jobInfo = (j: JournalJob): JobInfo => ({
  id: j.id, kind: j.kind, state: j.state, phase: j.phase, error: j.error, who: j.who, cancelRequested: j.cancelRequested,
  createdAt: j.createdAt, finishedAt: j.finishedAt, deadline: j.deadline,
  steps: j.steps.map(({ seq: _seq, index: _index, output: _output, ...s }) => s),
});

const finished = (j: JournalJob) => j.state === 'succeeded' || j.state === 'failed';

async function requireJob(ctx: EngineContext, id: string): Promise<JournalJob> {
  const job = await ctx.store.journal.getJob(id);
  if (!job) throw EngineApiError.field('not_found', 'id', `no job "${id}"; \`maestro jobs list\` shows recent jobs`);
  return job;
}

export async function getJob(ctx: EngineContext, id: string): Promise<JobInfo> {
  return jobInfo(await requireJob(ctx, id));
}

/** Newest first; `limit` 0 or unset means the default. Throws invalid_argument for an unknown state. */
export async function listJobs(ctx: EngineContext, q: JobQuery): Promise<JobInfo[]> {
  if (q.state && !JOB_STATES.includes(q.state)) throw EngineApiError.field('invalid_argument', 'state', `state must be one of ${JOB_STATES.join(', ')}`);
  const jobs = await ctx.store.journal.listJobs({ limit: Math.min(q.limit || DEFAULT_JOB_LIMIT, MAX_JOB_LIMIT), kind: q.kind || undefined, state: q.state || undefined, who: q.who || undefined });
  return jobs.map(jobInfo);
}

/** Asks the job to stop and compensate; a finished job is returned as it is. */
export async function cancelJob(ctx: EngineContext, id: string, reason: string, caller: ApiTokenRecord): Promise<JobInfo> {
  await requireJob(ctx, id);
  const job = await ctx.workflow.executor.cancel(id, reason || `cancelled through the API by ${caller.name}`);
  return jobInfo(job!);
}

/**
 * Sends the job now and after every change of its journal (duplicates
 * skipped); resolves after sending the finished job, or when `cancelled` aborts.
 */
export async function watchJob(ctx: EngineContext, id: string, send: (job: JobInfo) => void, cancelled: AbortSignal): Promise<void> {
  await requireJob(ctx, id);
  const { events } = ctx.workflow.executor;
  let last = '';
  let running: Promise<boolean> | undefined;
  let again = false;
  /** Sends the job if it changed; true once it has finished. */
  const emit = async (): Promise<boolean> => {
    const job = (await ctx.store.journal.getJob(id))!;
    const info = jobInfo(job);
    const key = JSON.stringify(info);
    if (key !== last) send(info);
    last = key;
    return finished(job);
  };
  return new Promise<void>((resolve, reject) => {
    const stop = () => {
      events.off('changed', onChange);
      clearInterval(poll);
      resolve();
    };
    const pump = async () => {
      if (running) return void (again = true);
      try {
        do {
          again = false;
          running = emit();
          if (await running) return stop();
        } while (again);
      } catch (err) {
        events.off('changed', onChange);
        clearInterval(poll);
        reject(err);
      } finally {
        running = undefined;
      }
    };
    const onChange = (jobId: string) => jobId === id && void pump();
    events.on('changed', onChange);
    const poll = setInterval(() => void pump(), WATCH_POLL_MS);
    cancelled.addEventListener('abort', stop, { once: true });
    void pump();
  });
}

/** Starts a registered job kind with JSON input; admin tokens only. Answers with the job as first journaled. */
export async function startJob(ctx: EngineContext, req: { kind: string; inputJson: string; timeoutSeconds: number }, caller: ApiTokenRecord): Promise<JobInfo> {
  if (caller.scope !== 'admin') throw new EngineApiError('permission_denied', `StartJob needs an admin token; "${caller.name}" has scope "${caller.scope}"`);
  let input: unknown;
  try {
    input = JSON.parse(req.inputJson || 'null');
  } catch (err) {
    throw EngineApiError.field('invalid_argument', 'input_json', `input_json is not JSON: ${errorText(err)}`);
  }
  try {
    const { jobId } = await ctx.workflow.executor.start(req.kind, input, { who: caller.name, timeoutMs: req.timeoutSeconds ? req.timeoutSeconds * 1000 : undefined });
    return getJob(ctx, jobId);
  } catch (err) {
    if (err instanceof JobInputError) throw EngineApiError.field('invalid_argument', err.field === 'kind' ? 'kind' : 'input_json', err.message);
    throw err;
  }
}
