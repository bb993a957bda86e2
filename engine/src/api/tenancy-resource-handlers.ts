// CreateTenancy, GetTenancy, FindTenancy, ListTenancies, UpdateTenancy, DeleteTenancy, ValidateTenancy: tenancies as
// named segments. Create and delete run as jobs (tenancy.create / tenancy.delete) that reach every leaf switch.

import { randomBytes } from 'node:crypto';
import { AllocationError } from '../domain/allocation-error';
import type { FieldViolation } from '../domain/port-config';
import { TENANCY_FIELDS, tenancyValueViolations } from '../domain/tenancy';
import { DeviceError } from '../drivers/switch/driver';
import { tenancyNetworkViolations } from '../ipam/tenancy-network-check';
import type { ApiTokenRecord } from '../store/store';
import type { TenancyRecord } from '../store/tenancy-store';
import { JobCancelledError, JobDeadlineError, JobFailedError } from '../workflow/job-errors';
import { vlansOf } from '../workflow/switch-gateway';
import type { TenancyCreateInput } from '../workflow/tenancy-create';
import type { TenancyDeleteInput } from '../workflow/tenancy-delete';
import { leafSwitches } from '../workflow/tenancy-segment';
import { EngineApiError } from './api-error';
import type { EngineContext } from './engine-context';
import { CALL_CANCELLED } from './port-handlers';
import type { ApiErrorCode } from './status';
import {
  tenancyRequestFromWire, tenancyToWire, type TenancyValidateRequest, type WireTenancyRequest,
} from './tenancy-wire';

type Handler = (ctx: EngineContext, req: any, caller: ApiTokenRecord, cancelled: AbortSignal) => Promise<object>;

const label = (t: TenancyRecord) => `tenancy "${t.name}" (${t.id})`;

/**
 * Every reason CreateTenancy would refuse `req` before any job starts (or an
 * update of tenancy `req.id` would clash): bad values, a name another tenancy
 * holds, network values outside the pool or held by another tenancy, a pool
 * with nothing left. Reads the store only; [] = acceptable.
 */
export async function validateTenancy(ctx: EngineContext, req: TenancyValidateRequest): Promise<FieldViolation[]> {
  const values = tenancyValueViolations(req);
  const all = await ctx.store.tenancies.listTenancies();
  const others = all.filter((t) => t.id !== req.id);
  const holder = others.find((t) => t.name === req.name);
  const nameTaken = holder ? [{ field: TENANCY_FIELDS.name, reason: `the name "${req.name}" is taken by ${label(holder)}` }] : [];
  const names = new Map(all.map((t) => [t.id, label(t)]));
  const networks = (await ctx.store.allocation.listTenancyNetworks()).filter((n) => n.tenancyId !== req.id);
  const view = { pools: await ctx.store.allocation.listPools(), networks, holderName: (id: string) => names.get(id) ?? `tenancy ${id}` };
  return [...values, ...nameTaken, ...tenancyNetworkViolations(view, req)];
}

/** What still uses the tenancy: its instances, servers (and the instances on them), IPs, and owned switch ports in its VLAN. */
async function attachments(ctx: EngineContext, t: TenancyRecord): Promise<string[]> {
  const { allocation } = ctx.store;
  const servers = (await allocation.listServers()).filter((s) => s.tenancyId === t.id).map((s) =>
    s.owner?.startsWith('instance:') ? `instance ${s.owner.slice('instance:'.length)} (server ${s.id})` : `server ${s.id}${s.owner ? ` (owner ${s.owner})` : ''}`);
  const named = new Set(servers.map((line) => line.split(' ')[1]));
  const instances = (await ctx.store.instances.listInstances({ tenancyId: t.id })).filter((i) => !named.has(i.id))
    .map((i) => `instance ${i.id} (${i.state}${i.serverId ? `, server ${i.serverId}` : ''})`);
  const ips = (await allocation.listIps(t.id)).map((ip) => `IP ${ip.address} (owner ${ip.owner})`);
  const vlan = t.network?.vlan;
  const ports: string[] = [];
  for (const sw of vlan === undefined ? [] : await ctx.store.listSwitches()) {
    for (const p of await ctx.store.listPorts(sw.id)) {
      if (p.owner && p.desired && vlansOf(p.desired).includes(vlan!)) ports.push(`port ${sw.id}/${p.name} (owner ${p.owner})`);
    }
  }
  return [...instances, ...servers, ...ips, ...ports];
}

async function refuseWhileAttached(ctx: EngineContext, t: TenancyRecord, what: string): Promise<void> {
  const attached = await attachments(ctx, t);
  if (attached.length === 0) return;
  throw new EngineApiError('failed_precondition', `cannot ${what} ${label(t)}: it is still used by ${attached.join(', ')}; release those first`);
}

async function requireTenancy(ctx: EngineContext, id: string): Promise<TenancyRecord> {
  const t = await ctx.store.tenancies.getTenancy(id);
  if (!t) throw EngineApiError.field('not_found', 'id', `no tenancy with id "${id}"; \`maestro tenancies list\` or ListTenancies shows them`);
  return t;
}

function requireState(t: TenancyRecord, what: string): void {
  if (t.state !== 'active') throw new EngineApiError('failed_precondition', `cannot ${what} ${label(t)} while it is ${t.state}; wait for its job to end`);
}

function jobCode(cause: unknown): ApiErrorCode {
  if (cause instanceof AllocationError) return 'failed_precondition';
  if (cause instanceof DeviceError) return cause.retryable ? 'unavailable' : 'failed_precondition';
  if (cause instanceof JobDeadlineError) return 'deadline_exceeded';
  if (cause instanceof JobCancelledError) return 'aborted';
  return 'internal';
}

/** Runs a tenancy job to its end; a cancelled call cancels the job (which then undoes what it did). */
async function runJob(ctx: EngineContext, caller: ApiTokenRecord, cancelled: AbortSignal, kind: string, input: object): Promise<string> {
  const onStarted = (jobId: string) => {
    const cancel = () => void ctx.workflow.executor.cancel(jobId, CALL_CANCELLED);
    if (cancelled.aborted) cancel();
    else cancelled.addEventListener('abort', cancel, { once: true });
  };
  try {
    return (await ctx.workflow.executor.run(kind, input, { who: caller.name, timeoutMs: ctx.jobTimeoutMs, onStarted })).jobId;
  } catch (err) {
    if (!(err instanceof JobFailedError)) throw err;
    ctx.logger.warn('job failed', { job: err.jobId, kind, error: err.message });
    throw new EngineApiError(jobCode(err.cause), `job ${err.jobId} (${kind}) failed: ${err.message}; \`maestro jobs get ${err.jobId}\` shows every step`);
  }
}

async function createTenancy(ctx: EngineContext, req: TenancyValidateRequest, caller: ApiTokenRecord, cancelled: AbortSignal) {
  const plain = { ...req, id: undefined, description: req.description ?? '' };
  const bad = tenancyValueViolations(plain);
  if (bad.length > 0) throw new EngineApiError('invalid_argument', bad.map((v) => `${v.field}: ${v.reason}`).join('; '), bad);
  const refused = await validateTenancy(ctx, plain);
  if (refused.length > 0) throw new EngineApiError('failed_precondition', refused.map((v) => `${v.field}: ${v.reason}`).join('; '), refused);
  const input: TenancyCreateInput = {
    tenancyId: `tn-${randomBytes(6).toString('hex')}`, name: req.name, description: plain.description,
    vlan: req.vlan, vni: req.vni, cidr: req.cidr, mtu: req.mtu, switchIds: await leafSwitches(ctx.store),
  };
  const jobId = await runJob(ctx, caller, cancelled, 'tenancy.create', input);
  return { jobId, tenancy: tenancyToWire((await ctx.store.tenancies.getTenancy(input.tenancyId))!) };
}

/**
 * Description: store only. MTU: recorded for the ports configured into the
 * tenancy from now on (a VLAN itself carries no MTU on any dialect), so it is
 * refused while anything is attached, whose ports still have the old one.
 */
async function updateTenancy(ctx: EngineContext, req: { id: string; description?: string; mtu?: number }) {
  const t = await requireTenancy(ctx, req.id);
  requireState(t, 'update');
  const bad = tenancyValueViolations({ description: req.description, mtu: req.mtu });
  if (bad.length > 0) throw new EngineApiError('invalid_argument', bad.map((v) => `${v.field}: ${v.reason}`).join('; '), bad);
  if (req.mtu !== undefined && req.mtu !== t.network?.mtu) await refuseWhileAttached(ctx, t, 'change the MTU of');
  await ctx.store.tenancies.updateTenancy(t.id, { description: req.description, mtu: req.mtu });
  return tenancyToWire((await ctx.store.tenancies.getTenancy(t.id))!);
}

async function deleteTenancy(ctx: EngineContext, id: string, caller: ApiTokenRecord, cancelled: AbortSignal) {
  const t = await requireTenancy(ctx, id);
  requireState(t, 'delete');
  await refuseWhileAttached(ctx, t, 'delete');
  if (!t.network) throw new EngineApiError('internal', `${label(t)} is active but has no network; \`maestro doctor\` may tell why`);
  const input: TenancyDeleteInput = { tenancyId: t.id, name: t.name, network: t.network, switchIds: await leafSwitches(ctx.store) };
  return { jobId: await runJob(ctx, caller, cancelled, 'tenancy.delete', input) };
}

/** The tenancy RPCs by proto method name; server.ts registers them. */
export const tenancyResourceRpcs: Record<string, Handler> = {
  CreateTenancy: (ctx, req: WireTenancyRequest, caller, cancelled) => createTenancy(ctx, tenancyRequestFromWire(req), caller, cancelled),
  GetTenancy: async (ctx, req: { id: string }) => tenancyToWire(await requireTenancy(ctx, req.id)),
  FindTenancy: async (ctx, req: { name: string }) => {
    const t = await ctx.store.tenancies.findTenancy(req.name);
    if (!t) throw EngineApiError.field('not_found', 'name', `no tenancy named "${req.name}"`);
    return tenancyToWire(t);
  },
  ListTenancies: async (ctx) => ({ tenancies: (await ctx.store.tenancies.listTenancies()).map(tenancyToWire) }),
  UpdateTenancy: (ctx, req: { id: string; description?: string; mtu?: number }) => updateTenancy(ctx, req),
  DeleteTenancy: (ctx, req: { id: string }, caller, cancelled) => deleteTenancy(ctx, req.id, caller, cancelled),
  ValidateTenancy: async (ctx, req: WireTenancyRequest) => ({ violations: await validateTenancy(ctx, tenancyRequestFromWire(req)) }),
};
