// The `tenancy.delete` job kind: mark the tenancy deleting, remove its VLAN from every leaf, release its network,
// forget it. A failure puts the VLANs and the network back and the tenancy returns to `active`.

import { z } from 'zod';
import { segmentName } from '../domain/tenancy';
import { allocateTenancyNetwork, releaseTenancyNetwork } from '../ipam';
import type { TenancyNetworkRecord } from '../store/allocation-store';
import type { JobKind, StepContext, StepDef } from './job-kind';
import type { WorkflowServices } from './services';
import { removeSegmentStep } from './tenancy-segment';

export interface TenancyDeleteInput {
  tenancyId: string;
  name: string;
  /** The network as it was when the job started: what the undo of the release allocates again. */
  network: TenancyNetworkRecord;
  switchIds: string[];
}

const inputSchema = z.object({
  tenancyId: z.string().min(1),
  name: z.string().min(1),
  network: z.object({
    tenancyId: z.string(), pool: z.string(), vlan: z.number().int(), vni: z.number().int(), cidr: z.string(), gateway: z.string(), mtu: z.number().int(),
  }),
  switchIds: z.array(z.string().min(1)),
});

type Ctx = StepContext<TenancyDeleteInput, WorkflowServices>;
type Step = StepDef<TenancyDeleteInput, WorkflowServices>;

const segment = (ctx: Ctx) => ({ vlan: ctx.input.network.vlan, vni: ctx.input.network.vni, name: segmentName(ctx.input.name) });

const markDeleting: Step = {
  name: 'mark-deleting',
  device: () => null,
  do: async (ctx) => {
    await ctx.services.store.tenancies.setTenancyState(ctx.input.tenancyId, 'deleting');
    return `tenancy ${ctx.input.tenancyId} deleting`;
  },
  undo: async (ctx) => {
    await ctx.services.store.tenancies.setTenancyState(ctx.input.tenancyId, 'active');
    return `tenancy ${ctx.input.tenancyId} active again`;
  },
};

const release: Step = {
  name: 'release-network',
  device: () => null,
  do: async (ctx) => {
    await releaseTenancyNetwork(ctx.services.store, ctx.input.tenancyId);
    const n = ctx.input.network;
    return `VLAN ${n.vlan}, VNI ${n.vni}, ${n.cidr} returned to pool ${n.pool}`;
  },
  undo: async (ctx) => {
    const { tenancyId, pool, vlan, vni, cidr, mtu } = ctx.input.network;
    await allocateTenancyNetwork(ctx.services.store, { tenancyId, pool, vlan, vni, cidr, mtu });
    return `network of ${tenancyId} allocated again`;
  },
};

const forget: Step = {
  name: 'forget',
  device: () => null,
  do: async (ctx) => {
    await ctx.services.store.tenancies.deleteTenancy(ctx.input.tenancyId);
    return `tenancy ${ctx.input.tenancyId} "${ctx.input.name}" deleted`;
  },
};

export const tenancyDeleteKind: JobKind<TenancyDeleteInput, WorkflowServices> = {
  kind: 'tenancy.delete',
  // Every step is idempotent and the user asked for the tenancy to go: finish it after a restart.
  recovery: 'resume',
  parse: (raw) => inputSchema.parse(raw),
  steps: (input) => [markDeleting, ...input.switchIds.map((id) => removeSegmentStep<TenancyDeleteInput>(id, segment)), release, forget],
};
