// ListServers, GetServer, ListProfiles, AllocateServer, ReleaseServer, SetServerState: inventory reads and server allocation.

import { SERVER_STATES, type ServerState } from '../domain/server-lifecycle';
import { allocateServer, releaseServer, setServerState } from '../placement';
import { EngineApiError } from './api-error';
import { allocationCall } from './allocation-status';
import type { EngineContext } from './engine-context';
import { serverToWire } from './inventory-wire';

type Handler = (ctx: EngineContext, req: any) => Promise<object>;

const orUndefined = (s: string) => (s === '' ? undefined : s);

function stateOf(s: string): ServerState {
  if ((SERVER_STATES as string[]).includes(s)) return s as ServerState;
  throw EngineApiError.field('invalid_argument', 'state', `unknown server state "${s}"; states: ${SERVER_STATES.join(', ')}`);
}

/** The server RPCs by proto method name; server.ts registers them. */
export const serverRpcs: Record<string, Handler> = {
  ListServers: async (ctx, req: { state: string; profile: string }) => {
    const servers = await ctx.store.allocation.listServers();
    const wanted = (s: { state: string; profile: string }) => (!req.state || s.state === req.state) && (!req.profile || s.profile === req.profile);
    return { servers: servers.filter(wanted).map(serverToWire) };
  },
  GetServer: async (ctx, req: { id: string }) => {
    const s = await ctx.store.allocation.getServer(req.id);
    if (!s) throw EngineApiError.field('not_found', 'id', `no server "${req.id}" in inventory; \`maestro servers list\` shows them`);
    return serverToWire(s);
  },
  ListProfiles: async (ctx) => ({ profiles: await ctx.store.allocation.listProfiles() }),
  AllocateServer: (ctx, req: { profile: string; serverId: string; tenancyId: string; owner: string }) => allocationCall(async () =>
    serverToWire(await allocateServer(ctx.store, { profile: req.profile, owner: req.owner, serverId: orUndefined(req.serverId), tenancyId: orUndefined(req.tenancyId) }))),
  ReleaseServer: (ctx, req: { serverId: string; cleaned: boolean; reason: string }) => allocationCall(async () =>
    serverToWire(await releaseServer(ctx.store, req.serverId, { cleaned: req.cleaned, reason: orUndefined(req.reason) }))),
  SetServerState: (ctx, req: { serverId: string; state: string; reason: string }) => allocationCall(async () =>
    serverToWire(await setServerState(ctx.store, req.serverId, stateOf(req.state), orUndefined(req.reason)))),
};
