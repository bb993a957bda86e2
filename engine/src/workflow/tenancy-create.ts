// The `tenancy.create` job kind: record the tenancy, allocate its network, put its VLAN (named, with its VNI) on every
// leaf, mark it active. Each step has an idempotent undo: a failure on any leaf removes the VLAN again and frees the network.

import { z } from 'zod';
import { segmentName, type TenancyRequest } from '../domain/tenancy';
import { allocateTenancyNetwork, releaseTenancyNetwork } from '../ipam';
import type { TenancyNetworkRecord } from '../store/allocation-store';
import type { JobKind, StepContext, StepDef } from './job-kind';
import type { WorkflowServices } from './services';
import { ensureSegmentStep } from './tenancy-segment';

/** The tenancy's request (network values unset = allocated) plus what the job fixes when it starts. */
export interface TenancyCreateInput extends TenancyRequest {
  tenancyId: string;
  /** The leaves the segment goes on, fixed when the job starts. */
  switchIds: string[];
}

const inputSchema = z.object({
  tenancyId: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  vlan: z.number().int().optional(),
  vni: z.number().int().optional(),
  cidr: z.string().optional(),
  mtu: z.number().int().optional(),
  switchIds: z.array(z.string().min(1)),
});

type Ctx = StepContext<TenancyCreateInput, WorkflowServices>;
type Step = StepDef<TenancyCreateInput, WorkflowServices>;

/** The network the allocate step produced (present once any segment step runs). */
export const networkOf = (outputs: Readonly<Record<string, unknown>>): TenancyNetworkRecord => outputs['allocate-network'] as TenancyNetworkRecord;

const segment = (ctx: Ctx) => {
  const net = networkOf(ctx.outputs);
  return { vlan: net.vlan, vni: net.vni, name: segmentName(ctx.input.name) };
};

const record: Step = {
  name: 'record',
  device: () => null,
  do: async (ctx) => {
    const { tenancyId: id, name, description } = ctx.input;
    await ctx.services.store.tenancies.insertTenancy({ id, name, description });
    return `tenancy ${id} "${name}" recorded`;
  },
  undo: async (ctx) => {
    await ctx.services.store.tenancies.deleteTenancy(ctx.input.tenancyId);
    return `tenancy ${ctx.input.tenancyId} forgotten`;
  },
};

const allocate: Step = {
  name: 'allocate-network',
  device: () => null,
  do: async (ctx) => {
    const { tenancyId, vlan, vni, cidr, mtu } = ctx.input;
    const net = await allocateTenancyNetwork(ctx.services.store, { tenancyId, vlan, vni, cidr, mtu });
    return { detail: `VLAN ${net.vlan}, VNI ${net.vni}, ${net.cidr} (gateway ${net.gateway}, MTU ${net.mtu}) from pool ${net.pool}`, output: net };
  },
  undo: async (ctx) => {
    await releaseTenancyNetwork(ctx.services.store, ctx.input.tenancyId);
    return `network of ${ctx.input.tenancyId} released`;
  },
};

const activate: Step = {
  name: 'activate',
  device: () => null,
  do: async (ctx) => {
    await ctx.services.store.tenancies.setTenancyState(ctx.input.tenancyId, 'active');
    return `tenancy ${ctx.input.tenancyId} active`;
  },
};

export const tenancyCreateKind: JobKind<TenancyCreateInput, WorkflowServices> = {
  kind: 'tenancy.create',
  // The caller that asked is gone after a restart: take everything back rather than leave a half-made segment.
  recovery: 'compensate',
  parse: (raw) => inputSchema.parse(raw),
  steps: (input) => [record, allocate, ...input.switchIds.map((id) => ensureSegmentStep<TenancyCreateInput>(id, segment)), activate],
};
