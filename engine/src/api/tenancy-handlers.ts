// AllocateTenancyNetwork, ReleaseTenancyNetwork, ListTenancyNetworks, AllocateIp, ReleaseIp: IPAM over the API.

import { allocateIp, allocateTenancyNetwork, releaseIp, releaseTenancyNetwork } from '../ipam';
import { allocationCall } from './allocation-status';
import type { EngineContext } from './engine-context';

type Handler = (ctx: EngineContext, req: any) => Promise<object>;

const orUndefined = <T>(v: T) => (v === '' || v === 0 ? undefined : v);

interface WireNetworkRequest { tenancyId: string; pool: string; vlan?: number; vni?: number; cidr: string; mtu?: number }

/** The tenancy RPCs by proto method name; server.ts registers them. */
export const tenancyRpcs: Record<string, Handler> = {
  AllocateTenancyNetwork: (ctx, req: WireNetworkRequest) => allocationCall(() => allocateTenancyNetwork(ctx.store, {
    tenancyId: req.tenancyId, pool: orUndefined(req.pool), vlan: req.vlan, vni: req.vni, cidr: orUndefined(req.cidr), mtu: req.mtu,
  })),
  ReleaseTenancyNetwork: (ctx, req: { tenancyId: string }) => allocationCall(async () => (await releaseTenancyNetwork(ctx.store, req.tenancyId), {})),
  ListTenancyNetworks: async (ctx) => ({ networks: await ctx.store.allocation.listTenancyNetworks() }),
  AllocateIp: (ctx, req: { tenancyId: string; owner: string; address: string }) =>
    allocationCall(() => allocateIp(ctx.store, { tenancyId: req.tenancyId, owner: req.owner, address: orUndefined(req.address) })),
  ReleaseIp: (ctx, req: { tenancyId: string; address: string; owner: string }) => allocationCall(async () =>
    (await releaseIp(ctx.store, { tenancyId: req.tenancyId, address: orUndefined(req.address), owner: orUndefined(req.owner) }), {})),
};
