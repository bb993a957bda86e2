// VLAN lists as switch CLIs write them: `10,20-22,30` <-> [10, 20, 21, 22, 30].

import { VLAN_MAX, VLAN_MIN } from '../../domain/port-config';

/** Every VLAN a trunk can carry, 1..4094: what a trunk without an allowed list carries. */
export const ALL_VLANS: readonly number[] = Array.from({ length: VLAN_MAX - VLAN_MIN + 1 }, (_, i) => VLAN_MIN + i);

/** Compresses sorted or unsorted VLANs into ranges: consecutive runs of two or more become `a-b`. */
export function formatVlanList(vlans: readonly number[]): string {
  const sorted = [...new Set(vlans)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Parses `10,20-22` (also `none` = empty) into sorted unique VLANs.
 * Returns null when the text is not a valid list of VLANs in 1..4094.
 */
export function parseVlanList(text: string): number[] | null {
  if (text === 'none') return [];
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < VLAN_MIN || hi > VLAN_MAX || lo > hi) return null;
    for (let v = lo; v <= hi; v++) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}
