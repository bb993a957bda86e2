// Server allocation and lifecycle changes as store transactions: choose, allocate, release, change state.

import { AllocationError } from '../domain/allocation-error';
import { transitionRefusal, type ServerState, type TransitionFacts } from '../domain/server-lifecycle';
import type { AllocationStore, ServerRecord } from '../store/allocation-store';
import { chooseServer, type ServerRequest } from './choose-server';

/** Anything holding an AllocationStore (every Store does). */
export interface AllocationHost {
  allocation: AllocationStore;
}

export interface AllocateServerRequest extends ServerRequest {
  /** Who holds the server (an instance id); one server per owner. */
  owner: string;
}

function find(servers: readonly ServerRecord[], id: string): ServerRecord {
  const s = servers.find((x) => x.id === id);
  if (!s) throw new AllocationError('not_found', `no server "${id}" in inventory`);
  return s;
}

/** Walks `s` through `path`, checking every step against the lifecycle; steps equal to the current state are no-ops. */
function walk(s: ServerRecord, path: ServerState[], facts: TransitionFacts): void {
  let at = s.state;
  for (const to of path.filter((st, i) => st !== (i === 0 ? s.state : path[i - 1]))) {
    const refusal = transitionRefusal(at, to, facts);
    if (refusal) throw new AllocationError('invalid_transition', `server "${s.id}": ${refusal}`);
    at = to;
  }
}

/**
 * Allocates an available, cleaned server of `req.profile` to `req.owner`
 * (chooseServer's rules), marking it `allocated` and needing a clean.
 * Idempotent: when `owner` already holds a server of that profile, resolves
 * with it. Throws CapacityError naming the profile when none is free,
 * AllocationError for an unusable pin, an empty owner, or an owner holding a
 * server of another profile.
 */
export async function allocateServer(store: AllocationHost, req: AllocateServerRequest): Promise<ServerRecord> {
  if (!req.owner) throw new AllocationError('invalid_request', 'a server allocation needs an owner');
  return store.allocation.changeServers((servers) => {
    const held = servers.find((s) => s.owner === req.owner);
    if (held && held.profile === req.profile && (req.serverId ?? held.id) === held.id) return { write: [], result: held };
    if (held) throw new AllocationError('conflict', `owner "${req.owner}" already holds server "${held.id}" (profile "${held.profile}")`);
    const chosen = chooseServer(servers, req);
    walk(chosen, ['allocated'], { cleaned: false, needsCleaning: chosen.needsCleaning });
    const after: ServerRecord = { ...chosen, state: 'allocated', stateReason: null, owner: req.owner, tenancyId: req.tenancyId ?? null, needsCleaning: true };
    return { write: [after], result: after };
  });
}

/**
 * Ends a server's allocation. `cleaned: true` (a clean just succeeded) makes it
 * `available` again, recording `cleanedAt`; `cleaned: false` sends it to
 * `maintenance` with `reason`, still needing a clean, so it is never handed out
 * dirty. Either way the owner and tenancy are dropped. Throws AllocationError
 * `not_found`, or `invalid_transition` when the lifecycle forbids the move.
 */
export async function releaseServer(store: AllocationHost, serverId: string, opts: { cleaned: boolean; reason?: string }): Promise<ServerRecord> {
  return store.allocation.changeServers((servers) => {
    const s = find(servers, serverId);
    const target: ServerState = opts.cleaned ? 'available' : 'maintenance';
    const direct = s.state === 'cleaning' || (!opts.cleaned && ['failed', 'maintenance'].includes(s.state));
    walk(s, direct ? [target] : ['cleaning', target], { cleaned: opts.cleaned, needsCleaning: s.needsCleaning });
    const after: ServerRecord = {
      ...s, state: target, owner: null, tenancyId: null, needsCleaning: !opts.cleaned,
      stateReason: opts.cleaned ? null : opts.reason ?? 'released without a successful clean',
      cleanedAt: opts.cleaned ? new Date().toISOString() : s.cleanedAt,
    };
    return { write: [after], result: after };
  });
}

/**
 * Moves a server to `to` when the lifecycle allows it, recording `reason`.
 * Already in `to` is success (only the reason is updated). Entering
 * `allocated` goes through allocateServer (it records the owner) and leaving
 * cleaning for `available` through releaseServer with `cleaned: true`; both
 * are refused here with AllocationError `invalid_transition`.
 */
export async function setServerState(store: AllocationHost, serverId: string, to: ServerState, reason?: string): Promise<ServerRecord> {
  if (to === 'allocated') throw new AllocationError('invalid_transition', 'allocate servers with allocateServer, which records the owner');
  return store.allocation.changeServers((servers) => {
    const s = find(servers, serverId);
    try {
      walk(s, [to], { cleaned: false, needsCleaning: s.needsCleaning });
    } catch (err) {
      if (to !== 'available') throw err;
      throw new AllocationError('invalid_transition', `${(err as Error).message}; after a successful clean call releaseServer with cleaned: true`);
    }
    const after: ServerRecord = { ...s, state: to, stateReason: reason ?? null, ...(to === 'available' ? { owner: null, tenancyId: null } : {}) };
    return { write: [after], result: after };
  });
}
