// GetJob and ListJobs: the job journal from the store.

import type { JobRecord } from '../store/store';
import { EngineApiError } from './api-error';
import type { EngineContext } from './engine-context';
import type { JobInfo } from './types';

export const DEFAULT_JOB_LIMIT = 50;
export const MAX_JOB_LIMIT = 500;

const jobInfo = (j: JobRecord): JobInfo => ({
  id: j.id, kind: j.kind, state: j.state, error: j.error, createdAt: j.createdAt, finishedAt: j.finishedAt,
  steps: j.steps.map(({ seq: _seq, ...s }) => s),
});

export async function getJob(ctx: EngineContext, id: string): Promise<JobInfo> {
  const job = await ctx.store.getJob(id);
  if (!job) throw EngineApiError.field('not_found', 'id', `no job "${id}"; \`maestro jobs list\` shows recent jobs`);
  return jobInfo(job);
}

/** Newest first; `limit` 0 means the default. */
export async function listJobs(ctx: EngineContext, limit: number): Promise<JobInfo[]> {
  const jobs = await ctx.store.listJobs(Math.min(limit || DEFAULT_JOB_LIMIT, MAX_JOB_LIMIT));
  return jobs.map(jobInfo);
}
