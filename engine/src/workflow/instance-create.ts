// The `instance.create` job kind: allocate a server and a tenancy address, install the image from virtual media over the
// provisioning segment, move the NICs into the tenancy, boot from disk, configure the OS over SSH, converge the power,
// mark it active. Each step's undo is idempotent; a failed undo puts the server into `maintenance`, and a server the job
// powered on only becomes `available` again after its drives were erased.

import { z } from 'zod';
import { allocateIp, releaseIp } from '../ipam';
import { allocateServer, foreignPortHolders, releaseServer, setServerState } from '../placement';
import type { ServerRecord } from '../store/allocation-store';
import { bmcDevice, bootFromDisk, convergePower, ejectMedia, eraseDrives, forceOff, installImage, serverLock, withBmc, type ImageSnapshot } from './instance-bmc';
import { checkImage, osDevice, runUserData, setAddress, setHostname, setKeys, withOs, type TenancyAddress } from './instance-os';
import { cabledNics, movePorts, portsDevice, quarantinePorts, segmentVlan, type CabledNic } from './instance-ports';
import { compensationReason, outOfService, ownerOf, recordInstance, requireInstance } from './instance-record';
import { errorText } from './job-errors';
import type { JobKind, StepContext, StepDef } from './job-kind';
import type { WorkflowServices } from './services';

/** What the API fixes when it starts the job: the instance's intent, with the image and the tenancy's VLAN as they were then. */
export interface InstanceCreateInput {
  /** The instance's id (its record exists); the server, IP and ports are owned by `instance:<id>`. */
  instanceId: string;
  profile: string;
  /** Pin a server (else placement chooses). */
  serverId?: string;
  tenancyId: string;
  /** The tenancy's VLAN the NICs end up in (its segment is already on every leaf). */
  tenancyVlan: number;
  image: ImageSnapshot;
  /** Default: the server id (then written into the record once the server is known). */
  hostname?: string;
  /** For the OS login user of inventory `os.credentials`. */
  sshAuthorizedKeys: string[];
  /** A script run once after the first boot; empty: none. */
  userData: string;
  powerState: 'on' | 'off';
}

export const instanceCreateSchema = z.object({
  instanceId: z.string().min(1),
  profile: z.string().min(1),
  serverId: z.string().min(1).optional(),
  tenancyId: z.string().min(1),
  tenancyVlan: z.number().int().min(1).max(4094),
  image: z.object({ name: z.string().min(1), url: z.string().min(1), installTimeoutS: z.number().int().positive() }),
  hostname: z.string().min(1).optional(),
  sshAuthorizedKeys: z.array(z.string()),
  userData: z.string(),
  powerState: z.enum(['on', 'off']),
});

type Ctx = StepContext<InstanceCreateInput, WorkflowServices>;
type Step = StepDef<InstanceCreateInput, WorkflowServices>;

/** What allocate-server hands the later steps: the server, and its cabled ports (named as the port steps' device). */
interface Allocated {
  serverId: string;
  ports: CabledNic[];
}

const allocated = (ctx: Ctx) => ctx.outputs['allocate-server'] as Allocated | undefined;
const serverIdOf = (ctx: Ctx) => allocated(ctx)?.serverId ?? ctx.input.serverId ?? '(not allocated)';

/** The allocated server: from allocate-server's output, else (that step was interrupted) by owner. */
async function serverOf(ctx: Ctx): Promise<ServerRecord | undefined> {
  const { allocation } = ctx.services.store;
  const id = allocated(ctx)?.serverId;
  if (id) return allocation.getServer(id);
  return (await allocation.listServers()).find((s) => s.owner === ownerOf(ctx));
}

async function requireServer(ctx: Ctx): Promise<ServerRecord> {
  const server = await serverOf(ctx);
  if (!server) throw new Error(`no server is allocated to ${ownerOf(ctx)}`);
  return server;
}

/** A BMC step on the allocated server: device `bmc:<server>`, the server's lock. */
function bmcStep(name: string, fields: Pick<Step, 'do' | 'undo'> & { pool?: string }): Step {
  return { name, device: (ctx) => bmcDevice(serverIdOf(ctx)), locks: (ctx) => serverLock(serverIdOf(ctx)), ...fields };
}

const portsStep = (name: string, fields: Pick<Step, 'do' | 'undo'>): Step => ({ name, device: (ctx) => portsDevice(allocated(ctx)?.ports ?? [], serverIdOf(ctx)), ...fields });

const quarantine = async (ctx: Ctx): Promise<string> => {
  const server = await serverOf(ctx);
  return server ? quarantinePorts(ctx, server) : 'no server, no ports';
};

const allocateServerStep: Step = {
  name: 'allocate-server',
  device: () => null,
  do: async (ctx) => {
    await requireInstance(ctx);
    const { profile, serverId, tenancyId, hostname } = ctx.input;
    const { store } = ctx.services;
    const portHolders = await foreignPortHolders(store, await store.allocation.listServers(), ownerOf(ctx));
    const server = await allocateServer(store, { profile, serverId, tenancyId, owner: ownerOf(ctx), portHolders });
    await recordInstance(ctx, { serverId: server.id, state: 'creating', stateReason: null, ...(hostname ? {} : { hostname: server.id }) });
    const output: Allocated = { serverId: server.id, ports: cabledNics(server) };
    return { detail: `allocated ${server.id}`, output };
  },
  undo: async (ctx) => {
    const server = await serverOf(ctx);
    const released = server?.owner === ownerOf(ctx) ? await releaseAllocated(ctx, server) : undefined;
    const reason = await compensationReason(ctx);
    await recordInstance(ctx, { state: 'failed', stateReason: released?.dirty ? `${reason}; ${released.text}` : reason, serverId: null, ipAddress: null });
    return released?.text ?? 'no server was allocated';
  },
};

/**
 * Gives the server back. Still `allocated` means the install never started
 * (it moves the server to `provisioning` before touching the BMC), so its
 * disks are as its last clean left them: available. Otherwise available only
 * when the undo of install erased every drive; else `maintenance`.
 */
async function releaseAllocated(ctx: Ctx, server: ServerRecord): Promise<{ text: string; dirty: boolean }> {
  const untouched = server.state === 'allocated';
  const erased = (ctx.outputs['undo install'] as { erased?: boolean } | null | undefined)?.erased === true;
  const cleaned = untouched || (erased && server.state !== 'maintenance' && server.state !== 'failed');
  const reason = server.stateReason ?? `instance ${ctx.input.instanceId} was rolled back before its drives were erased`;
  await releaseServer(ctx.services.store, server.id, { cleaned, reason });
  const how = untouched ? 'never powered on: available' : cleaned ? 'drives erased: available' : `not erased: maintenance (${reason})`;
  return { text: `released ${server.id} (${how})`, dirty: !cleaned };
}

const allocateIpStep: Step = {
  name: 'allocate-ip',
  device: () => null,
  do: async (ctx) => {
    const { store } = ctx.services;
    const { tenancyId } = ctx.input;
    const net = (await store.allocation.listTenancyNetworks()).find((n) => n.tenancyId === tenancyId);
    if (!net) throw new Error(`tenancy ${tenancyId} has no network`);
    const ip = await allocateIp(store, { tenancyId, owner: ownerOf(ctx) });
    const output: TenancyAddress = { address: ip.address, prefixLength: Number(net.cidr.split('/')[1]), gateway: net.gateway };
    await recordInstance(ctx, { ipAddress: ip.address });
    return { detail: `${output.address}/${output.prefixLength} (gateway ${output.gateway}) in tenancy ${tenancyId}`, output };
  },
  undo: async (ctx) => {
    await releaseIp(ctx.services.store, { tenancyId: ctx.input.tenancyId, owner: ownerOf(ctx) });
    await recordInstance(ctx, { ipAddress: null });
    return `address of ${ownerOf(ctx)} in tenancy ${ctx.input.tenancyId} released`;
  },
};

const portsProvisioningStep = portsStep('ports-provisioning', {
  do: async (ctx) => movePorts(ctx, await requireServer(ctx), await segmentVlan(ctx, 'provisioning'), 'provisioning'),
  undo: quarantine,
});

const installStep = bmcStep('install', {
  do: async (ctx) => {
    const server = await requireServer(ctx);
    if (server.state === 'allocated') await setServerState(ctx.services.store, server.id, 'provisioning', `instance ${ctx.input.instanceId}: installing ${ctx.input.image.name}`);
    return withBmc(ctx, server, (bmc) => installImage(ctx, server, bmc, ctx.input.image));
  },
  undo: async (ctx) => {
    const server = await serverOf(ctx);
    if (!server) return 'no server';
    return withBmc(ctx, server, async (bmc) => {
      await forceOff(ctx, server, bmc);
      await ejectMedia(ctx, server, bmc);
      const drives = await eraseDrives(ctx, server, bmc);
      return { detail: `powered off, media ejected, drives erased: ${drives.join(', ') || 'none reported'}`, output: { erased: true } };
    });
  },
});

const portsTenancyStep = portsStep('ports-tenancy', {
  do: async (ctx) => movePorts(ctx, await requireServer(ctx), ctx.input.tenancyVlan, 'tenancy'),
  undo: quarantine,
});

const diskBootStep = bmcStep('disk-boot', {
  pool: 'bmc',
  do: async (ctx) => {
    const server = await requireServer(ctx);
    return withBmc(ctx, server, (bmc) => bootFromDisk(ctx, server, bmc));
  },
  undo: async (ctx) => {
    const server = await serverOf(ctx);
    if (!server) return 'no server';
    return withBmc(ctx, server, async (bmc) => ((await forceOff(ctx, server, bmc)) ? 'powered off' : 'already off'));
  },
});

const osConfigureStep: Step = {
  name: 'os-configure',
  device: (ctx) => osDevice(serverIdOf(ctx)),
  locks: (ctx) => serverLock(serverIdOf(ctx)),
  do: async (ctx) => {
    const server = await requireServer(ctx);
    const { image, sshAuthorizedKeys, userData } = ctx.input;
    const hostname = ctx.input.hostname ?? server.id;
    const address = ctx.outputs['allocate-ip'] as TenancyAddress;
    const done = await withOs(ctx, server, async (os) => {
      await checkImage(server, os, image);
      await setHostname(ctx, server, os, hostname);
      await setKeys(ctx, server, os, sshAuthorizedKeys);
      const configured = await setAddress(ctx, server, os, address);
      const ran = userData === '' ? 'no user_data' : await runUserData(ctx, server, os, userData);
      return `image ${image.name} confirmed; hostname ${hostname}; ${sshAuthorizedKeys.length} authorized keys for ${os.user}; ${configured}; ${ran}`;
    });
    return done ?? `skipped: inventory gives ${server.id} no os block, so hostname, authorized keys, address and user_data were not applied`;
  },
};

const powerStateStep = bmcStep('power-state', {
  pool: 'bmc',
  do: async (ctx) => {
    const server = await requireServer(ctx);
    return withBmc(ctx, server, (bmc) => convergePower(ctx, server, bmc, ctx.input.powerState));
  },
});

const markActiveStep: Step = {
  name: 'mark-active',
  device: () => null,
  do: async (ctx) => {
    const server = await requireServer(ctx);
    await setServerState(ctx.services.store, server.id, 'active', `instance ${ctx.input.instanceId}`);
    await recordInstance(ctx, { state: 'active', stateReason: null });
    return `${server.id} active; instance ${ctx.input.instanceId} active`;
  },
};

const steps: Step[] = [
  allocateServerStep, allocateIpStep, portsProvisioningStep, installStep, portsTenancyStep, diskBootStep, osConfigureStep, powerStateStep, markActiveStep,
];

export const instanceCreateKind: JobKind<InstanceCreateInput, WorkflowServices> = {
  kind: 'instance.create',
  // A half-provisioned server is worth finishing: every step is idempotent and the caller may poll the job.
  recovery: 'resume',
  parse: (raw) => instanceCreateSchema.parse(raw),
  steps: () => steps,
  onUndoFailure: async (ctx, step, error) => outOfService(ctx, await serverOf(ctx), `undo of "${step}" failed: ${errorText(error)}`),
};
