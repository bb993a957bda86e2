// The `instance.update` job kind: converge an active instance to the intended values. A tenancy move allocates an
// address in the new tenancy, moves the NICs to its VLAN, readdresses the OS and releases the old address; hostname
// and keys are set over SSH; the power is converged (on before OS work, off at the end). Every undo restores the
// previous tenancy ports, address, OS settings and power.

import { z } from 'zod';
import type { BmcDriver } from '../drivers/bmc/bmc';
import { allocateIp, releaseIp } from '../ipam';
import type { ServerRecord } from '../store/allocation-store';
import { bmcDevice, convergePower, forceOff, serverLock, withBmc } from './instance-bmc';
import { osDevice, setAddress, setHostname, setKeys, withOs, type TenancyAddress } from './instance-os';
import { cabledNics, movePorts, portsDevice, type CabledNic } from './instance-ports';
import { outOfService, ownerOf, recordInstance, requireInstance } from './instance-record';
import { errorText } from './job-errors';
import type { JobKind, StepContext, StepDef } from './job-kind';
import type { WorkflowServices } from './services';

/** The values an update may change. */
export interface InstanceUpdateValues {
  tenancyId: string;
  /** The tenancy's VLAN (its segment is on every leaf). */
  tenancyVlan: number;
  powerState: 'on' | 'off';
  hostname: string;
  sshAuthorizedKeys: string[];
  /** Store only. */
  secureEraseOnDelete: boolean;
}

/** What the API fixes when it starts the job. */
export interface InstanceUpdateInput {
  instanceId: string;
  /** The instance's server (an update needs one). */
  serverId: string;
  /** The values as the record held them when the job started, with the current tenancy address: what the undos restore. */
  from: InstanceUpdateValues & { ipAddress: string | null };
  /** The intended values (unchanged ones repeated from `from`). */
  to: InstanceUpdateValues;
  /**
   * The caller named the tenancy (e.g. terraform repairing drift): when it is
   * unchanged, the ports are still put (back) into its VLAN. Default false.
   */
  repairPorts?: boolean;
}

const values = z.object({
  tenancyId: z.string().min(1),
  tenancyVlan: z.number().int().min(1).max(4094),
  powerState: z.enum(['on', 'off']),
  hostname: z.string().min(1),
  sshAuthorizedKeys: z.array(z.string()),
  secureEraseOnDelete: z.boolean(),
});

export const instanceUpdateSchema = z.object({
  instanceId: z.string().min(1),
  serverId: z.string().min(1),
  from: values.extend({ ipAddress: z.string().nullable() }),
  to: values,
  repairPorts: z.boolean().optional(),
});

type Ctx = StepContext<InstanceUpdateInput, WorkflowServices>;
type Step = StepDef<InstanceUpdateInput, WorkflowServices>;

async function requireServer(ctx: Ctx): Promise<ServerRecord> {
  const server = await ctx.services.store.allocation.getServer(ctx.input.serverId);
  if (!server) throw new Error(`server ${ctx.input.serverId} of instance ${ctx.input.instanceId} is not in inventory`);
  if (server.owner !== ownerOf(ctx)) throw new Error(`server ${server.id} is not held by ${ownerOf(ctx)} (owner: ${server.owner ?? 'none'})`);
  return server;
}

/** The tenancy address `address` in `tenancyId`, with the tenancy's prefix length and gateway. */
async function tenancyAddress(ctx: Ctx, tenancyId: string, address: string): Promise<TenancyAddress> {
  const net = (await ctx.services.store.allocation.listTenancyNetworks()).find((n) => n.tenancyId === tenancyId);
  if (!net) throw new Error(`tenancy ${tenancyId} has no network`);
  return { address, prefixLength: Number(net.cidr.split('/')[1]), gateway: net.gateway };
}

const sameKeys = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

const bmcStep = (name: string, fields: Pick<Step, 'do' | 'undo'>): Step =>
  ({ name, device: (ctx) => bmcDevice(ctx.input.serverId), locks: (ctx) => serverLock(ctx.input.serverId), pool: 'bmc', ...fields });

const osStep = (name: string, fields: Pick<Step, 'do' | 'undo'>): Step =>
  ({ name, device: (ctx) => osDevice(ctx.input.serverId), locks: (ctx) => serverLock(ctx.input.serverId), ...fields });

/** Runs `fn` with the server and its BMC. */
const onBmc = async <T>(ctx: Ctx, fn: (server: ServerRecord, bmc: BmcDriver) => Promise<T>): Promise<T> => {
  const server = await requireServer(ctx);
  return withBmc(ctx, server, (bmc) => fn(server, bmc));
};

const markUpdating: Step = {
  name: 'mark-updating',
  device: () => null,
  do: async (ctx) => {
    await requireInstance(ctx);
    const server = await requireServer(ctx);
    await recordInstance(ctx, { state: 'updating', stateReason: null });
    return { detail: `instance ${ctx.input.instanceId} updating`, output: { ports: cabledNics(server) } };
  },
  undo: async (ctx) => {
    // An undo that failed for good already made the instance `failed` (outOfService); that stays.
    if ((await ctx.services.store.instances.getInstance(ctx.input.instanceId))?.state === 'failed') return 'instance left failed';
    await recordInstance(ctx, { state: 'active', stateReason: null });
    return `instance ${ctx.input.instanceId} active again, as before the update`;
  },
};

const portsStep = (name: string, fields: Pick<Step, 'do' | 'undo'>): Step => ({
  name, device: (ctx) => portsDevice((ctx.outputs['mark-updating'] as { ports?: CabledNic[] } | undefined)?.ports ?? [], ctx.input.serverId), ...fields,
});

/** The steps of a tenancy move: new address, ports to the new VLAN, OS readdressed, old address released. */
const tenancySteps: Step[] = [
  {
    name: 'allocate-ip',
    device: () => null,
    do: async (ctx) => {
      const { tenancyId } = ctx.input.to;
      const ip = await allocateIp(ctx.services.store, { tenancyId, owner: ownerOf(ctx) });
      const output = await tenancyAddress(ctx, tenancyId, ip.address);
      return { detail: `${ip.address}/${output.prefixLength} (gateway ${output.gateway}) in tenancy ${tenancyId}`, output };
    },
    undo: async (ctx) => {
      await releaseIp(ctx.services.store, { tenancyId: ctx.input.to.tenancyId, owner: ownerOf(ctx) });
      return `address of ${ownerOf(ctx)} in tenancy ${ctx.input.to.tenancyId} released`;
    },
  },
  portsStep('ports-tenancy', {
    do: async (ctx) => movePorts(ctx, await requireServer(ctx), ctx.input.to.tenancyVlan, 'tenancy'),
    undo: async (ctx) => movePorts(ctx, await requireServer(ctx), ctx.input.from.tenancyVlan, 'tenancy'),
  }),
  osStep('os-readdress', {
    do: async (ctx) => {
      const server = await requireServer(ctx);
      const done = await withOs(ctx, server, (os) => setAddress(ctx, server, os, ctx.outputs['allocate-ip'] as TenancyAddress));
      return done ?? `skipped: inventory gives ${server.id} no os block`;
    },
    undo: async (ctx) => {
      const { tenancyId, ipAddress } = ctx.input.from;
      if (ipAddress === null) return 'the instance had no address before';
      const server = await requireServer(ctx);
      const previous = await tenancyAddress(ctx, tenancyId, ipAddress);
      const done = await withOs(ctx, server, (os) => setAddress(ctx, server, os, previous));
      return done ?? `skipped: inventory gives ${server.id} no os block`;
    },
  }),
  {
    name: 'release-old-ip',
    device: () => null,
    do: async (ctx) => {
      await releaseIp(ctx.services.store, { tenancyId: ctx.input.from.tenancyId, owner: ownerOf(ctx) });
      return `address of ${ownerOf(ctx)} in tenancy ${ctx.input.from.tenancyId} released`;
    },
    undo: async (ctx) => {
      const { tenancyId, ipAddress } = ctx.input.from;
      if (ipAddress === null) return 'the instance had no address before';
      await allocateIp(ctx.services.store, { tenancyId, owner: ownerOf(ctx), address: ipAddress });
      return `${ipAddress} in tenancy ${tenancyId} allocated again`;
    },
  },
];

/** Ports back into the (unchanged) tenancy's VLAN, after they were moved out of band; nothing to undo: they were drifted. */
const repairPorts: Step = portsStep('ports-tenancy', {
  do: async (ctx) => movePorts(ctx, await requireServer(ctx), ctx.input.to.tenancyVlan, 'tenancy'),
});

/** Powers the server on for OS work or because it is intended on; the undo powers it off again when it was off. */
const powerOn = bmcStep('power-on', {
  do: async (ctx) => onBmc(ctx, async (server, bmc) => {
    if (ctx.input.to.powerState === 'off' && !server.os) return 'skipped: the server is intended off and has no os block to configure';
    const wasOn = (await bmc.power.getPowerState()) === 'On';
    const detail = await convergePower(ctx, server, bmc, 'on');
    return { detail, output: { wasOn } };
  }),
  undo: async (ctx) => {
    if ((ctx.outputs['power-on'] as { wasOn?: boolean } | undefined)?.wasOn !== false) return 'power left on (it was on before)';
    return onBmc(ctx, async (server, bmc) => ((await forceOff(ctx, server, bmc)) ? 'powered off again' : 'already off'));
  },
});

/** Hostname and keys over SSH (only those that change); the undo puts the previous ones back. */
const osConfigure = osStep('os-configure', {
  do: async (ctx) => {
    const { from, to } = ctx.input;
    const server = await requireServer(ctx);
    const done = await withOs(ctx, server, async (os) => {
      if (to.hostname !== from.hostname) await setHostname(ctx, server, os, to.hostname);
      if (!sameKeys(to.sshAuthorizedKeys, from.sshAuthorizedKeys)) await setKeys(ctx, server, os, to.sshAuthorizedKeys);
      return `hostname ${to.hostname}; ${to.sshAuthorizedKeys.length} authorized keys for ${os.user}`;
    });
    return done ?? `skipped: inventory gives ${server.id} no os block, so hostname and keys are recorded only`;
  },
  undo: async (ctx) => {
    const { from, to } = ctx.input;
    const server = await requireServer(ctx);
    const done = await withOs(ctx, server, async (os) => {
      if (to.hostname !== from.hostname) await setHostname(ctx, server, os, from.hostname);
      if (!sameKeys(to.sshAuthorizedKeys, from.sshAuthorizedKeys)) await setKeys(ctx, server, os, from.sshAuthorizedKeys);
      return `hostname ${from.hostname} and the previous keys restored`;
    });
    return done ?? 'no os block: nothing to restore';
  },
});

/** Shuts the server down when it is intended off; the undo powers it on again when this step shut it down. */
const powerOff = bmcStep('power-state', {
  do: async (ctx) => onBmc(ctx, async (server, bmc) => {
    const detail = await convergePower(ctx, server, bmc, 'off');
    return { detail, output: { shutDown: detail === 'shut down' } };
  }),
  undo: async (ctx) => {
    if ((ctx.outputs['power-state'] as { shutDown?: boolean } | undefined)?.shutDown !== true) return 'power left as it was';
    return onBmc(ctx, async (server, bmc) => convergePower(ctx, server, bmc, 'on'));
  },
});

/** Writes the intended values into the record (and the server's tenancy), and the instance is active again. */
const record: Step = {
  name: 'record',
  device: () => null,
  do: async (ctx) => {
    const { from, to } = ctx.input;
    const moved = to.tenancyId !== from.tenancyId;
    if (moved) {
      await ctx.services.store.allocation.changeServers((servers) => {
        const s = servers.find((x) => x.id === ctx.input.serverId && x.owner === ownerOf(ctx));
        return { write: s ? [{ ...s, tenancyId: to.tenancyId }] : [], result: undefined };
      });
    }
    const address = moved ? { ipAddress: (ctx.outputs['allocate-ip'] as TenancyAddress).address } : {};
    const { tenancyId, powerState, hostname, sshAuthorizedKeys, secureEraseOnDelete } = to;
    await recordInstance(ctx, { tenancyId, powerState, hostname, sshAuthorizedKeys, secureEraseOnDelete, ...address, state: 'active', stateReason: null });
    return `instance ${ctx.input.instanceId} active${moved ? ` in tenancy ${to.tenancyId}` : ''}`;
  },
};

/** The steps this update needs: a tenancy move only when the tenancy changes, OS work only when hostname or keys change. */
function stepsOf(input: InstanceUpdateInput): Step[] {
  const { from, to } = input;
  const moves = to.tenancyId !== from.tenancyId;
  const osWork = moves || to.hostname !== from.hostname || !sameKeys(to.sshAuthorizedKeys, from.sshAuthorizedKeys);
  return [
    markUpdating,
    ...(to.powerState === 'on' || osWork ? [powerOn] : []),
    ...(moves ? tenancySteps : input.repairPorts ? [repairPorts] : []),
    ...(to.hostname !== from.hostname || !sameKeys(to.sshAuthorizedKeys, from.sshAuthorizedKeys) ? [osConfigure] : []),
    ...(to.powerState === 'off' ? [powerOff] : []),
    record,
  ];
}

export const instanceUpdateKind: JobKind<InstanceUpdateInput, WorkflowServices> = {
  kind: 'instance.update',
  // The user's intent stands after a restart, and every step converges: finish it.
  recovery: 'resume',
  parse: (raw) => instanceUpdateSchema.parse(raw),
  steps: stepsOf,
  onUndoFailure: async (ctx, step, error) =>
    outOfService(ctx, await ctx.services.store.allocation.getServer(ctx.input.serverId), `undo of "${step}" during an update failed: ${errorText(error)}`),
};
