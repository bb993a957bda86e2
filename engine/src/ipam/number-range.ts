// Picking integers (VLAN ids, VNIs) from an inclusive range: lowest free, or a requested one. Pure.

import { AllocationError, CapacityError } from '../domain/allocation-error';

/** An inclusive range with the name users know it by, e.g. `VLAN pool tenants`. */
export interface NamedRange {
  /** `VLAN pool tenants`: the message prefix for errors. */
  label: string;
  from: number;
  to: number;
}

export const rangeText = (r: NamedRange): string => `${r.label} ${r.from}-${r.to}`;

export const rangesOverlap = (a: { from: number; to: number }, b: { from: number; to: number }): boolean => a.from <= b.to && b.from <= a.to;

/**
 * The lowest value of `range` not in `used`, or `requested` when it is inside
 * the range and free. Throws CapacityError naming the range when it is full,
 * AllocationError `out_of_pool` for a requested value outside it, `conflict`
 * for one already taken (naming its holder when `holderOf` knows it).
 */
export function pickFromRange(range: NamedRange, used: ReadonlySet<number>, requested?: number, holderOf?: (v: number) => string | undefined): number {
  if (requested !== undefined) {
    if (requested < range.from || requested > range.to) {
      throw new AllocationError('out_of_pool', `${requested} is outside ${rangeText(range)}`);
    }
    if (used.has(requested)) {
      const holder = holderOf?.(requested);
      throw new AllocationError('conflict', `${requested} from ${rangeText(range)} is already allocated${holder ? ` to ${holder}` : ''}`);
    }
    return requested;
  }
  for (let v = range.from; v <= range.to; v++) if (!used.has(v)) return v;
  throw new CapacityError(rangeText(range), `${rangeText(range)} is exhausted (${range.to - range.from + 1} of ${range.to - range.from + 1} allocated)`);
}
