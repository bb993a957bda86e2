// EngineClient: the typed client of the engine API, used by the provider shim and the `maestro` CLI.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { checkServerIdentity as tlsCheckServerIdentity, type PeerCertificate } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { FieldViolation } from '../domain/port-config';
import { EngineApiError } from './api-error';
import {
  doctorFromWire, ipFromWire, networkFromWire, profileFromWire, serverFromWire,
  type DoctorReport, type IpAllocationInfo, type ProfileInfo, type ServerInfo, type ServerState, type TenancyNetworkInfo,
  type WireDoctorReport, type WireProfile, type WireServer,
} from './inventory-wire';
import {
  createRequestToWire, instanceFromWire, updateRequestToWire, validateRequestToWire, type InstanceCreateRequest, type InstanceInfo,
  type InstanceJobOptions, type InstanceUpdateRequest, type InstanceValidateRequest, type WireInstance,
} from './instance-wire';
import { engineProto } from './proto';
import { operationFromWire, planRequestToWire, type DeviceOperation, type TenancyProposal, type WirePlannedOperation } from './planner-wire';
import { apiCodeOf, decodeViolations, fromEngine } from './status';
import {
  tenancyFromWire, tenancyRequestToWire, type TenancyCreateRequest, type TenancyInfo, type TenancyValidateRequest, type WireTenancy,
} from './tenancy-wire';
import type { ApplyResult, AuditInfo, AuditQuery, JobInfo, JobQuery, PortRequest, PortState, SwitchInfo } from './types';
import {
  auditFromWire, CLIENT_ID_KEY, jobFromWire, portFromWire, portRequestToWire, switchFromWire, type WireAuditEntry, type WireJob, type WirePort,
  type WireSwitch,
} from './wire';

export { EngineApiError } from './api-error';
export type { DoctorReport, Finding, IpAllocationInfo, ProfileInfo, ServerInfo, ServerState, TenancyNetworkInfo } from './inventory-wire';
export type { ApiErrorCode } from './status';
export type { TenancyCreateRequest, TenancyInfo, TenancyState, TenancyValidateRequest } from './tenancy-wire';
export type {
  InstanceCreateRequest, InstanceInfo, InstanceJobOptions, InstancePortInfo, InstancePowerState, InstanceState, InstanceUpdateRequest,
  InstanceValidateRequest,
} from './instance-wire';
export type { ApplyResult, AuditInfo, AuditQuery, FieldViolation, JobInfo, JobQuery, PortRequest, PortState, SwitchInfo } from './types';

export interface EngineClientOptions {
  /** `host:port` of the engine API. */
  endpoint: string;
  /** Bearer token (the contents of admin.token, or another API token). */
  token: string;
  /** PEM of the certificate the engine presents (its self-signed cert is its own CA). */
  caCertPem: string;
  /** Deadline of reads in ms (default 30 s); port changes get `jobTimeoutMs` (default 180 s). */
  timeoutMs?: number;
  jobTimeoutMs?: number;
}

/** Options of the calls that run a job on the engine. */
export interface JobCallOptions {
  /**
   * Aborting it cancels the call. The engine then cancels the job the call
   * started: the device call in flight finishes, no further step starts, and
   * what the job changed is put back. The call rejects with code `aborted`.
   */
  signal?: AbortSignal;
}

/** What `maestro engine serve` writes to DIR/engine.json while it is listening. */
export interface EngineFile {
  endpoint: string;
  pid: number;
  ca_cert_file: string;
  token_file: string;
}

export const ENGINE_FILE = 'engine.json';

/** The engine's default deadline of instance jobs (instance-handlers.ts INSTANCE_JOB_DEFAULT_MS). */
const INSTANCE_JOB_DEFAULT_MS = 30 * 60_000;
/**
 * How much longer than its job an instance call may take: the job's deadline
 * only stops new steps, so the step in flight finishes and completed steps are
 * undone before the engine answers.
 */
const INSTANCE_CALL_SLACK_MS = 10 * 60_000;

const readTrimmed = (file: string, what: string) => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
};

/**
 * TLS that trusts only `caCertPem`. For an IP endpoint, SNI carries "localhost"
 * (an IP address is not a valid SNI name, and Node warns on every connection)
 * while the certificate is still checked against the IP itself.
 */
function tlsFor(endpoint: string, caCertPem: string): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  const host = endpoint.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (!isIP(host)) return { credentials: grpc.credentials.createSsl(Buffer.from(caCertPem)), options: {} };
  const checkServerIdentity = (_sni: string, cert: PeerCertificate) => tlsCheckServerIdentity(host, cert);
  return {
    credentials: grpc.credentials.createSsl(Buffer.from(caCertPem), null, null, { checkServerIdentity }),
    options: { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': endpoint },
  };
}

/** The rejection of a call its caller cancelled, with why (Ctrl-C, a timeout) when the signal says. */
function cancelledError(method: string, signal: AbortSignal): EngineApiError {
  const why = signal.reason instanceof Error ? signal.reason.message : signal.reason === undefined ? 'aborted' : String(signal.reason);
  return new EngineApiError('aborted', `${method} was cancelled (${why}); the engine stops the job it started and puts back what it changed (\`maestro jobs list\` shows it)`);
}

export class EngineClient {
  private readonly stub: grpc.Client & Record<string, Function>;
  private readonly timeoutMs: number;
  private readonly jobTimeoutMs: number;
  /** Sent with every call (CLIENT_ID_KEY), so the engine can tell this client's reads from another's. */
  private readonly id = randomUUID();

  private constructor(private readonly opts: EngineClientOptions) {
    const Ctor = grpc.makeClientConstructor(engineProto().service, 'Engine');
    const { credentials, options } = tlsFor(opts.endpoint, opts.caCertPem);
    this.stub = new Ctor(opts.endpoint, credentials, options) as any;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.jobTimeoutMs = opts.jobTimeoutMs ?? 180_000;
  }

  /** A client for the engine at `endpoint`. Connects lazily: nothing is sent until the first call. */
  static connect(opts: EngineClientOptions): EngineClient {
    return new EngineClient(opts);
  }

  /** From MAESTRO_ENDPOINT, MAESTRO_TOKEN (or MAESTRO_TOKEN_FILE) and MAESTRO_CA_CERT_FILE; throws naming what is missing. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): EngineClient {
    const { MAESTRO_ENDPOINT: endpoint, MAESTRO_TOKEN_FILE: tokenFile, MAESTRO_CA_CERT_FILE: caFile } = env;
    const token = env.MAESTRO_TOKEN || (tokenFile ? readTrimmed(tokenFile, 'MAESTRO_TOKEN_FILE') : undefined);
    const missing = [!endpoint && 'MAESTRO_ENDPOINT', !token && 'MAESTRO_TOKEN or MAESTRO_TOKEN_FILE', !caFile && 'MAESTRO_CA_CERT_FILE'].filter(Boolean);
    if (missing.length > 0) throw new Error(`cannot find the Maestro engine: set ${missing.join(', ')} (or pass --data-dir)`);
    return EngineClient.connect({ endpoint: endpoint!, token: token!, caCertPem: readTrimmed(caFile!, 'MAESTRO_CA_CERT_FILE') });
  }

  /** From DIR/engine.json, written by a running `maestro engine serve --data-dir DIR`. */
  static fromDataDir(dataDir: string): EngineClient {
    const file = join(dataDir, ENGINE_FILE);
    let info: EngineFile;
    try {
      info = JSON.parse(readFileSync(file, 'utf8')) as EngineFile;
    } catch (err) {
      throw new Error(`no running engine found: cannot read ${file} (${(err as Error).message}); start one with \`maestro engine serve --data-dir ${dataDir}\``);
    }
    return EngineClient.connect({
      endpoint: info.endpoint,
      token: readTrimmed(info.token_file, 'token file'),
      caCertPem: readTrimmed(info.ca_cert_file, 'CA certificate'),
    });
  }

  async listSwitches(): Promise<SwitchInfo[]> {
    const res = await this.call<{ switches: WireSwitch[] }>('ListSwitches', {});
    return res.switches.map(switchFromWire);
  }

  async getSwitch(id: string): Promise<SwitchInfo> {
    return switchFromWire(await this.call<WireSwitch>('GetSwitch', { id }));
  }

  /** Checks a port request against inventory and the dialect without touching the device. */
  async validatePortConfig(req: PortRequest): Promise<{ violations: FieldViolation[] }> {
    const res = await this.call<{ violations: FieldViolation[] }>('ValidatePortConfig', portRequestToWire(req));
    return { violations: res.violations.map(({ field, reason }) => ({ field, reason })) };
  }

  /** Reads the port from the device (drift shows here). */
  async getPort(req: { switchId: string; port: string }): Promise<PortState> {
    return portFromWire(await this.call<WirePort>('GetPort', req));
  }

  /**
   * Reads `ports` of one switch in one call; with `wholeSwitch`, the answer
   * also holds every other port of the switch the engine read along with
   * them (all of them on dialects with a whole-switch show), as this client
   * saw them within the last second or so. Throws as getPort.
   */
  async getPorts(req: { switchId: string; ports: string[]; wholeSwitch?: boolean }): Promise<PortState[]> {
    const res = await this.call<{ ports: WirePort[] }>('GetPorts', { ...req, wholeSwitch: req.wholeSwitch ?? false });
    return res.ports.map(portFromWire);
  }

  /** Configures, saves and verifies the port; resolves with the job id and the port as read back. */
  async applyPortConfig(req: PortRequest, opts: JobCallOptions = {}): Promise<ApplyResult> {
    return this.applyResult(await this.call('ApplyPortConfig', portRequestToWire(req), this.jobTimeoutMs, opts.signal));
  }

  /** Returns the port to quarantine and drops its owner. */
  async releasePort(req: { switchId: string; port: string }, opts: JobCallOptions = {}): Promise<ApplyResult> {
    return this.applyResult(await this.call('ReleasePort', req, this.jobTimeoutMs, opts.signal));
  }

  async getJob(id: string): Promise<JobInfo> {
    return jobFromWire(await this.call<WireJob>('GetJob', { id }));
  }

  /** Newest first, filtered by kind, state and caller; `limit` defaults to the engine's default (50). */
  async listJobs(query: JobQuery = {}): Promise<JobInfo[]> {
    const res = await this.call<{ jobs: WireJob[] }>('ListJobs', query);
    return res.jobs.map(jobFromWire);
  }

  /** Asks an unfinished job to stop and undo what it did; resolves with the job as it is now. */
  async cancelJob(id: string, reason = ''): Promise<JobInfo> {
    return jobFromWire(await this.call<WireJob>('CancelJob', { id, reason }));
  }

  /** Starts a registered job kind (admin tokens); resolves at once with the journaled job. */
  async startJob(kind: string, input: unknown, timeoutSeconds = 0): Promise<JobInfo> {
    return jobFromWire(await this.call<WireJob>('StartJob', { kind, inputJson: JSON.stringify(input), timeoutSeconds }));
  }

  /** Device operations, newest first, filtered by device, job and caller. */
  async listAudit(query: AuditQuery = {}): Promise<AuditInfo[]> {
    const res = await this.call<{ entries: WireAuditEntry[] }>('ListAudit', query);
    return res.entries.map(auditFromWire);
  }

  /**
   * Calls `onChange` with the job now and after each change; resolves with the
   * finished job. No deadline: it lasts as long as the job. Rejects with
   * EngineApiError (not_found for an unknown id).
   */
  watchJob(id: string, onChange: (job: JobInfo) => void): Promise<JobInfo> {
    const stream: grpc.ClientReadableStream<WireJob> = this.stub.WatchJob({ id }, this.metadata());
    let last: JobInfo | undefined;
    return new Promise((resolve, reject) => {
      stream.on('data', (w: WireJob) => onChange((last = jobFromWire(w))));
      stream.on('error', (err: grpc.ServiceError) => reject(this.toError(err, 0)));
      stream.on('end', () => (last ? resolve(last) : reject(new EngineApiError('internal', `the engine ended the watch of job ${id} without sending it`))));
    });
  }

  /** Servers in inventory with their lifecycle state; `filter` narrows by state and/or profile. */
  async listServers(filter: { state?: ServerState; profile?: string } = {}): Promise<ServerInfo[]> {
    const res = await this.call<{ servers: WireServer[] }>('ListServers', { state: filter.state ?? '', profile: filter.profile ?? '' });
    return res.servers.map(serverFromWire);
  }

  async getServer(id: string): Promise<ServerInfo> {
    return serverFromWire(await this.call<WireServer>('GetServer', { id }));
  }

  async listProfiles(): Promise<ProfileInfo[]> {
    return (await this.call<{ profiles: WireProfile[] }>('ListProfiles', {})).profiles.map(profileFromWire);
  }

  /** Allocates an available, cleaned server of `req.profile` to `req.owner` (the same owner asking again gets the same server). */
  async allocateServer(req: { profile: string; owner: string; serverId?: string; tenancyId?: string }): Promise<ServerInfo> {
    return serverFromWire(await this.call<WireServer>('AllocateServer', req));
  }

  /** Ends an allocation: `cleaned` -> available, otherwise maintenance with `reason`. */
  async releaseServer(req: { serverId: string; cleaned: boolean; reason?: string }): Promise<ServerInfo> {
    return serverFromWire(await this.call<WireServer>('ReleaseServer', req));
  }

  async setServerState(req: { serverId: string; state: ServerState; reason?: string }): Promise<ServerInfo> {
    return serverFromWire(await this.call<WireServer>('SetServerState', req));
  }

  /** VLAN, VNI and subnet for a tenancy: the lowest free values of the pool, or the ones given. */
  async allocateTenancyNetwork(req: { tenancyId: string; pool?: string; vlan?: number; vni?: number; cidr?: string; mtu?: number }): Promise<TenancyNetworkInfo> {
    return networkFromWire(await this.call<TenancyNetworkInfo>('AllocateTenancyNetwork', req));
  }

  async releaseTenancyNetwork(tenancyId: string): Promise<void> {
    await this.call('ReleaseTenancyNetwork', { tenancyId });
  }

  async listTenancyNetworks(): Promise<TenancyNetworkInfo[]> {
    return (await this.call<{ networks: TenancyNetworkInfo[] }>('ListTenancyNetworks', {})).networks.map(networkFromWire);
  }

  async allocateIp(req: { tenancyId: string; owner: string; address?: string }): Promise<IpAllocationInfo> {
    return ipFromWire(await this.call<IpAllocationInfo>('AllocateIp', req));
  }

  /** Releases the tenancy's address `address` or the one `owner` holds (give exactly one). */
  async releaseIp(req: { tenancyId: string; address?: string; owner?: string }): Promise<void> {
    await this.call('ReleaseIp', req);
  }

  /** Every orphan the engine finds in its store and on the switches (reads every switch). */
  async runDoctor(): Promise<DoctorReport> {
    return doctorFromWire(await this.call<WireDoctorReport>('RunDoctor', {}, this.jobTimeoutMs));
  }

  /** Starts connecting (TCP and TLS) now rather than at the first call, which then does not wait for it. Errors wait for that call. */
  warmUp(): void {
    this.stub.getChannel().getConnectivityState(true);
  }

  close(): void {
    this.stub.close();
  }

  private applyResult(res: any): ApplyResult {
    return { jobId: res.jobId, port: portFromWire(res.port) };
  }

  /** One unary call with the bearer token and a deadline; rejects with EngineApiError. */
  private metadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.opts.token}`);
    metadata.set(CLIENT_ID_KEY, this.id);
    return metadata;
  }

  /** An already aborted `signal` sends nothing; one aborted in flight cancels the call (grpc-js sends RST_STREAM). */
  private call<T>(method: string, req: object, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelledError(method, signal));
      const call: grpc.ClientUnaryCall = this.stub[method](req, this.metadata(), { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: T) => {
        signal?.removeEventListener('abort', cancel);
        if (signal?.aborted) reject(cancelledError(method, signal));
        else if (err) reject(this.toError(err, timeoutMs));
        else resolve(res);
      });
      const cancel = () => call.cancel();
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  private toError(err: grpc.ServiceError, timeoutMs: number): EngineApiError {
    const code = apiCodeOf(err.code);
    const where = `the Maestro engine at ${this.opts.endpoint}`;
    if (fromEngine(err.metadata)) return new EngineApiError(code, err.details, decodeViolations(err.metadata));
    if (code === 'deadline_exceeded') return new EngineApiError(code, `${where} did not answer within ${timeoutMs / 1000}s`);
    if (code === 'unavailable') return new EngineApiError(code, `cannot reach ${where}: ${err.details}`);
    return new EngineApiError(code, `${where}: ${err.details}`);
  }

  /**
   * The device operations, in order, that would give `req.tenancyId` exactly
   * `req.members` (members not listed leave). Reads every switch; changes
   * nothing. [] means the devices already match.
   */
  async planTenancyChanges(req: TenancyProposal): Promise<DeviceOperation[]> {
    const res = await this.call<{ operations: WirePlannedOperation[] }>('PlanTenancyChanges', planRequestToWire(req), this.jobTimeoutMs);
    return res.operations.map(operationFromWire);
  }

  /**
   * Creates a tenancy: allocates its network and puts VLAN `tenancy-<name>` on
   * every leaf (a job; aborting `opts.signal` cancels it and everything is
   * undone). Rejects with violations on name/vlan_id/vni/cidr/mtu/description.
   */
  async createTenancy(req: TenancyCreateRequest, opts: JobCallOptions = {}): Promise<{ jobId: string; tenancy: TenancyInfo }> {
    const res = await this.call<{ jobId: string; tenancy: WireTenancy }>('CreateTenancy', tenancyRequestToWire(req), this.jobTimeoutMs, opts.signal);
    return { jobId: res.jobId, tenancy: tenancyFromWire(res.tenancy) };
  }

  /** Rejects with code not_found when no tenancy has this id. */
  async getTenancy(id: string): Promise<TenancyInfo> {
    return tenancyFromWire(await this.call<WireTenancy>('GetTenancy', { id }));
  }

  /** Rejects with code not_found when no tenancy has this name. */
  async findTenancy(name: string): Promise<TenancyInfo> {
    return tenancyFromWire(await this.call<WireTenancy>('FindTenancy', { name }));
  }

  async listTenancies(): Promise<TenancyInfo[]> {
    return (await this.call<{ tenancies: WireTenancy[] }>('ListTenancies', {})).tenancies.map(tenancyFromWire);
  }

  /** Description (store only) and/or MTU (refused while anything is attached); unset fields stay. */
  async updateTenancy(req: { id: string; description?: string; mtu?: number }): Promise<TenancyInfo> {
    return tenancyFromWire(await this.call<WireTenancy>('UpdateTenancy', req));
  }

  /** Removes the VLAN from every leaf and releases the network (a job); refused while anything is attached. */
  async deleteTenancy(id: string, opts: JobCallOptions = {}): Promise<{ jobId: string }> {
    const res = await this.call<{ jobId: string }>('DeleteTenancy', { id }, this.jobTimeoutMs, opts.signal);
    return { jobId: res.jobId };
  }

  /**
   * Runs an `instance.create` job to its end (allocate, install through the
   * BMC, tenancy ports, OS configuration). A failure or an aborted
   * `opts.signal` undoes everything: no instance remains. The call's deadline
   * is longer than the job's (`opts.timeoutSeconds`, else the engine's 30 min).
   */
  async createInstance(req: InstanceCreateRequest, opts: InstanceJobOptions = {}): Promise<{ jobId: string; instance: InstanceInfo }> {
    const res = await this.call<{ jobId: string; instance: WireInstance }>(
      'CreateInstance', createRequestToWire(req, opts.timeoutSeconds), this.instanceCallMs(opts.timeoutSeconds), opts.signal);
    return { jobId: res.jobId, instance: instanceFromWire(res.instance) };
  }

  /** Rejects with code not_found when no instance has this id; `observe` also reads the BMC and the switch ports (observed_*, drift). */
  async getInstance(id: string, opts: { observe?: boolean } = {}): Promise<InstanceInfo> {
    const timeout = opts.observe ? this.jobTimeoutMs : this.timeoutMs;
    return instanceFromWire(await this.call<WireInstance>('GetInstance', { id, observe: opts.observe ?? false }, timeout));
  }

  async listInstances(filter: { tenancyId?: string } = {}): Promise<InstanceInfo[]> {
    const res = await this.call<{ instances: WireInstance[] }>('ListInstances', { tenancyId: filter.tenancyId ?? '' });
    return res.instances.map(instanceFromWire);
  }

  /** Converges the given fields (tenancy, power, hostname, keys) through an `instance.update` job; jobId "" when none was needed. */
  async updateInstance(req: InstanceUpdateRequest, opts: InstanceJobOptions = {}): Promise<{ jobId: string; instance: InstanceInfo }> {
    const res = await this.call<{ jobId: string; instance: WireInstance }>(
      'UpdateInstance', updateRequestToWire(req, opts.timeoutSeconds), this.instanceCallMs(opts.timeoutSeconds), opts.signal);
    return { jobId: res.jobId, instance: instanceFromWire(res.instance) };
  }

  /** Power off, erase (unless disabled), ports to quarantine, address and server released; after a failure, call again to continue. */
  async deleteInstance(id: string, opts: InstanceJobOptions = {}): Promise<{ jobId: string }> {
    const res = await this.call<{ jobId: string }>('DeleteInstance', { id, timeoutSeconds: opts.timeoutSeconds ?? 0 }, this.instanceCallMs(opts.timeoutSeconds), opts.signal);
    return { jobId: res.jobId };
  }

  /** What CreateInstance (or the update/replacement of `req.id`) would refuse, without touching a device; unset fields are not checked. */
  async validateInstance(req: InstanceValidateRequest): Promise<{ violations: FieldViolation[] }> {
    const res = await this.call<{ violations: FieldViolation[] }>('ValidateInstance', validateRequestToWire(req));
    return { violations: res.violations.map(({ field, reason }) => ({ field, reason })) };
  }

  /** The deadline of an instance call: its job's deadline plus a minute for the engine to answer (the job is compensated by then). */
  private instanceCallMs(timeoutSeconds?: number): number {
    return (timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds * 1000 : INSTANCE_JOB_DEFAULT_MS) + INSTANCE_CALL_SLACK_MS;
  }

  /** What CreateTenancy (or a replacement of `req.id`) would refuse, without touching a device; [] = acceptable. */
  async validateTenancy(req: TenancyValidateRequest): Promise<{ violations: FieldViolation[] }> {
    const res = await this.call<{ violations: FieldViolation[] }>('ValidateTenancy', tenancyRequestToWire(req));
    return { violations: res.violations.map(({ field, reason }) => ({ field, reason })) };
  }
}
