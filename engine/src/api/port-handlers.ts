// ValidatePortConfig, GetPort, ApplyPortConfig, ReleasePort: ownership checks, device reads and port jobs.

import { quarantineConfig, validatePortConfig as checkConfig, type FieldViolation, type PortConfig } from '../domain/port-config';
import { ViolationsError } from '../domain/violations-error';
import { DeviceError } from '../drivers/switch/driver';
import type { ApiTokenRecord, SwitchPortRecord, SwitchRecord } from '../store/store';
import { errorText, JobDeadlineError, JobFailedError, runJob } from '../workflow/executor';
import { portJob, type PortJobContext, type PortJobRequest } from '../workflow/port-configure';
import { SwitchSession } from '../workflow/switch-session';
import { EngineApiError } from './api-error';
import { descriptionMaxOf, openSwitch, quarantineVlan, requirePort, requireSwitch, type EngineContext } from './engine-context';
import type { ApiErrorCode } from './status';
import type { ApplyResult, PortRequest, PortState } from './types';

/** Fails when someone other than `owner` holds the port. */
function checkOwner(port: SwitchPortRecord, owner: string): void {
  if (port.owner === null || port.owner === owner) return;
  throw EngineApiError.field('failed_precondition', 'port',
    `port ${port.switchId}/${port.name} is owned by "${port.owner}"; release it first (ReleasePort) or apply as that owner`);
}

/** The violations an EngineApiError carries, so lookups can feed ValidatePortConfig's answer. */
async function violationsOf(check: () => Promise<unknown>): Promise<FieldViolation[]> {
  try {
    await check();
    return [];
  } catch (err) {
    if (err instanceof EngineApiError && err.violations.length > 0) return err.violations;
    throw err;
  }
}

/** Every reason ApplyPortConfig would refuse `req` before touching the device; [] = acceptable. */
export async function validatePortConfig(ctx: EngineContext, req: PortRequest): Promise<FieldViolation[]> {
  const sw = await ctx.store.getSwitch(req.switchId);
  if (!sw) return violationsOf(() => requireSwitch(ctx, req.switchId));
  const portProblems = await violationsOf(async () => {
    const port = await requirePort(ctx, sw, req.port);
    if (req.owner) checkOwner(port, req.owner);
  });
  return [...portProblems, ...checkConfig(req.config, { descriptionMax: descriptionMaxOf(ctx, sw) })];
}

/** API code for a failure while talking to a device. */
function deviceCode(err: unknown): ApiErrorCode {
  if (err instanceof DeviceError) return err.retryable ? 'unavailable' : 'failed_precondition';
  if (err instanceof JobDeadlineError) return 'deadline_exceeded';
  return 'internal';
}

/**
 * Runs `fn` with a lazily opened session to `sw` while holding the switch's
 * lock, closing the session before the lock is released. A failing close is
 * logged, never allowed to replace `fn`'s outcome.
 */
function withSwitch<T>(ctx: EngineContext, sw: SwitchRecord, fn: (session: SwitchSession) => Promise<T>): Promise<T> {
  return ctx.locks.run(sw.id, async () => {
    const session = new SwitchSession(() => openSwitch(ctx, sw));
    try {
      return await fn(session);
    } finally {
      await session.close().catch((err) => ctx.logger.warn('closing the switch session failed', { switch: sw.id, error: errorText(err) }));
    }
  });
}

/** Reads the port from the device (running config), with its owner from the store. */
export async function getPort(ctx: EngineContext, switchId: string, port: string): Promise<PortState> {
  const sw = await requireSwitch(ctx, switchId);
  const record = await requirePort(ctx, sw, port);
  try {
    const read = await withSwitch(ctx, sw, async (session) => (await session.get()).readPorts([port]));
    const config = read.get(port);
    if (!config) throw new DeviceError(`port ${port} was not in the device's answer`, sw.id, false);
    return { switchId: sw.id, port, config, owner: record.owner ?? '' };
  } catch (err) {
    throw new EngineApiError(deviceCode(err), `reading ${sw.id}/${port} failed: ${errorText(err)}`);
  }
}

function jobError(err: JobFailedError): EngineApiError {
  if (err.cause instanceof ViolationsError) {
    return new EngineApiError('invalid_argument', `invalid port config (job ${err.jobId}): ${err.cause.message}`, err.cause.violations);
  }
  return new EngineApiError(deviceCode(err.cause), `job ${err.jobId} failed: ${err.message}; \`maestro jobs get ${err.jobId}\` shows every step`);
}

interface PortChange {
  kind: PortJobRequest['kind'];
  sw: SwitchRecord;
  port: string;
  config: PortConfig;
  /** The port's owner once the change succeeds; null releases it. */
  owner: string | null;
}

/** Runs a port job over `session`, then records ownership and the audit entry. */
async function runPortJob(ctx: EngineContext, caller: ApiTokenRecord, session: SwitchSession, change: PortChange): Promise<ApplyResult> {
  const { kind, sw, port, config, owner } = change;
  const state: PortJobContext = { session };
  const spec = portJob({ kind, switchId: sw.id, port, config, descriptionMax: descriptionMaxOf(ctx, sw), timeoutMs: ctx.jobTimeoutMs });
  const audit = (jobId: string, result: string, after: PortConfig | null) => ({
    at: new Date().toISOString(), who: caller.name, what: `${kind} ${sw.id}/${port}`, device: sw.id,
    before: state.before ?? null, after, result, jobId,
  });
  try {
    const jobId = await runJob(ctx.store, spec, state);
    const after = state.after!;
    await ctx.store.recordChange(audit(jobId, 'succeeded', after), { switchId: sw.id, port, owner, desired: owner === null ? null : config });
    return { jobId, port: { switchId: sw.id, port, config: after, owner: owner ?? '' } };
  } catch (err) {
    if (!(err instanceof JobFailedError)) throw err;
    await ctx.store.recordChange(audit(err.jobId, `failed: ${err.message}`, null));
    ctx.logger.warn('job failed', { job: err.jobId, kind, switch: sw.id, port, error: err.message });
    throw jobError(err);
  }
}

/** Configures a port for `req.owner`; refuses ports another owner holds. */
export async function applyPortConfig(ctx: EngineContext, req: PortRequest, caller: ApiTokenRecord): Promise<ApplyResult> {
  if (!req.owner) throw EngineApiError.field('invalid_argument', 'owner', 'owner is required: who claims the port, e.g. "terraform:maestro_switch_port"');
  const sw = await requireSwitch(ctx, req.switchId);
  return withSwitch(ctx, sw, async (session) => {
    checkOwner(await requirePort(ctx, sw, req.port), req.owner);
    return runPortJob(ctx, caller, session, { kind: 'port.configure', sw, port: req.port, config: req.config, owner: req.owner });
  });
}

/** Puts a port back into the quarantine configuration and drops its owner. */
export async function releasePort(ctx: EngineContext, switchId: string, port: string, caller: ApiTokenRecord): Promise<ApplyResult> {
  const sw = await requireSwitch(ctx, switchId);
  const config = quarantineConfig(await quarantineVlan(ctx));
  return withSwitch(ctx, sw, async (session) => {
    await requirePort(ctx, sw, port);
    return runPortJob(ctx, caller, session, { kind: 'port.release', sw, port, config, owner: null });
  });
}
