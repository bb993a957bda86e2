// Completes an EngineContext with its workflow runtime, whose switch gateway opens sessions through the context.

import { createWorkflow, type WorkflowConfig } from '../workflow/runtime';
import { openSwitch, requireSwitch, type EngineContext } from './engine-context';

/** The context plus a workflow whose executor uses `base.jobTimeoutMs` as default deadline unless `config` says otherwise. */
export function attachWorkflow(base: Omit<EngineContext, 'workflow'>, config: Partial<WorkflowConfig> = {}): EngineContext {
  const ctx = base as EngineContext;
  ctx.workflow = createWorkflow(
    { store: base.store, cipher: base.cipher, log: base.logger, openSwitch: async (id) => openSwitch(ctx, await requireSwitch(ctx, id)) },
    { defaultTimeoutMs: base.jobTimeoutMs, ...config },
  );
  return ctx;
}
