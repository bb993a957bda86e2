// CreateInstance, GetInstance, ListInstances, UpdateInstance, DeleteInstance, ValidateInstance: server instances.
// Create, update and delete run as jobs (instance.create / instance.update / instance.delete) that the call waits for;
// a cancelled call cancels its job. GetInstance with observe reads the BMC and the switch ports and reports drift.

import type { FieldViolation, PortConfig } from '../domain/port-config';
import type { PowerState } from '../drivers/bmc/bmc';
import { hostnameViolation, normalizeSshPublicKey, sshPublicKeyViolation } from '../drivers/os/os-grammar';
import { foreignPortHolders } from '../placement';
import type { ServerRecord } from '../store/allocation-store';
import {
  instanceOwner, newInstanceId, type InstancePowerState, type InstanceRecord,
} from '../store/instance-store';
import type { ApiTokenRecord } from '../store/store';
import type { TenancyRecord } from '../store/tenancy-store';
import { inventoryBmcAccess, type BmcAccess } from '../workflow/bmc-access';
import type { InstanceCreateInput } from '../workflow/instance-create';
import type { InstanceDeleteInput } from '../workflow/instance-delete';
import type { InstanceUpdateInput, InstanceUpdateValues } from '../workflow/instance-update';
import { errorText, JobCancelledError, JobDeadlineError, JobFailedError } from '../workflow/job-errors';
import { EngineApiError } from './api-error';
import type { EngineContext } from './engine-context';
import {
  createRequestFromWire, instanceToWire, updateRequestFromWire, validateRequestFromWire, type InstanceCreateRequest, type InstanceInfo,
  type InstanceUpdateRequest, type InstanceValidateRequest, type WireCreateInstanceRequest, type WireUpdateInstanceRequest,
  type WireValidateInstanceRequest,
} from './instance-wire';
import { CALL_CANCELLED } from './port-handlers';
import type { ApiErrorCode } from './status';

type Handler = (ctx: EngineContext, req: any, caller: ApiTokenRecord, cancelled: AbortSignal) => Promise<object>;

/** The terraform attribute names violations are reported on. */
export const INSTANCE_FIELDS = {
  tenancyId: 'tenancy_id', profile: 'profile', serverId: 'server_id', image: 'image', hostname: 'hostname',
  sshAuthorizedKeys: 'ssh_authorized_keys', userData: 'user_data', powerState: 'power_state',
} as const;

/** user_data larger than this is refused (cloud-init's own limit on most clouds is 16-64 KiB). */
export const USER_DATA_MAX_BYTES = 64 * 1024;

/** Deadline of instance jobs when the caller gives none (installs take minutes); the provider's default timeouts match. */
export const INSTANCE_JOB_DEFAULT_MS = 30 * 60_000;

const F = INSTANCE_FIELDS;

const POWER_STATES: readonly string[] = ['on', 'off'];

// ---------------------------------------------------------------------------------------------------------------
// Validation

/** Checks of the values alone (no store): hostname, keys, power state, user data. */
export function instanceValueViolations(req: InstanceValidateRequest): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (req.hostname !== undefined) {
    const bad = hostnameViolation(F.hostname, req.hostname);
    if (bad) out.push(bad);
  }
  (req.sshAuthorizedKeys ?? []).forEach((key, i) => {
    const bad = sshPublicKeyViolation(F.sshAuthorizedKeys, key);
    if (bad) out.push({ field: F.sshAuthorizedKeys, reason: `key ${i + 1}: ${bad.reason}` });
  });
  if (req.powerState !== undefined && !POWER_STATES.includes(req.powerState)) {
    out.push({ field: F.powerState, reason: `power_state must be "on" or "off", not ${JSON.stringify(req.powerState)}` });
  }
  if (req.userData !== undefined) {
    const bytes = Buffer.byteLength(req.userData, 'utf8');
    if (bytes > USER_DATA_MAX_BYTES) out.push({ field: F.userData, reason: `user_data is ${bytes} bytes; at most ${USER_DATA_MAX_BYTES} (64 KiB) are accepted` });
    if (req.userData.includes('\u0000')) out.push({ field: F.userData, reason: 'user_data must not contain NUL characters' });
  }
  return out;
}

const tenancyLabel = (t: TenancyRecord) => `tenancy "${t.name}" (${t.id})`;

async function tenancyViolations(ctx: EngineContext, tenancyId: string): Promise<FieldViolation[]> {
  const t = await ctx.store.tenancies.getTenancy(tenancyId);
  if (!t) return [{ field: F.tenancyId, reason: `no tenancy with id "${tenancyId}"; \`maestro tenancies list\` or ListTenancies shows them` }];
  if (t.state !== 'active' || !t.network) return [{ field: F.tenancyId, reason: `${tenancyLabel(t)} is ${t.state}, not active; wait for its job to end` }];
  return [];
}

/** Available and cleaned, or already held by `own` (the instance being updated or replaced gives its server back first). */
const usable = (s: ServerRecord, own: string | undefined) => (s.state === 'available' && !s.needsCleaning) || (own !== undefined && s.owner === own);

/** `2 active, 1 maintenance, 1 available but not cleaned`. */
function statesText(servers: ServerRecord[]): string {
  const counts = new Map<string, number>();
  for (const s of servers) {
    const key = s.state === 'available' && s.needsCleaning ? 'available but not cleaned' : s.state;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

async function serverViolations(ctx: EngineContext, req: InstanceValidateRequest): Promise<FieldViolation[]> {
  const profiles = await ctx.store.allocation.listProfiles();
  const out: FieldViolation[] = [];
  const profileKnown = req.profile !== undefined && profiles.some((p) => p.name === req.profile);
  if (req.profile !== undefined && !profileKnown) {
    const known = profiles.length === 0 ? 'inventory declares no profiles' : `known: ${profiles.map((p) => p.name).join(', ')}`;
    out.push({ field: F.profile, reason: `unknown profile "${req.profile}"; ${known}` });
  }
  const servers = await ctx.store.allocation.listServers();
  const own = req.id === undefined ? undefined : instanceOwner(req.id);
  // Held ports are asked about only for the servers below that can be refused for them: the pinned one, or the profile's.
  const asked = servers.filter((s) => (req.serverId !== undefined ? s.id === req.serverId : s.profile === req.profile));
  const held = await foreignPortHolders(ctx.store, asked, own);
  if (req.serverId !== undefined) {
    const s = servers.find((x) => x.id === req.serverId);
    if (!s) out.push({ field: F.serverId, reason: `no server "${req.serverId}" in inventory; \`maestro servers list\` shows them` });
    else if (profileKnown && s.profile !== req.profile) out.push({ field: F.serverId, reason: `server "${s.id}" is of profile "${s.profile}", not "${req.profile}"` });
    else if (held.has(s.id) && s.owner !== own) out.push({ field: F.serverId, reason: `server "${s.id}" cannot be used: ${held.get(s.id)}; release that port first` });
    else if (!usable(s, own)) {
      const why = s.state !== 'available'
        ? `server "${s.id}" is ${s.state}${s.owner ? ` (owner "${s.owner}")` : ''}${s.stateReason ? `: ${s.stateReason}` : ''}`
        : `server "${s.id}" is available but was not cleaned since its last use; clean it first`;
      out.push({ field: F.serverId, reason: `${why}; an instance needs an available, cleaned server` });
    }
    return out;
  }
  if (!profileKnown) return out;
  const ofProfile = servers.filter((s) => s.profile === req.profile);
  if (!ofProfile.some((s) => usable(s, own) && !held.has(s.id))) {
    const blocked = ofProfile.filter((s) => usable(s, own) && held.has(s.id)).map((s) => `${s.id}: ${held.get(s.id)}`);
    const exist = ofProfile.length === 0 ? 'inventory has no server of this profile'
      : `${ofProfile.length} exist (${statesText(ofProfile)})${blocked.length > 0 ? `; available but cabled to ports others hold: ${blocked.join('; ')}` : ''}`;
    out.push({ field: F.profile, reason: `no available cleaned server of profile "${req.profile}": ${exist}` });
  }
  return out;
}

async function imageViolations(ctx: EngineContext, image: string): Promise<FieldViolation[]> {
  if (await ctx.store.getImage(image)) return [];
  const images = await ctx.store.listImages();
  const known = images.length === 0 ? 'inventory declares no images (images: in the inventory file)' : `known: ${images.map((i) => i.name).join(', ')}`;
  return [{ field: F.image, reason: `unknown image "${image}"; ${known}` }];
}

/** What refers to the store: tenancy, profile and capacity, pinned server, image. */
async function referenceViolations(ctx: EngineContext, req: InstanceValidateRequest): Promise<FieldViolation[]> {
  return [
    ...(req.tenancyId === undefined ? [] : await tenancyViolations(ctx, req.tenancyId)),
    ...await serverViolations(ctx, req),
    ...(req.image === undefined ? [] : await imageViolations(ctx, req.image)),
  ];
}

/**
 * Every reason CreateInstance would refuse `req` (or the update/replacement of
 * instance `req.id` would), reading the store only. Unset fields are not
 * checked. [] = acceptable.
 */
export async function validateInstance(ctx: EngineContext, req: InstanceValidateRequest): Promise<FieldViolation[]> {
  return [...instanceValueViolations(req), ...await referenceViolations(ctx, req)];
}

const joined = (v: FieldViolation[]) => v.map((x) => `${x.field}: ${x.reason}`).join('; ');

// ---------------------------------------------------------------------------------------------------------------
// Instance as the API shows it

/** The record with its server's NICs, ports and BMC and its tenancy's prefix and gateway. */
async function instanceInfo(ctx: EngineContext, r: InstanceRecord): Promise<InstanceInfo> {
  const server = r.serverId === null ? undefined : await ctx.store.allocation.getServer(r.serverId);
  const tenancy = await ctx.store.tenancies.getTenancy(r.tenancyId);
  const cidr = r.ipAddress === null ? undefined : tenancy?.network?.cidr;
  return {
    id: r.id, tenancyId: r.tenancyId, profile: r.profile, serverId: r.serverId, image: r.image,
    hostname: r.hostname || r.serverId || '', sshAuthorizedKeys: r.sshAuthorizedKeys, userData: r.userData,
    powerState: r.powerState, secureEraseOnDelete: r.secureEraseOnDelete, ipAddress: r.ipAddress,
    prefixLength: cidr === undefined ? 0 : Number(cidr.split('/')[1]), gateway: cidr === undefined ? '' : tenancy!.network!.gateway,
    macAddresses: server?.nics.map((n) => n.mac) ?? [],
    switchPorts: server?.nics.flatMap((n) => (n.cabledTo ? [{ switchId: n.cabledTo.switchId, port: n.cabledTo.port, nic: n.name, mac: n.mac }] : [])) ?? [],
    bmcEndpoint: server?.bmc.endpoint ?? '', state: r.state, stateReason: r.stateReason, createdAt: r.createdAt, jobId: r.jobId,
    observedPowerState: '', observedTenancyId: '', drift: [],
  };
}

async function requireInstance(ctx: EngineContext, id: string): Promise<InstanceRecord> {
  const r = await ctx.store.instances.getInstance(id);
  if (!r) throw EngineApiError.field('not_found', 'id', `no instance with id "${id}"; \`maestro instances list\` or ListInstances shows them`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// Observation (GetInstance with observe)

/** The BMC access the workflow's jobs use when the runtime exposes it, else one from inventory. */
function bmcAccessOf(ctx: EngineContext): BmcAccess {
  const exposed = (ctx.workflow as { bmc?: BmcAccess; services?: { bmc?: BmcAccess } });
  return exposed.bmc ?? exposed.services?.bmc ?? inventoryBmcAccess(ctx.store, ctx.cipher);
}

const powerOf = (p: PowerState): 'on' | 'off' | 'unknown' => (p === 'On' || p === 'PoweringOn' ? 'on' : p === 'Off' || p === 'PoweringOff' ? 'off' : 'unknown');

async function observePower(ctx: EngineContext, r: InstanceRecord, server: ServerRecord): Promise<{ power: string; drift: string[] }> {
  let driver;
  try {
    driver = await bmcAccessOf(ctx).open(server);
    const power = powerOf(await driver.power.getPowerState());
    if (power === 'unknown') return { power, drift: [`bmc:${server.id} reports no clear power state`] };
    return { power, drift: power === r.powerState ? [] : [`bmc:${server.id} is powered ${power}, intended ${r.powerState}`] };
  } catch (err) {
    return { power: 'unknown', drift: [`bmc:${server.id}: cannot read the power state: ${errorText(err)}`] };
  } finally {
    await driver?.close();
  }
}

function portText(cfg: PortConfig): string {
  if (cfg.mode === 'access') return `in VLAN ${cfg.accessVlan}`;
  return `a trunk (allowed ${cfg.allowedVlans?.join(',') ?? 'none'}${cfg.nativeVlan === null ? '' : `, native ${cfg.nativeVlan}`})`;
}

/** Reads every cabled port (coalesced per switch with other reads) and compares it with the tenancy's VLAN and the owner. */
async function observePorts(ctx: EngineContext, r: InstanceRecord, server: ServerRecord): Promise<{ tenancyId: string; drift: string[] }> {
  const tenancies = await ctx.store.tenancies.listTenancies();
  const byVlan = new Map(tenancies.filter((t) => t.network).map((t) => [t.network!.vlan, t]));
  const segments = new Map<number, string>();
  for (const name of ['quarantine', 'provisioning']) {
    const seg = await ctx.store.getSegment(name);
    if (seg) segments.set(seg.vlan, name);
  }
  const vlanName = (v: number | null) => {
    if (v === null) return '';
    const t = byVlan.get(v);
    return t ? ` (tenancy "${t.name}")` : segments.has(v) ? ` (${segments.get(v)})` : '';
  };
  const intended = tenancies.find((t) => t.id === r.tenancyId);
  const wantVlan = intended?.network?.vlan;
  const want = wantVlan === undefined ? `tenancy ${r.tenancyId}, which has no VLAN` : `${wantVlan}${vlanName(wantVlan)}`;
  const owner = instanceOwner(r.id);
  const ports = server.nics.flatMap((n) => (n.cabledTo ? [n.cabledTo] : []));
  const seen = await Promise.all(ports.map(async ({ switchId, port }) => {
    const where = `${switchId}/${port}`;
    const drift: string[] = [];
    const record = await ctx.store.getPort(switchId, port);
    if (record && record.owner !== owner) drift.push(`${where} is owned by ${record.owner === null ? 'nobody' : `"${record.owner}"`}, not ${owner}`);
    try {
      const cfg = await ctx.workflow.switches.readPort(switchId, port);
      const vlan = cfg.mode === 'access' ? cfg.accessVlan : null;
      if (vlan === null || vlan !== wantVlan) drift.push(`${where} is ${portText(cfg)}${vlanName(vlan)}, not ${want}`);
      return { vlan, drift };
    } catch (err) {
      return { vlan: null, drift: [...drift, `${where}: cannot read the port: ${errorText(err)}`] };
    }
  }));
  const vlans = new Set(seen.map((s) => s.vlan));
  const only = vlans.size === 1 ? [...vlans][0] : null;
  const tenancyId = ports.length > 0 && only !== null ? byVlan.get(only)?.id ?? '' : '';
  return { tenancyId, drift: seen.flatMap((s) => s.drift) };
}

/** The instance with observed power state, observed tenancy and drift, read from the BMC and the switches in parallel. */
async function observe(ctx: EngineContext, r: InstanceRecord, info: InstanceInfo): Promise<InstanceInfo> {
  const server = r.serverId === null ? undefined : await ctx.store.allocation.getServer(r.serverId);
  if (!server) return { ...info, drift: r.serverId === null ? ['no server is allocated yet'] : [`server "${r.serverId}" is no longer in inventory`] };
  const [power, ports] = await Promise.all([observePower(ctx, r, server), observePorts(ctx, r, server)]);
  return { ...info, observedPowerState: power.power, observedTenancyId: ports.tenancyId, drift: [...power.drift, ...ports.drift] };
}

// ---------------------------------------------------------------------------------------------------------------
// Jobs

function jobCode(cause: unknown): ApiErrorCode {
  if (cause instanceof JobDeadlineError) return 'deadline_exceeded';
  if (cause instanceof JobCancelledError) return 'aborted';
  if ((cause as { retryable?: unknown })?.retryable === true) return 'unavailable';
  return 'failed_precondition';
}

/** A job that failed, with its message (the step and the device) and how to see every step. */
export class InstanceJobError extends EngineApiError {
  constructor(readonly failure: JobFailedError, kind: string) {
    super(jobCode(failure.cause), `job ${failure.jobId} (${kind}) failed: ${failure.message}; \`maestro jobs get ${failure.jobId}\` shows every step`);
  }
}

const deadlineMs = (ctx: EngineContext, timeoutSeconds: number | undefined) =>
  timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds * 1000 : Math.max(ctx.jobTimeoutMs, INSTANCE_JOB_DEFAULT_MS);

/**
 * Runs an instance job to its end, recording it as the instance's last job as
 * soon as it starts. A cancelled call cancels the job. Throws InstanceJobError
 * when the job fails.
 */
async function runInstanceJob(ctx: EngineContext, caller: ApiTokenRecord, cancelled: AbortSignal, kind: string, instanceId: string,
  input: object, timeoutSeconds: number | undefined): Promise<string> {
  const onStarted = (jobId: string) => {
    void ctx.store.instances.updateInstance(instanceId, { jobId }).catch(() => undefined);
    const cancel = () => void ctx.workflow.executor.cancel(jobId, CALL_CANCELLED);
    if (cancelled.aborted) cancel();
    else cancelled.addEventListener('abort', cancel, { once: true });
  };
  try {
    return (await ctx.workflow.executor.run(kind, input, { who: caller.name, timeoutMs: deadlineMs(ctx, timeoutSeconds), onStarted })).jobId;
  } catch (err) {
    if (!(err instanceof JobFailedError)) throw err;
    ctx.logger.warn('job failed', { job: err.jobId, kind, instance: instanceId, error: err.message });
    throw new InstanceJobError(err, kind);
  }
}

/** Refuses while another job of the instance runs (creating, updating, deleting with an unfinished job). */
async function requireIdle(ctx: EngineContext, r: InstanceRecord, what: string): Promise<void> {
  if (r.state === 'active' || r.state === 'failed') return;
  const job = r.jobId === null ? undefined : await ctx.store.journal.getJob(r.jobId);
  const running = job === undefined ? r.jobId === null : job.state === 'pending' || job.state === 'running';
  if (!running) return;
  const which = r.jobId === null ? 'its job is starting' : `job ${r.jobId} runs; \`maestro jobs watch ${r.jobId}\` follows it, \`maestro jobs cancel ${r.jobId}\` stops it`;
  throw new EngineApiError('failed_precondition', `cannot ${what} instance ${r.id} while it is ${r.state} (${which})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

const required = (req: InstanceCreateRequest): FieldViolation[] => [
  ...(req.tenancyId ? [] : [{ field: F.tenancyId, reason: 'tenancy_id is required' }]),
  ...(req.profile ? [] : [{ field: F.profile, reason: 'profile is required' }]),
  ...(req.image ? [] : [{ field: F.image, reason: 'image is required: a name under images: in inventory' }]),
];

/** Validates, stores the instance (creating), runs `instance.create`; a failed or cancelled job leaves no instance. */
export async function createInstance(ctx: EngineContext, req: InstanceCreateRequest, caller: ApiTokenRecord, cancelled: AbortSignal,
  timeoutSeconds?: number): Promise<{ jobId: string; instance: InstanceInfo }> {
  const bad = [...required(req), ...instanceValueViolations(req)];
  if (bad.length > 0) throw new EngineApiError('invalid_argument', joined(bad), bad);
  const refused = await referenceViolations(ctx, req);
  if (refused.length > 0) throw new EngineApiError('failed_precondition', joined(refused), refused);
  const record: InstanceRecord = {
    id: newInstanceId(), tenancyId: req.tenancyId, profile: req.profile, serverId: req.serverId ?? null, image: req.image,
    hostname: req.hostname ?? req.serverId ?? '', sshAuthorizedKeys: (req.sshAuthorizedKeys ?? []).map(normalizeSshPublicKey),
    userData: req.userData ?? '', powerState: req.powerState ?? 'on', secureEraseOnDelete: req.secureEraseOnDelete ?? true,
    ipAddress: null, state: 'creating', stateReason: null, createdAt: new Date().toISOString(), jobId: null,
  };
  await insertRecord(ctx, record);
  let jobId: string;
  try {
    jobId = await runInstanceJob(ctx, caller, cancelled, 'instance.create', record.id, await createJobInput(ctx, record), timeoutSeconds);
  } catch (err) {
    throw await afterFailedCreate(ctx, record.id, err);
  }
  const after = await ctx.store.instances.getInstance(record.id);
  if (!after) throw new EngineApiError('internal', `instance ${record.id} disappeared while job ${jobId} created it`);
  return { jobId, instance: await instanceInfo(ctx, after) };
}

/**
 * A create that failed was compensated: the record goes too, so no instance
 * remains. Only when an undo failed for good (the server still held by the
 * instance, out of service) the record stays `failed`, so DeleteInstance can
 * finish the teardown; the error says so.
 */
async function afterFailedCreate(ctx: EngineContext, id: string, err: unknown): Promise<unknown> {
  const owner = instanceOwner(id);
  const server = (await ctx.store.allocation.listServers()).find((s) => s.owner === owner);
  const ip = (await ctx.store.allocation.listIps()).find((i) => i.owner === owner);
  if (!server && !ip) {
    await ctx.store.instances.deleteInstance(id);
    return err;
  }
  const held = [server && `server ${server.id} (${server.state})`, ip && `address ${ip.address}`].filter(Boolean).join(' and ');
  if (!(err instanceof EngineApiError)) return err;
  return new EngineApiError(err.code, `${err.message}; instance ${id} is kept (failed) because it still holds ${held}: DeleteInstance ${id} finishes the teardown`, err.violations);
}

/** Stores the new instance; a server pinned by another instance meanwhile (a concurrent create) is refused on server_id. */
async function insertRecord(ctx: EngineContext, record: InstanceRecord): Promise<void> {
  try {
    await ctx.store.instances.insertInstance(record);
  } catch (err) {
    if (record.serverId === null || !/UNIQUE/i.test(errorText(err))) throw err;
    const holder = (await ctx.store.instances.listInstances()).find((i) => i.serverId === record.serverId);
    throw EngineApiError.field('failed_precondition', F.serverId, `server "${record.serverId}" is taken by instance ${holder?.id ?? '(another)'}`);
  }
}

/** The `instance.create` job's input: the record's values with the tenancy's VLAN and the image as inventory has it now. */
async function createJobInput(ctx: EngineContext, r: InstanceRecord): Promise<InstanceCreateInput> {
  const tenancy = await ctx.store.tenancies.getTenancy(r.tenancyId);
  const image = await ctx.store.getImage(r.image);
  if (!tenancy?.network) throw EngineApiError.field('failed_precondition', F.tenancyId, `tenancy ${r.tenancyId} has no network`);
  if (!image) throw EngineApiError.field('failed_precondition', F.image, `unknown image "${r.image}"`);
  return {
    instanceId: r.id, profile: r.profile, ...(r.serverId === null ? {} : { serverId: r.serverId }), tenancyId: r.tenancyId,
    tenancyVlan: tenancy.network.vlan, image: { name: image.name, url: image.url, installTimeoutS: image.installTimeoutS },
    ...(r.hostname === '' ? {} : { hostname: r.hostname }), sshAuthorizedKeys: r.sshAuthorizedKeys, userData: r.userData, powerState: r.powerState,
  };
}

/**
 * Tenancy, power, hostname and keys converge through an `instance.update` job
 * (given fields only; it also repairs their drift); secure_erase_on_delete is
 * stored only. jobId "" when nothing needed a device.
 */
export async function updateInstance(ctx: EngineContext, req: InstanceUpdateRequest, caller: ApiTokenRecord, cancelled: AbortSignal,
  timeoutSeconds?: number): Promise<{ jobId: string; instance: InstanceInfo }> {
  const r = await requireInstance(ctx, req.id);
  await requireIdle(ctx, r, 'update');
  const values = { hostname: req.hostname, sshAuthorizedKeys: req.sshAuthorizedKeys, powerState: req.powerState };
  const bad = instanceValueViolations(values);
  if (bad.length > 0) throw new EngineApiError('invalid_argument', joined(bad), bad);
  const refused = req.tenancyId === undefined ? [] : await tenancyViolations(ctx, req.tenancyId);
  if (refused.length > 0) throw new EngineApiError('failed_precondition', joined(refused), refused);
  const deviceWork = req.tenancyId !== undefined || req.powerState !== undefined || req.hostname !== undefined || req.sshAuthorizedKeys !== undefined;
  if (!deviceWork) {
    if (req.secureEraseOnDelete !== undefined) await ctx.store.instances.updateInstance(r.id, { secureEraseOnDelete: req.secureEraseOnDelete });
    return { jobId: '', instance: await instanceInfo(ctx, (await ctx.store.instances.getInstance(r.id))!) };
  }
  if (r.serverId === null) throw new EngineApiError('failed_precondition', `instance ${r.id} has no server (state ${r.state}); delete it and create it again`);
  const input = await updateJobInput(ctx, r, r.serverId, req);
  await ctx.store.instances.updateInstance(r.id, { state: 'updating', stateReason: null });
  let jobId: string;
  try {
    jobId = await runInstanceJob(ctx, caller, cancelled, 'instance.update', r.id, input, timeoutSeconds);
  } catch (err) {
    // The job put the previous values back (active again) or, when an undo failed for good, left the instance failed.
    const now = await ctx.store.instances.getInstance(r.id);
    if (now?.state === 'updating') await ctx.store.instances.updateInstance(r.id, { state: r.state, stateReason: r.stateReason });
    throw err;
  }
  return { jobId, instance: await instanceInfo(ctx, (await ctx.store.instances.getInstance(r.id))!) };
}

/** `from` is the record as it is (with its tenancy's VLAN and its address); `to` repeats it with the requested changes. */
async function updateJobInput(ctx: EngineContext, r: InstanceRecord, serverId: string, req: InstanceUpdateRequest): Promise<InstanceUpdateInput> {
  const vlanOf = async (tenancyId: string) => {
    const t = await ctx.store.tenancies.getTenancy(tenancyId);
    if (!t?.network) throw EngineApiError.field('failed_precondition', F.tenancyId, `tenancy ${tenancyId} has no network; \`maestro tenancies list\` shows its state`);
    return t.network.vlan;
  };
  const from: InstanceUpdateValues = {
    tenancyId: r.tenancyId, tenancyVlan: await vlanOf(r.tenancyId), powerState: r.powerState, hostname: r.hostname || serverId,
    sshAuthorizedKeys: r.sshAuthorizedKeys, secureEraseOnDelete: r.secureEraseOnDelete,
  };
  const tenancyId = req.tenancyId ?? r.tenancyId;
  const to: InstanceUpdateValues = {
    tenancyId, tenancyVlan: tenancyId === r.tenancyId ? from.tenancyVlan : await vlanOf(tenancyId), powerState: req.powerState ?? r.powerState,
    hostname: req.hostname ?? from.hostname, sshAuthorizedKeys: req.sshAuthorizedKeys?.map(normalizeSshPublicKey) ?? r.sshAuthorizedKeys,
    secureEraseOnDelete: req.secureEraseOnDelete ?? r.secureEraseOnDelete,
  };
  return { instanceId: r.id, serverId, from: { ...from, ipAddress: r.ipAddress }, to, repairPorts: req.tenancyId !== undefined };
}

/**
 * Runs `instance.delete` (power off, erase, ports to quarantine, address and
 * server released, record removed). A failure leaves the instance `failed`
 * with the job's error; calling again runs the teardown again from the top
 * (each step is a no-op when already done).
 */
export async function deleteInstance(ctx: EngineContext, id: string, caller: ApiTokenRecord, cancelled: AbortSignal,
  timeoutSeconds?: number): Promise<{ jobId: string }> {
  const r = await requireInstance(ctx, id);
  await requireIdle(ctx, r, 'delete');
  await ctx.store.instances.updateInstance(r.id, { state: 'deleting', stateReason: null });
  const input: InstanceDeleteInput = { instanceId: r.id, serverId: r.serverId, secureEraseOnDelete: r.secureEraseOnDelete };
  let jobId: string;
  try {
    jobId = await runInstanceJob(ctx, caller, cancelled, 'instance.delete', r.id, input, timeoutSeconds);
  } catch (err) {
    // The job marks the instance failed with why it stopped; a job that never ran a step leaves it deleting.
    const now = await ctx.store.instances.getInstance(r.id);
    if (now && now.state !== 'failed') await ctx.store.instances.updateInstance(r.id, { state: 'failed', stateReason: `delete stopped: ${errorText(err)}; delete the instance again to finish` });
    throw err;
  }
  await ctx.store.instances.deleteInstance(r.id);
  return { jobId };
}

export async function getInstance(ctx: EngineContext, id: string, observeDevices: boolean): Promise<InstanceInfo> {
  const r = await requireInstance(ctx, id);
  const info = await instanceInfo(ctx, r);
  return observeDevices ? observe(ctx, r, info) : info;
}

export async function listInstances(ctx: EngineContext, tenancyId?: string): Promise<InstanceInfo[]> {
  const records = await ctx.store.instances.listInstances(tenancyId ? { tenancyId } : {});
  return Promise.all(records.map((r) => instanceInfo(ctx, r)));
}

/** The instance RPCs by proto method name; server.ts registers them. */
export const instanceRpcs: Record<string, Handler> = {
  CreateInstance: async (ctx, req: WireCreateInstanceRequest, caller, cancelled) => {
    const { jobId, instance } = await createInstance(ctx, createRequestFromWire(req), caller, cancelled, req.timeoutSeconds);
    return { jobId, instance: instanceToWire(instance) };
  },
  GetInstance: async (ctx, req: { id: string; observe: boolean }) => instanceToWire(await getInstance(ctx, req.id, req.observe)),
  ListInstances: async (ctx, req: { tenancyId: string }) => ({ instances: (await listInstances(ctx, req.tenancyId || undefined)).map(instanceToWire) }),
  UpdateInstance: async (ctx, req: WireUpdateInstanceRequest, caller, cancelled) => {
    const { jobId, instance } = await updateInstance(ctx, updateRequestFromWire(req), caller, cancelled, req.timeoutSeconds);
    return { jobId, instance: instanceToWire(instance) };
  },
  DeleteInstance: async (ctx, req: { id: string; timeoutSeconds: number }, caller, cancelled) => deleteInstance(ctx, req.id, caller, cancelled, req.timeoutSeconds),
  ValidateInstance: async (ctx, req: WireValidateInstanceRequest) => ({ violations: await validateInstance(ctx, validateRequestFromWire(req)) }),
};

export type { InstancePowerState };
