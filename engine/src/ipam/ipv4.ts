// IPv4 addresses and CIDR blocks as numbers: parsing, formatting, containment and overlap. Pure.

/** An IPv4 block; `base` has no host bits set. */
export interface Cidr {
  base: number;
  prefix: number;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ADDRESS = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** `10.0.0.1` -> number; undefined when not a dotted-quad IPv4 address (no leading zeros). */
export function parseIpv4(s: string): number | undefined {
  const m = ADDRESS.exec(s);
  return m ? ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4] : undefined;
}

export const formatIpv4 = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/** Number of addresses in a block of this prefix length. */
export const blockSize = (prefix: number): number => 2 ** (32 - prefix);

/** Last address of the block. */
export const lastOf = (c: Cidr): number => c.base + blockSize(c.prefix) - 1;

/**
 * `10.1.0.0/16` -> Cidr. Throws an Error saying what is wrong: not an address,
 * a prefix outside 0..32, or host bits set (`10.1.0.1/16`, naming the block meant).
 */
export function parseCidr(s: string): Cidr {
  const [addr, len, extra] = s.split('/');
  const base = parseIpv4(addr);
  const prefix = /^\d{1,2}$/.test(len ?? '') ? Number(len) : NaN;
  if (base === undefined || extra !== undefined || !(prefix >= 0 && prefix <= 32)) {
    throw new Error(`"${s}" is not an IPv4 CIDR like 10.0.0.0/24`);
  }
  const aligned = base - (base % blockSize(prefix));
  if (aligned !== base) throw new Error(`"${s}" has host bits set; the block is ${formatIpv4(aligned)}/${prefix}`);
  return { base, prefix };
}

export const formatCidr = (c: Cidr): string => `${formatIpv4(c.base)}/${c.prefix}`;

export const overlaps = (a: Cidr, b: Cidr): boolean => a.base <= lastOf(b) && b.base <= lastOf(a);

export const containsCidr = (outer: Cidr, inner: Cidr): boolean => inner.base >= outer.base && lastOf(inner) <= lastOf(outer);

export const containsAddress = (c: Cidr, address: number): boolean => address >= c.base && address <= lastOf(c);
