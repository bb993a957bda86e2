// Host addresses inside a tenancy subnet: the gateway is the first host; network and broadcast are never handed out. Pure.

import { AllocationError, CapacityError } from '../domain/allocation-error';
import { containsAddress, formatCidr, lastOf, parseIpv4, type Cidr } from './ipv4';

/** The tenancy's gateway: the first host address of its subnet. */
export const gatewayOf = (c: Cidr): number => c.base + 1;

/** Addresses an allocation may hand out: after the gateway, before the broadcast. */
const firstAssignable = (c: Cidr) => c.base + 2;
const lastAssignable = (c: Cidr) => lastOf(c) - 1;

/**
 * The lowest assignable address of `subnet` not in `used`, or `requested` when
 * it is assignable and free. Throws CapacityError naming the tenancy and subnet
 * when full, AllocationError `out_of_pool` for an address outside the subnet or
 * reserved (network, gateway, broadcast), `conflict` for one already taken.
 */
export function pickHostAddress(tenancyId: string, subnet: Cidr, used: ReadonlySet<number>, requested?: string): number {
  const where = `tenancy ${tenancyId} (${formatCidr(subnet)})`;
  if (requested !== undefined) {
    const addr = parseIpv4(requested);
    if (addr === undefined || !containsAddress(subnet, addr)) throw new AllocationError('out_of_pool', `${requested} is not an address of ${where}`);
    if (addr < firstAssignable(subnet) || addr > lastAssignable(subnet)) {
      throw new AllocationError('out_of_pool', `${requested} is the network, gateway or broadcast address of ${where}`);
    }
    if (used.has(addr)) throw new AllocationError('conflict', `${requested} in ${where} is already allocated`);
    return addr;
  }
  for (let a = firstAssignable(subnet); a <= lastAssignable(subnet); a++) if (!used.has(a)) return a;
  const total = Math.max(0, lastAssignable(subnet) - firstAssignable(subnet) + 1);
  throw new CapacityError(where, `${where} has no free address (${total} of ${total} allocated)`);
}
