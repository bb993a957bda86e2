// Host IP allocation inside a tenancy network as store transactions.

import { AllocationError } from '../domain/allocation-error';
import type { AllocationStore, IpAllocationRecord, IpView } from '../store/allocation-store';
import { pickHostAddress } from './host-address';
import { formatIpv4, parseCidr, parseIpv4 } from './ipv4';

export interface IpRequest {
  tenancyId: string;
  /** Who holds the address (an instance id); one address per owner per tenancy. */
  owner: string;
  /** A specific address; must be a free host address of the tenancy (not network, gateway or broadcast). */
  address?: string;
}

function networkOf(view: IpView, tenancyId: string) {
  if (!view.network) throw new AllocationError('not_found', `tenancy "${tenancyId}" has no network; allocate it first`);
  return view.network;
}

/**
 * Allocates a host address of the tenancy to `owner`: the lowest free one, or
 * `address`. Idempotent: an owner that already holds an address of the tenancy
 * gets it back (AllocationError `conflict` when it asks for another). Throws
 * CapacityError naming the tenancy and subnet when full, AllocationError
 * `not_found` without a tenancy network, `out_of_pool`/`conflict` for a
 * requested address that is reserved, outside the subnet or taken.
 */
export async function allocateIp(store: { allocation: AllocationStore }, req: IpRequest): Promise<IpAllocationRecord> {
  if (!req.owner) throw new AllocationError('invalid_request', 'an IP allocation needs an owner');
  return store.allocation.changeIps(req.tenancyId, (view) => {
    const net = networkOf(view, req.tenancyId);
    const held = view.ips.find((ip) => ip.owner === req.owner);
    if (held && (req.address ?? held.address) === held.address) return { write: [], result: held };
    if (held) throw new AllocationError('conflict', `owner "${req.owner}" already holds ${held.address} in tenancy "${req.tenancyId}"`);
    const used = new Set(view.ips.map((ip) => parseIpv4(ip.address)!));
    const address = formatIpv4(pickHostAddress(req.tenancyId, parseCidr(net.cidr), used, req.address));
    const ip = { tenancyId: req.tenancyId, address, owner: req.owner };
    return { write: [{ add: ip }], result: ip };
  });
}

/**
 * Releases the tenancy's address `address`, or the one `owner` holds (exactly
 * one of them). Releasing something not allocated is success.
 */
export async function releaseIp(store: { allocation: AllocationStore }, req: { tenancyId: string; address?: string; owner?: string }): Promise<void> {
  if ((req.address === undefined) === (req.owner === undefined)) throw new AllocationError('invalid_request', 'releaseIp needs exactly one of address and owner');
  return store.allocation.changeIps(req.tenancyId, (view) => {
    const held = view.ips.find((ip) => ip.address === req.address || ip.owner === req.owner);
    return { write: held ? [{ remove: held.address }] : [], result: undefined };
  });
}
