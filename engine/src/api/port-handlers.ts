// ValidatePortConfig, GetPort(s), ApplyPortConfig, ReleasePort: ownership checks, coalesced device reads and port jobs.

import { quarantineConfig, validatePortConfig as checkConfig, type FieldViolation, type PortConfig } from '../domain/port-config';
import { ViolationsError } from '../domain/violations-error';
import { DeviceError } from '../drivers/switch/driver';
import type { ApiTokenRecord, SwitchPortRecord, SwitchRecord } from '../store/store';
import { errorText, JobCancelledError, JobDeadlineError, JobFailedError } from '../workflow/job-errors';
import { portAfter, type PortJobInput, type PortJobKind } from '../workflow/port-configure';
import type { SnapshotRead } from '../workflow/switch-gateway';
import { EngineApiError } from './api-error';
import { descriptionMaxOf, quarantineVlan, requirePort, requireSwitch, type EngineContext } from './engine-context';
import type { ApiErrorCode } from './status';
import type { ApplyResult, PortRequest, PortState } from './types';

/**
 * Fails when someone other than `owner` holds the port, or when the port is
 * cabled to a NIC of a server allocated to someone else (an instance: its
 * ports are its own from allocation on, before its job moves them).
 */
async function checkOwner(ctx: EngineContext, port: SwitchPortRecord, owner: string): Promise<void> {
  if (port.owner !== null && port.owner !== owner) {
    throw EngineApiError.field('failed_precondition', 'port',
      `port ${port.switchId}/${port.name} is owned by "${port.owner}"; release it first (ReleasePort) or apply as that owner`);
  }
  const cabled = await ctx.store.allocation.getCabledNic({ switchId: port.switchId, port: port.name });
  if (!cabled) return;
  const { server, nic } = cabled;
  if (server.owner !== null && server.owner !== owner) {
    throw EngineApiError.field('failed_precondition', 'port',
      `port ${port.switchId}/${port.name} is cabled to NIC ${nic.name} of server "${server.id}", which is allocated to "${server.owner}"; its ports belong to that owner`);
  }
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
    if (req.owner) await checkOwner(ctx, port, req.owner);
  });
  return [...portProblems, ...checkConfig(req.config, { descriptionMax: descriptionMaxOf(ctx, sw) })];
}

/** API code for a failure while talking to a device. */
function deviceCode(err: unknown): ApiErrorCode {
  if (err instanceof DeviceError) return err.retryable ? 'unavailable' : 'failed_precondition';
  if (err instanceof JobDeadlineError) return 'deadline_exceeded';
  if (err instanceof JobCancelledError) return 'aborted';
  return 'internal';
}

/**
 * How `client`'s reads of `sw` may share one whole-switch read (a snapshot,
 * see SwitchGateway.readPort): only with a client id, and only on dialects
 * that show every port in one command.
 */
function snapshotFor(ctx: EngineContext, sw: SwitchRecord, client: string | undefined, ports: string[]): SnapshotRead | undefined {
  if (client === undefined || ctx.dialects.get(sw.dialect)?.showAllPorts === undefined) return undefined;
  return { client, switchPorts: async () => ports };
}

/** The port's running config through the switch's batches. */
async function readConfig(ctx: EngineContext, sw: SwitchRecord, port: string, snapshot: SnapshotRead | undefined): Promise<PortConfig> {
  try {
    return await ctx.workflow.switches.readPort(sw.id, port, snapshot);
  } catch (err) {
    throw new EngineApiError(deviceCode(err), `reading ${sw.id}/${port} failed: ${errorText(err)}`);
  }
}

/**
 * Reads the port from the device (running config, in one batch with other
 * reads of the switch), with its owner from the store. Always the device,
 * never a snapshot: a `maestro ports get` must see a change made a moment ago.
 */
export async function getPort(ctx: EngineContext, switchId: string, port: string): Promise<PortState> {
  const sw = await requireSwitch(ctx, switchId);
  const record = await requirePort(ctx, sw, port);
  const config = await readConfig(ctx, sw, port, undefined);
  return { switchId: sw.id, port, config, owner: record.owner ?? '' };
}

/**
 * Reads `ports` of one switch, all in one batch. With `client` (the caller's
 * client id), on a dialect that shows every port in one command, the batch
 * reads the whole switch and keeps it as that client's snapshot, which
 * answers the client's next GetPorts of the switch within the gateway's
 * snapshotMs (SwitchGateway.readPort says why that still sees drift made
 * before a plan); `wholeSwitch` adds every other port of the snapshot to the
 * answer, so a terraform refresh needs one call per switch. Fails as GetPort
 * for the first of `ports` that fails.
 */
export async function getPorts(ctx: EngineContext, switchId: string, ports: string[], wholeSwitch: boolean, client?: string): Promise<PortState[]> {
  const sw = await requireSwitch(ctx, switchId);
  if (ports.length === 0) throw EngineApiError.field('invalid_argument', 'ports', 'name at least one port of the switch');
  const records = new Map((await ctx.store.listPorts(sw.id)).map((r) => [r.name, r]));
  for (const port of ports) if (!records.has(port)) await requirePort(ctx, sw, port); // fails with GetPort's error
  const snapshot = snapshotFor(ctx, sw, client, [...records.keys()]);
  const stateOf = (port: string, config: PortConfig): PortState => ({ switchId: sw.id, port, config, owner: records.get(port)?.owner ?? '' });
  const wanted = [...new Set(ports)];
  const read = await Promise.all(wanted.map(async (port) => stateOf(port, await readConfig(ctx, sw, port, snapshot))));
  const seen = wholeSwitch && snapshot ? ctx.workflow.switches.snapshot(sw.id, snapshot.client) : undefined;
  const others = [...(seen ?? [])].filter(([port]) => records.has(port) && !wanted.includes(port)).map(([port, config]) => stateOf(port, config));
  return [...read, ...others];
}

function jobError(err: JobFailedError): EngineApiError {
  if (err.cause instanceof ViolationsError) {
    return new EngineApiError('invalid_argument', `invalid port config (job ${err.jobId}): ${err.cause.message}`, err.cause.violations);
  }
  return new EngineApiError(deviceCode(err.cause), `job ${err.jobId} failed: ${err.message}; \`maestro jobs get ${err.jobId}\` shows every step`);
}

/** Why a job is cancelled when the call that started it goes away. */
export const CALL_CANCELLED = 'the API call that started the job was cancelled by its client';

/**
 * Runs a port job to its end and answers with the port as read back. When the
 * caller cancels the call (terraform interrupted), the job is cancelled: the
 * device call in flight finishes, no further step starts, and the port is put
 * back as it was.
 */
async function runPortJob(ctx: EngineContext, caller: ApiTokenRecord, cancelled: AbortSignal, kind: PortJobKind, sw: SwitchRecord, input: Omit<PortJobInput, 'switchId' | 'descriptionMax'>): Promise<ApplyResult> {
  const job: PortJobInput = { ...input, switchId: sw.id, descriptionMax: descriptionMaxOf(ctx, sw) };
  // A call cancelled before its job started (while it waited for the port) cancels the job at once.
  const onStarted = (jobId: string) => {
    const cancel = () => void ctx.workflow.executor.cancel(jobId, CALL_CANCELLED);
    if (cancelled.aborted) cancel();
    else cancelled.addEventListener('abort', cancel, { once: true });
  };
  try {
    const { jobId, outputs } = await ctx.workflow.executor.run(kind, job, { who: caller.name, timeoutMs: ctx.jobTimeoutMs, onStarted });
    return { jobId, port: { switchId: sw.id, port: input.port, config: portAfter(outputs), owner: input.owner ?? '' } };
  } catch (err) {
    if (!(err instanceof JobFailedError)) throw err;
    ctx.logger.warn('job failed', { job: err.jobId, kind, switch: sw.id, port: input.port, error: err.message });
    throw jobError(err);
  }
}

/** Configures a port for `req.owner`; refuses ports another owner holds. */
export async function applyPortConfig(ctx: EngineContext, req: PortRequest, caller: ApiTokenRecord, cancelled: AbortSignal): Promise<ApplyResult> {
  if (!req.owner) throw EngineApiError.field('invalid_argument', 'owner', 'owner is required: who claims the port, e.g. "terraform:maestro_switch_port"');
  const sw = await requireSwitch(ctx, req.switchId);
  return ctx.locks.run(`port:${sw.id}/${req.port}`, async () => {
    await checkOwner(ctx, await requirePort(ctx, sw, req.port), req.owner);
    return runPortJob(ctx, caller, cancelled, 'port.configure', sw, { port: req.port, config: req.config, owner: req.owner });
  });
}

/** Puts a port back into the quarantine configuration and drops its owner. */
export async function releasePort(ctx: EngineContext, switchId: string, port: string, caller: ApiTokenRecord, cancelled: AbortSignal): Promise<ApplyResult> {
  const sw = await requireSwitch(ctx, switchId);
  const config = quarantineConfig(await quarantineVlan(ctx));
  return ctx.locks.run(`port:${sw.id}/${port}`, async () => {
    await requirePort(ctx, sw, port);
    return runPortJob(ctx, caller, cancelled, 'port.release', sw, { port, config, owner: null });
  });
}
