// The netns lab's IPv4 address plan: which address each lab interface gets, and the check that no range collides with the host's routes.

import type { NetnsTopology } from './topology';

/** One IPv4 prefix as numbers. */
interface Prefix {
  base: number;
  length: number;
}

/** Addresses the lab assigns, as `a.b.c.d/len` (interface form). */
export interface AddressPlan {
  /** The root namespace's end of the management link: what the engine's traffic leaves from. */
  root: string;
  /** Per leaf id: management (sshd) and underlay (VTEP) addresses. */
  leaves: Map<string, { management: string; underlay: string }>;
  /** Per server id: management (sshd) address. */
  servers: Map<string, { management: string }>;
}

function toNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`"${ip}" is not an IPv4 address`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

function parsePrefix(cidr: string): Prefix {
  const [ip, len] = cidr.split('/');
  const length = len === undefined ? 32 : Number(len);
  const size = 2 ** (32 - length);
  return { base: Math.floor(toNumber(ip) / size) * size, length };
}

function overlaps(a: Prefix, b: Prefix): boolean {
  const end = (p: Prefix) => p.base + 2 ** (32 - p.length);
  return a.base < end(b) && b.base < end(a);
}

/** The `index`-th host address (1 = first usable) of `cidr`, with its prefix length; throws when the range is too small. */
function host(cidr: string, index: number, what: string): string {
  const p = parsePrefix(cidr);
  if (index >= 2 ** (32 - p.length) - 1) throw new Error(`the ${what} range ${cidr} is too small for this topology (needs at least ${index + 1} host addresses)`);
  return `${toIp(p.base + index)}/${p.length}`;
}

/**
 * Management: the root end is the first host address, then the leaves, then
 * the servers, in topology order. Underlay: the leaves in order from the
 * first host address. Throws when a range is too small or two ranges overlap.
 */
export function planAddresses(t: NetnsTopology): AddressPlan {
  const { management, underlay, tenant } = t.addressing;
  const ranges = Object.entries({ management, underlay, tenant });
  for (const [i, [a, ca]] of ranges.entries()) {
    for (const [b, cb] of ranges.slice(i + 1)) if (overlaps(parsePrefix(ca), parsePrefix(cb))) throw new Error(`addressing: the ${a} range ${ca} overlaps the ${b} range ${cb}`);
  }
  const leaves = new Map(t.leaves.map((l, i) => [l.id, { management: host(management, 2 + i, 'management'), underlay: host(underlay, 1 + i, 'underlay') }]));
  const servers = new Map(t.servers.map((s, i) => [s.id, { management: host(management, 2 + t.leaves.length + i, 'management') }]));
  return { root: host(management, 1, 'management'), leaves, servers };
}

/** The block of `cidr` without host bits (`198.19.3.1/16` -> `198.19.0.0/16`). */
export function blockOf(cidr: string): string {
  const p = parsePrefix(cidr);
  return `${toIp(p.base)}/${p.length}`;
}

/** `a.b.c.d/len` -> `a.b.c.d`. */
export const bare = (address: string) => address.split('/')[0];

/**
 * The lab's ranges that overlap a destination the host already routes
 * (`routes`: `ip -j route show table all` destinations, `default` excluded),
 * as readable lines. The lab refuses to start when there is any: its traffic
 * must never be able to leave through the host's own interfaces.
 */
export function routeCollisions(t: NetnsTopology, routes: string[]): string[] {
  const out: string[] = [];
  for (const [name, cidr] of Object.entries(t.addressing)) {
    for (const dst of routes.filter((r) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(r))) {
      if (overlaps(parsePrefix(cidr), parsePrefix(dst))) out.push(`the ${name} range ${cidr} overlaps the host's route to ${dst}`);
    }
  }
  return out;
}
