// Server selection: which available server of a profile an allocation gets, spread across racks and leaves. Pure.

import { AllocationError, CapacityError } from '../domain/allocation-error';
import type { ServerRecord } from '../store/allocation-store';

export interface ServerRequest {
  profile: string;
  /** Pin: this server or an error naming why not. */
  serverId?: string;
  /** The tenancy the server is for; its other servers' racks and leaves are avoided. */
  tenancyId?: string;
  /** Servers whose cabled switch ports another owner holds, with why (foreignPortHolders): never chosen. */
  portHolders?: ReadonlyMap<string, string>;
}

const isFree = (s: ServerRecord) => s.state === 'available' && !s.needsCleaning;

const holderText = (s: ServerRecord) => (s.owner ? ` (owner "${s.owner}")` : '');

/** Why a pinned server cannot be had, or null when it can. */
function pinRefusal(s: ServerRecord, profile: string): string | null {
  if (s.profile !== profile) return `server "${s.id}" is of profile "${s.profile}", not "${profile}"`;
  if (s.state !== 'available') return `server "${s.id}" is ${s.state}${holderText(s)}${s.stateReason ? `: ${s.stateReason}` : ''}`;
  if (s.needsCleaning) return `server "${s.id}" is available but was not cleaned since its last use; clean it first`;
  return null;
}

/** `(8 of 8 allocated)`, plus the other states servers of the profile are in. */
function occupancy(ofProfile: ServerRecord[]): string {
  const byState = new Map<string, number>();
  for (const s of ofProfile) byState.set(s.state, (byState.get(s.state) ?? 0) + 1);
  const taken = ['allocated', 'provisioning', 'active'].reduce((n, st) => n + (byState.get(st) ?? 0), 0);
  const other = [...byState].filter(([st]) => !['allocated', 'provisioning', 'active'].includes(st)).map(([st, n]) => `${n} ${st}`);
  return `(${[`${taken} of ${ofProfile.length} allocated`, ...other].join(', ')})`;
}

const leavesOf = (s: ServerRecord) => [...new Set(s.nics.flatMap((n) => (n.cabledTo ? [n.cabledTo.switchId] : [])))];

const countBy = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());

/**
 * Chooses the server an allocation gets from `servers` (every server, ordered
 * by id). Only `available` servers cleaned since their last use qualify. With
 * a tenancy, prefers the rack, then the leaf, holding the fewest servers of
 * that tenancy; ties go to the lowest id. Throws CapacityError naming the
 * profile and its occupancy when none qualifies, AllocationError `not_found`
 * or `conflict` for a pin that cannot be honoured (saying its state and owner).
 */
export function chooseServer(servers: readonly ServerRecord[], req: ServerRequest): ServerRecord {
  if (req.serverId !== undefined) {
    const pinned = servers.find((s) => s.id === req.serverId);
    if (!pinned) throw new AllocationError('not_found', `no server "${req.serverId}" in inventory`);
    const held = req.portHolders?.get(pinned.id);
    const refusal = pinRefusal(pinned, req.profile) ?? (held ? `server "${pinned.id}" cannot be used: ${held}` : null);
    if (refusal) throw new AllocationError('conflict', refusal);
    return pinned;
  }
  const ofProfile = servers.filter((s) => s.profile === req.profile);
  const cleanFree = ofProfile.filter(isFree);
  const free = cleanFree.filter((s) => !req.portHolders?.has(s.id));
  if (free.length === 0) {
    const pool = `profile "${req.profile}"`;
    const blocked = cleanFree.length > 0 ? `; ${cleanFree.length} available but cabled to ports others hold: ${cleanFree.map((s) => `${s.id}: ${req.portHolders!.get(s.id)}`).join('; ')}` : '';
    throw new CapacityError(pool, ofProfile.length === 0 ? `no server of profile "${req.profile}" in inventory` : `no available server of ${pool} ${occupancy(ofProfile)}${blocked}`);
  }
  const mates = servers.filter((s) => req.tenancyId !== undefined && s.tenancyId === req.tenancyId && s.state !== 'available');
  const perRack = countBy(mates.map((s) => s.rack));
  const perLeaf = countBy(mates.flatMap(leavesOf));
  const score = (s: ServerRecord) => [perRack.get(s.rack) ?? 0, Math.max(0, ...leavesOf(s).map((l) => perLeaf.get(l) ?? 0))];
  return free.reduce((best, s) => {
    const [a, b] = [score(s), score(best)];
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]) ? s : best;
  });
}
