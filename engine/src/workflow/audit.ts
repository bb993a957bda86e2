// Audit of device operations: every change a step makes to a device is recorded (who, what, device, before/after, result).

import type { AuditRecord, PortOwnership, Store } from '../store/store';
import { errorText } from './job-errors';
import type { StepContext } from './job-kind';

export interface AuditedOperation<T> {
  /** What is done, e.g. `port.configure leaf1/Ethernet4` or `power On`. */
  what: string;
  device: string;
  before?: unknown;
  run(): Promise<T>;
  /** The state after a success, for the record (default: the result itself). */
  after?(result: T): unknown;
  /** Port ownership written in the same transaction as the success record. */
  ownership?: PortOwnership;
}

/**
 * Runs one device operation and appends its audit record, on success and on
 * failure alike (each retry attempt is its own record). Rethrows the
 * operation's error unchanged.
 */
export async function audited<T>(ctx: StepContext<unknown, { store: Store }>, op: AuditedOperation<T>): Promise<T> {
  const record = (result: string, after: unknown): AuditRecord => ({
    at: new Date().toISOString(), who: ctx.who, what: op.what, device: op.device, before: op.before ?? null, after, result, jobId: ctx.jobId,
  });
  const { store } = ctx.services;
  let result: T;
  try {
    result = await op.run();
  } catch (err) {
    await store.journal.appendAudit(record(`failed: ${errorText(err)}`, null));
    throw err;
  }
  const entry = record('succeeded', op.after ? op.after(result) : (result ?? null));
  await (op.ownership ? store.recordChange(entry, op.ownership) : store.journal.appendAudit(entry));
  return result;
}
