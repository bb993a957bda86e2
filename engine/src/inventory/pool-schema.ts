// Inventory shape of segment pools: VLAN and VNI ranges and the supernet tenancy subnets are carved from.

import { z } from 'zod';
import { VLAN_MAX, VLAN_MIN } from '../domain/port-config';
import { parseCidr } from '../ipam/ipv4';
import { objectId } from './server-schema';

export const VNI_MIN = 1;
export const VNI_MAX = 16_777_215;
/** Smaller subnets have no room for a host after network, gateway and broadcast. */
export const TENANCY_PREFIX_MAX = 30;

/** `[from, to]`, both inside [min, max], from <= to; output `{ from, to }`. */
const range = (what: string, min: number, max: number) => z
  .tuple([z.number().int().min(min).max(max), z.number().int().min(min).max(max)])
  .refine(([from, to]) => from <= to, { message: `${what} [from, to] must have from <= to` })
  .transform(([from, to]) => ({ from, to }));

const cidr = z.string().transform((s, ctx) => {
  try {
    return { text: s, ...parseCidr(s) };
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

export const segmentPool = z.strictObject({
  name: objectId('pool name'),
  vlan_range: range('vlan_range', VLAN_MIN, VLAN_MAX),
  vni_range: range('vni_range', VNI_MIN, VNI_MAX),
  supernet: cidr,
  tenancy_prefix: z.number().int().max(TENANCY_PREFIX_MAX, `tenancy_prefix must be at most ${TENANCY_PREFIX_MAX}`),
}).superRefine((p, ctx) => {
  if (p.tenancy_prefix < p.supernet.prefix) {
    ctx.addIssue({ code: 'custom', path: ['tenancy_prefix'], message: `tenancy_prefix /${p.tenancy_prefix} is larger than the supernet ${p.supernet.text}` });
  }
});
