// Says in words how an observed port differs from the config it must have, for operation reasons.

import type { PortConfig } from '../domain/port-config';

type Field = [name: string, value: (c: PortConfig) => string];

const vlanList = (v: number[] | null) => (v === null || v.length === 0 ? '-' : v.join(','));

/** The fields as users write them, compared the way samePortConfig compares them. */
const FIELDS: Field[] = [
  ['mode', (c) => c.mode],
  ['access_vlan', (c) => String(c.accessVlan ?? '-')],
  ['allowed_vlans', (c) => vlanList(c.allowedVlans)],
  ['native_vlan', (c) => String(c.nativeVlan ?? 1)],
  ['mtu', (c) => String(c.mtu)],
  ['description', (c) => JSON.stringify(c.description)],
  ['admin_state', (c) => c.adminState],
];

/** `access_vlan 999 -> 100, mtu 1500 -> 9000`; `not read from the device` when there is nothing to compare. */
export function portDiff(observed: PortConfig | undefined, wanted: PortConfig): string {
  if (!observed) return 'not read from the device';
  return FIELDS.flatMap(([name, value]) => (value(observed) === value(wanted) ? [] : [`${name} ${value(observed)} -> ${value(wanted)}`])).join(', ');
}
