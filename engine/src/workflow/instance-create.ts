// The `instance.create` job kind (first version): allocate a server, install it over the provisioning segment,
// boot it from disk in the tenancy's VLAN, mark it active. Each step has an idempotent undo; a failed undo puts
// the server into `maintenance`, and the server only becomes `available` again after its disks were erased.

import { z } from 'zod';
import { quarantineConfig, type PortConfig } from '../domain/port-config';
import type { BmcDriver } from '../drivers/bmc/bmc';
import { allocateServer, releaseServer, setServerState } from '../placement';
import type { ServerRecord } from '../store/allocation-store';
import { audited } from './audit';
import { errorText } from './job-errors';
import type { JobKind, StepContext, StepDef } from './job-kind';
import type { WorkflowServices } from './services';

export interface InstanceCreateInput {
  /** The instance's id; the server is allocated to owner `instance:<id>`. */
  instanceId: string;
  profile: string;
  /** Pin a server (else placement chooses). */
  serverId?: string;
  tenancyId?: string;
  /** The tenancy's VLAN the NICs end up in. */
  tenancyVlan: number;
}

const inputSchema = z.object({
  instanceId: z.string().min(1),
  profile: z.string().min(1),
  serverId: z.string().min(1).optional(),
  tenancyId: z.string().min(1).optional(),
  tenancyVlan: z.number().int().min(1).max(4094),
});

type Ctx = StepContext<InstanceCreateInput, WorkflowServices>;
type Step = StepDef<InstanceCreateInput, WorkflowServices>;

const ownerOf = (ctx: Ctx) => `instance:${ctx.input.instanceId}`;

/** The allocated server: from the allocate step's output, else (that step was interrupted) by owner. */
async function serverOf(ctx: Ctx): Promise<ServerRecord | undefined> {
  const { allocation } = ctx.services.store;
  const id = (ctx.outputs['allocate-server'] as { serverId?: string } | undefined)?.serverId;
  if (id) return allocation.getServer(id);
  return (await allocation.listServers()).find((s) => s.owner === ownerOf(ctx));
}

async function requireServer(ctx: Ctx): Promise<ServerRecord> {
  const server = await serverOf(ctx);
  if (!server) throw new Error(`no server is allocated to ${ownerOf(ctx)}`);
  return server;
}

const cabled = (server: ServerRecord) => server.nics.flatMap((n) => (n.cabledTo ? [{ nic: n.name, ...n.cabledTo }] : []));
const serverIdOf = (ctx: Ctx) => (ctx.outputs['allocate-server'] as { serverId?: string } | undefined)?.serverId ?? ctx.input.serverId ?? 'server';

async function segmentVlan(ctx: Ctx, name: 'quarantine' | 'provisioning'): Promise<number> {
  const seg = await ctx.services.store.getSegment(name);
  if (!seg) throw new Error(`no ${name} segment in inventory (segments.${name})`);
  return seg.vlan;
}

/** Puts every cabled NIC's port into `config(nic)` (batched per switch by the gateway), recording ownership. */
async function setPorts(ctx: Ctx, server: ServerRecord, purpose: string, config: (nic: string) => PortConfig, owner: string | null): Promise<string> {
  const ports = cabled(server);
  await Promise.all(ports.map(async ({ nic, switchId, port }) => {
    const record = await ctx.services.store.getPort(switchId, port);
    if (record?.owner && record.owner !== ownerOf(ctx)) throw new Error(`port ${switchId}/${port} (NIC ${nic} of ${server.id}) is owned by "${record.owner}"`);
    const wanted = config(nic);
    await audited(ctx, {
      what: `${purpose} ${switchId}/${port}`, device: switchId, before: record?.desired ?? null,
      run: () => ctx.services.switches.writePort(switchId, port, wanted),
      ownership: { switchId, port, owner, desired: owner === null ? null : wanted },
    });
  }));
  return `${purpose}: ${ports.map((p) => `${p.switchId}/${p.port}`).join(', ')}`;
}

function access(vlan: number, description: string): PortConfig {
  return { mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu: 9000, description, adminState: 'up' };
}

const portsToQuarantine = async (ctx: Ctx): Promise<string> => {
  const server = await serverOf(ctx);
  if (!server) return 'no server, no ports';
  const vlan = await segmentVlan(ctx, 'quarantine');
  return setPorts(ctx, server, 'port to quarantine', () => quarantineConfig(vlan), null);
};

/** Runs `fn` with the server's BMC driver, closing it afterwards. */
async function withBmc<T>(ctx: Ctx, fn: (bmc: BmcDriver, server: ServerRecord) => Promise<T>): Promise<T> {
  const server = await requireServer(ctx);
  const bmc = await ctx.services.bmc.open(server);
  try {
    return await fn(bmc, server);
  } finally {
    await bmc.close();
  }
}

const bmcStep = (ctx: Ctx) => `bmc:${serverIdOf(ctx)}`;
const serverLock = (ctx: Ctx) => [`server:${serverIdOf(ctx)}`];

/** The BMC operation as an audited device operation. */
const bmcOp = (ctx: Ctx, what: string, run: () => Promise<void>) => audited(ctx, { what, device: bmcStep(ctx), run, after: () => what });

/** Takes the server out of service with `reason` (through `failed` when the lifecycle needs it); keeps its owner. */
async function toMaintenance(ctx: Ctx, reason: string): Promise<void> {
  const server = await serverOf(ctx);
  if (!server || server.state === 'maintenance') return;
  const { store } = ctx.services;
  if (server.state !== 'failed') await setServerState(store, server.id, 'failed', reason);
  await setServerState(store, server.id, 'maintenance', reason);
}

const steps: Step[] = [
  {
    name: 'allocate-server',
    device: () => null,
    do: async (ctx) => {
      const { store } = ctx.services;
      const server = await allocateServer(store, { profile: ctx.input.profile, serverId: ctx.input.serverId, tenancyId: ctx.input.tenancyId, owner: ownerOf(ctx) });
      await setServerState(store, server.id, 'provisioning', `instance ${ctx.input.instanceId}`);
      return { detail: `allocated ${server.id}`, output: { serverId: server.id } };
    },
    undo: async (ctx) => {
      const server = await serverOf(ctx);
      if (!server) return 'no server was allocated';
      const erased = (ctx.outputs['undo pxe-boot'] as { erased?: boolean } | null | undefined)?.erased === true;
      const cleaned = erased && server.state !== 'maintenance';
      await releaseServer(ctx.services.store, server.id, { cleaned, reason: server.stateReason ?? `instance ${ctx.input.instanceId} was rolled back before its disks were erased` });
      return `released ${server.id} (${cleaned ? 'erased: available' : 'not erased: maintenance'})`;
    },
  },
  {
    name: 'ports-provisioning',
    device: (ctx) => `switch ports of ${serverIdOf(ctx)}`,
    do: async (ctx) => {
      const server = await requireServer(ctx);
      const vlan = await segmentVlan(ctx, 'provisioning');
      return setPorts(ctx, server, `port to provisioning VLAN ${vlan}`, (nic) => access(vlan, `${server.id} ${nic} provisioning`), ownerOf(ctx));
    },
    undo: portsToQuarantine,
  },
  {
    name: 'pxe-boot',
    device: bmcStep,
    locks: serverLock,
    pool: 'bmc',
    do: (ctx) => withBmc(ctx, async (bmc) => {
      await bmcOp(ctx, 'boot override Pxe once', () => bmc.boot.setBootOverride('Pxe', 'Once'));
      await bmcOp(ctx, 'power On', () => bmc.power.setPower('On'));
      return 'boot override Pxe (once), powered on';
    }),
    undo: (ctx) => withBmc(ctx, async (bmc) => {
      await bmcOp(ctx, 'power ForceOff', () => bmc.power.setPower('ForceOff'));
      const { drives } = await bmc.inventory.getInventory();
      for (const d of drives) await bmcOp(ctx, `secure erase ${d.id}`, () => bmc.cleaning.secureEraseDrive(d.id));
      return { detail: `powered off, erased ${drives.map((d) => d.id).join(', ')}`, output: { erased: true } };
    }),
  },
  {
    name: 'ports-tenancy',
    device: (ctx) => `switch ports of ${serverIdOf(ctx)}`,
    do: async (ctx) => {
      const server = await requireServer(ctx);
      return setPorts(ctx, server, `port to tenancy VLAN ${ctx.input.tenancyVlan}`, (nic) => access(ctx.input.tenancyVlan, `${server.id} ${nic} ${ctx.input.instanceId}`), ownerOf(ctx));
    },
    undo: portsToQuarantine,
  },
  {
    name: 'disk-boot',
    device: bmcStep,
    locks: serverLock,
    pool: 'bmc',
    do: (ctx) => withBmc(ctx, async (bmc) => {
      await bmcOp(ctx, 'boot override Hdd continuous', () => bmc.boot.setBootOverride('Hdd', 'Continuous'));
      await bmcOp(ctx, 'power ForceRestart', () => bmc.power.setPower('ForceRestart'));
      return 'boot override Hdd (continuous), restarted';
    }),
  },
  {
    name: 'mark-active',
    device: () => null,
    do: async (ctx) => {
      const server = await requireServer(ctx);
      await setServerState(ctx.services.store, server.id, 'active', `instance ${ctx.input.instanceId}`);
      return `${server.id} active`;
    },
  },
];

export const instanceCreateKind: JobKind<InstanceCreateInput, WorkflowServices> = {
  kind: 'instance.create',
  // A half-provisioned server is worth finishing: every step is idempotent and the caller may poll the job.
  recovery: 'resume',
  parse: (raw) => inputSchema.parse(raw),
  steps: () => steps,
  onUndoFailure: (ctx, step, error) => toMaintenance(ctx, `undo of "${step}" failed: ${errorText(error)}`),
};
