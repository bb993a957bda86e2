// The `instance.delete` job kind: a teardown run until done. Power off, securely erase every drive (when asked), eject
// the media, ports to quarantine (ownership dropped), release the addresses and the server (`available` when erased,
// else `maintenance`), delete the record. No step is undone: every one is idempotent, and a failed delete is run again.

import { z } from 'zod';
import type { BmcDriver } from '../drivers/bmc/bmc';
import { releaseIp } from '../ipam';
import { releaseServer } from '../placement';
import type { ServerRecord } from '../store/allocation-store';
import { bmcDevice, ejectMedia, eraseDrives, forceOff, serverLock, withBmc } from './instance-bmc';
import { cabledNics, portsDevice, quarantinePorts, type CabledNic } from './instance-ports';
import { compensationReason, ownerOf, recordInstance } from './instance-record';
import type { JobKind, StepContext, StepDef } from './job-kind';
import type { WorkflowServices } from './services';

/** What the API fixes when it starts the job. */
export interface InstanceDeleteInput {
  instanceId: string;
  /** The instance's server; null when it never got one (a failed create): only addresses and the record go. */
  serverId: string | null;
  /** Erase every drive before the server goes back to the pool. */
  secureEraseOnDelete: boolean;
}

export const instanceDeleteSchema = z.object({
  instanceId: z.string().min(1),
  serverId: z.string().min(1).nullable(),
  secureEraseOnDelete: z.boolean(),
});

type Ctx = StepContext<InstanceDeleteInput, WorkflowServices>;
type Step = StepDef<InstanceDeleteInput, WorkflowServices>;

export const RELEASED_UNERASED = 'released without secure erase';

const serverIdOf = (ctx: Ctx) => ctx.input.serverId ?? '(none)';

/** The server, while the instance still holds it; undefined once released (a re-run finds nothing left to do). */
async function heldServer(ctx: Ctx): Promise<ServerRecord | undefined> {
  if (ctx.input.serverId === null) return undefined;
  const server = await ctx.services.store.allocation.getServer(ctx.input.serverId);
  return server?.owner === ownerOf(ctx) ? server : undefined;
}

/** A BMC step: runs `fn` while the instance holds the server. */
function bmcStep(name: string, fn: (ctx: Ctx, server: ServerRecord, bmc: BmcDriver) => Promise<string>, pool?: string): Step {
  return {
    name, pool,
    device: (ctx) => bmcDevice(serverIdOf(ctx)),
    locks: (ctx) => serverLock(serverIdOf(ctx)),
    do: async (ctx) => {
      const server = await heldServer(ctx);
      if (!server) return `${serverIdOf(ctx)} is no longer held by ${ownerOf(ctx)}`;
      return withBmc(ctx, server, (bmc) => fn(ctx, server, bmc));
    },
  };
}

const markDeleting: Step = {
  name: 'mark-deleting',
  device: () => null,
  do: async (ctx) => {
    await recordInstance(ctx, { state: 'deleting', stateReason: null });
    const server = await heldServer(ctx);
    return { detail: `instance ${ctx.input.instanceId} deleting`, output: { ports: server ? cabledNics(server) : [] } };
  },
  // Nothing on the devices is put back; the record says why the delete stopped, and deleting again finishes it.
  undo: async (ctx) => {
    await recordInstance(ctx, { state: 'failed', stateReason: `delete stopped: ${await compensationReason(ctx)}; delete the instance again to finish` });
    return 'instance marked failed; nothing on the devices is put back';
  },
};

const powerOff = bmcStep('power-off', async (ctx, server, bmc) => ((await forceOff(ctx, server, bmc)) ? 'powered off' : 'already off'), 'bmc');

// No pool: erasing can take hours on real drives, and a pool slot is for BMC requests, not for waiting.
const secureErase = bmcStep('secure-erase', async (ctx, server, bmc) => `erased ${(await eraseDrives(ctx, server, bmc)).join(', ') || 'no drives reported'}`);

const eject = bmcStep('eject-media', async (ctx, server, bmc) => ((await ejectMedia(ctx, server, bmc)) ? 'media ejected' : 'no media inserted'), 'bmc');

const portsQuarantine: Step = {
  name: 'ports-quarantine',
  device: (ctx) => portsDevice((ctx.outputs['mark-deleting'] as { ports?: CabledNic[] } | undefined)?.ports ?? [], serverIdOf(ctx)),
  do: async (ctx) => {
    const server = await heldServer(ctx);
    return server ? quarantinePorts(ctx, server) : `${serverIdOf(ctx)} is no longer held by ${ownerOf(ctx)}`;
  },
};

const releaseIps: Step = {
  name: 'release-ip',
  device: () => null,
  do: async (ctx) => {
    const held = (await ctx.services.store.allocation.listIps()).filter((ip) => ip.owner === ownerOf(ctx));
    for (const ip of held) await releaseIp(ctx.services.store, { tenancyId: ip.tenancyId, address: ip.address });
    await recordInstance(ctx, { ipAddress: null });
    return held.length > 0 ? `released ${held.map((ip) => `${ip.address} (tenancy ${ip.tenancyId})`).join(', ')}` : 'no address held';
  },
};

const releaseServerStep: Step = {
  name: 'release-server',
  device: () => null,
  do: async (ctx) => {
    const server = await heldServer(ctx);
    if (!server) return `${serverIdOf(ctx)} is no longer held by ${ownerOf(ctx)}`;
    const cleaned = ctx.input.secureEraseOnDelete;
    await releaseServer(ctx.services.store, server.id, { cleaned, reason: RELEASED_UNERASED });
    await recordInstance(ctx, { serverId: null });
    return `released ${server.id}: ${cleaned ? 'drives erased, available' : `maintenance (${RELEASED_UNERASED})`}`;
  },
};

const deleteRecord: Step = {
  name: 'delete-record',
  device: () => null,
  do: async (ctx) => {
    await ctx.services.store.instances.deleteInstance(ctx.input.instanceId);
    return `instance ${ctx.input.instanceId} deleted`;
  },
};

function stepsOf(input: InstanceDeleteInput): Step[] {
  if (input.serverId === null) return [markDeleting, releaseIps, deleteRecord];
  return [markDeleting, powerOff, ...(input.secureEraseOnDelete ? [secureErase] : []), eject, portsQuarantine, releaseIps, releaseServerStep, deleteRecord];
}

export const instanceDeleteKind: JobKind<InstanceDeleteInput, WorkflowServices> = {
  kind: 'instance.delete',
  // The user asked for the instance to go and every step is idempotent: finish it after a restart.
  recovery: 'resume',
  parse: (raw) => instanceDeleteSchema.parse(raw),
  steps: stepsOf,
};
