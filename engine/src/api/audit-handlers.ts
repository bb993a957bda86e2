// ListAudit: every device operation the engine made (who, what, device, before/after, result), newest first.

import type { EngineContext } from './engine-context';
import { DEFAULT_JOB_LIMIT, MAX_JOB_LIMIT } from './job-handlers';
import type { AuditInfo, AuditQuery } from './types';

export async function listAudit(ctx: EngineContext, q: AuditQuery): Promise<AuditInfo[]> {
  return ctx.store.journal.listAudit({
    limit: Math.min(q.limit || DEFAULT_JOB_LIMIT, MAX_JOB_LIMIT), device: q.device || undefined, jobId: q.jobId || undefined, who: q.who || undefined,
  });
}
