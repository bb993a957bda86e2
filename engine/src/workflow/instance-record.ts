// What the instance jobs share about the instance itself: its owner string, its store record, and the failure being compensated.

import { setServerState } from '../placement';
import type { ServerRecord } from '../store/allocation-store';
import { instanceOwner, type InstanceChange, type InstanceRecord } from '../store/instance-store';
import type { StepContext } from './job-kind';
import type { WorkflowServices } from './services';

/** Every instance job's input names its instance. */
export interface InstanceRef {
  instanceId: string;
}

export type InstanceCtx = StepContext<InstanceRef, WorkflowServices>;

/** `instance:<id>`: the owner of the instance's server, IPs and switch ports. */
export const ownerOf = (ctx: InstanceCtx): string => instanceOwner(ctx.input.instanceId);

/** The instance's record; throws when the store has none (the API writes it before starting the job). */
export async function requireInstance(ctx: InstanceCtx): Promise<InstanceRecord> {
  const record = await ctx.services.store.instances.getInstance(ctx.input.instanceId);
  if (!record) throw new Error(`instance ${ctx.input.instanceId} is not in the store`);
  return record;
}

/** Records `change` (this job as the instance's last job); a record deleted meanwhile is left deleted. */
export async function recordInstance(ctx: InstanceCtx, change: InstanceChange): Promise<void> {
  const { instances } = ctx.services.store;
  if (!(await instances.getInstance(ctx.input.instanceId))) return;
  await instances.updateInstance(ctx.input.instanceId, { jobId: ctx.jobId, ...change });
}

/** Why the job is being compensated (the journaled failure, `step "x" on device: ...`), for the instance's stateReason. */
export async function compensationReason(ctx: InstanceCtx): Promise<string> {
  const job = await ctx.services.store.journal.getJob(ctx.jobId);
  return job?.error ?? job?.cancelRequested ?? 'the job was rolled back';
}

/**
 * After an undo failed for good: the server goes out of service (keeping its
 * owner, so nothing else is handed it dirty) and the instance is `failed` with `reason`.
 */
export async function outOfService(ctx: InstanceCtx, server: ServerRecord | undefined, reason: string): Promise<void> {
  if (server && server.owner === ownerOf(ctx) && server.state !== 'maintenance') {
    const { store } = ctx.services;
    if (server.state !== 'failed') await setServerState(store, server.id, 'failed', reason);
    await setServerState(store, server.id, 'maintenance', reason);
  }
  await recordInstance(ctx, { state: 'failed', stateReason: reason });
}
