// Long-running Redfish actions: POST, then follow the task monitor until the Task ends (DSP0266 asynchronous operations).

import { linkOf, type RedfishResource, type RedfishResponse } from './redfish-client';
import { messageTexts } from './redfish-errors';
import type { RedfishService } from './redfish-service';
import { pollUntil } from './poll';

/** TaskState values after which nothing more happens (Task schema). */
const ENDED = new Set(['Completed', 'Exception', 'Killed', 'Cancelled']);

/**
 * The monitor is polled while it answers 202, or answers a Task still
 * running. It is done when it answers a Task in an ended state, or any other
 * 2xx (the operation's own response). Error statuses throw from the client.
 */
function running(res: RedfishResponse): boolean {
  const state = res.body.TaskState;
  if (typeof state === 'string') return !ENDED.has(state);
  return res.status === 202;
}

/**
 * POSTs `body` to an action target and resolves when the operation is done:
 * at once for 200/204, after polling the task monitor (Location header, else
 * the returned Task's @odata.id) for 202. Throws BmcError with the Task's
 * Messages when it ends in Exception, Killed or Cancelled, and a retryable
 * BmcError when it is still running after the task timeout.
 */
export async function runAction(service: RedfishService, target: string, body: object): Promise<void> {
  const request = `POST ${target}`;
  const accepted = await service.client.post(target, body);
  if (!running(accepted)) return checkEnded(service, request, accepted.body);
  const monitor = accepted.headers.location ?? linkOf(accepted.body);
  if (!monitor) throw service.error(`${request} answered 202 Accepted without a task monitor (Location header)`);
  const { pollIntervalMs, taskTimeoutMs } = service.settings;
  const read = () => service.client.get(service.client.pathOf(monitor));
  const { value, reached } = await pollUntil(read, (res) => !running(res), pollIntervalMs, taskTimeoutMs);
  if (!reached) throw service.error(`${request}: task ${monitor} still ${value.body.TaskState ?? 'running'} after ${taskTimeoutMs} ms (taskTimeoutMs)`, true);
  checkEnded(service, request, value.body);
}

/** A final Task body that did not complete becomes a BmcError with the Task's messages. */
function checkEnded(service: RedfishService, request: string, task: RedfishResource): void {
  const state = task.TaskState;
  if (state === undefined || state === 'Completed') return;
  const messages = messageTexts(task.Messages);
  const detail = messages.length > 0 ? `: ${messages.join('; ')}` : '';
  throw service.error(`${request}: task ${task.Id ?? task['@odata.id'] ?? ''} ended ${state}${detail}`, false, undefined, messages);
}
