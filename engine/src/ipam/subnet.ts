// Tenancy subnets carved from a supernet: lowest aligned free block of the configured prefix, or a requested one. Pure.

import { AllocationError, CapacityError } from '../domain/allocation-error';
import { blockSize, containsCidr, formatCidr, lastOf, overlaps, parseCidr, type Cidr } from './ipv4';

export interface Supernet {
  /** The pool's name, for messages. */
  pool: string;
  cidr: Cidr;
  /** Prefix length of every tenancy subnet allocated from it. */
  tenancyPrefix: number;
}

const label = (s: Supernet) => `supernet ${formatCidr(s.cidr)} of pool ${s.pool}`;

/**
 * The lowest block of `tenancyPrefix` inside the supernet, aligned to its own
 * size, that overlaps none of `used` (every tenancy CIDR of the engine, in any
 * pool). With `requested`: that block, which must lie inside the supernet and
 * overlap nothing. Throws CapacityError naming the supernet when none is free.
 */
export function pickSubnet(net: Supernet, used: readonly Cidr[], requested?: string): Cidr {
  if (requested !== undefined) return checkRequested(net, used, requested);
  const size = blockSize(net.tenancyPrefix);
  for (let start = net.cidr.base; start + size - 1 <= lastOf(net.cidr);) {
    const candidate = { base: start, prefix: net.tenancyPrefix };
    const clash = used.find((u) => overlaps(u, candidate));
    if (!clash) return candidate;
    start = Math.ceil((lastOf(clash) + 1) / size) * size;
  }
  throw new CapacityError(label(net), `${label(net)} is exhausted: no free /${net.tenancyPrefix} left`);
}

function checkRequested(net: Supernet, used: readonly Cidr[], requested: string): Cidr {
  let cidr: Cidr;
  try {
    cidr = parseCidr(requested);
  } catch (err) {
    throw new AllocationError('out_of_pool', (err as Error).message);
  }
  if (!containsCidr(net.cidr, cidr)) throw new AllocationError('out_of_pool', `${requested} is not inside ${label(net)}`);
  const clash = used.find((u) => overlaps(u, cidr));
  if (clash) throw new AllocationError('conflict', `${requested} overlaps ${formatCidr(clash)}, which another tenancy holds`);
  return cidr;
}
