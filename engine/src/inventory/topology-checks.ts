// Cross-field rules of the physical inventory: references, uniqueness, cabling and pool overlaps. Runs on partially
// invalid input (every access guarded) so one run reports every problem.

import type { z } from 'zod';
import { normalizeMac } from '../domain/mac-address';
import { interfaceNameViolation } from '../drivers/os/os-grammar';
import { formatCidr, overlaps, parseCidr, parseIpv4, type Cidr } from '../ipam/ipv4';
import { rangesOverlap } from '../ipam/number-range';
import { expandPortRange } from './port-range';

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const pathText = (p: Path) => p.map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('').replace(/^\./, '');

/** Remembers the first path that claimed each key; reports later claimants. */
function claims(report: Report, what: (key: string, first: Path) => string) {
  const seen = new Map<string, Path>();
  return (key: string | undefined, path: Path) => {
    if (key === undefined) return;
    const first = seen.get(key);
    if (first) report(path, what(key, first));
    else seen.set(key, path);
  };
}

/** A switch's port names, from parsed (expanded) or raw entries; malformed entries are reported elsewhere. */
function portsOf(sw: any): Set<string> {
  return new Set(list(sw?.ports).flatMap((e) => {
    if (Array.isArray(e)) return e;
    try {
      return typeof e === 'string' ? expandPortRange(e) : [];
    } catch {
      return [];
    }
  }));
}

const asRange = (v: any): { from: number; to: number } | undefined => {
  const [from, to] = Array.isArray(v) ? v : [v?.from, v?.to];
  return Number.isInteger(from) && Number.isInteger(to) && from <= to ? { from, to } : undefined;
};

function asCidr(v: any): Cidr | undefined {
  if (typeof v?.base === 'number') return v;
  try {
    return typeof v === 'string' ? parseCidr(v) : undefined;
  } catch {
    return undefined;
  }
}

/** IPv4 management addresses (switch and BMC endpoints) with their paths; tenancy supernets must not contain them. */
function managementAddresses(inv: any): { path: Path; address: number }[] {
  const hostOf = (e: any) => str(e?.host) ?? str(e)?.replace(/^https?:\/\//, '').replace(/[:/].*$/, '');
  const found = [
    ...list(inv?.switches).map((s, i) => ({ path: ['switches', i, 'endpoint'] as Path, host: hostOf(s?.endpoint) })),
    ...list(inv?.servers).map((s, i) => ({ path: ['servers', i, 'bmc', 'endpoint'] as Path, host: hostOf(s?.bmc?.endpoint) })),
  ];
  return found.flatMap(({ path, host }) => {
    const address = host === undefined ? undefined : parseIpv4(host);
    return address === undefined ? [] : [{ path, address }];
  });
}

function checkPools(inv: any, report: Report): void {
  const pools = list(inv?.segments?.pools);
  const named = claims(report, (k) => `duplicate pool name "${k}"`);
  const special = [['quarantine', inv?.segments?.quarantine?.vlan], ['provisioning', inv?.segments?.provisioning?.vlan]] as const;
  const seenRanges = { vlan: [] as { from: number; to: number; path: Path }[], vni: [] as { from: number; to: number; path: Path }[] };
  const supernets: { path: Path; cidr: Cidr }[] = [];
  pools.forEach((p, i) => {
    named(str(p?.name), ['segments', 'pools', i, 'name']);
    for (const kind of ['vlan', 'vni'] as const) {
      const r = asRange(p?.[`${kind}_range`]);
      const path: Path = ['segments', 'pools', i, `${kind}_range`];
      if (!r) continue;
      const clash = seenRanges[kind].find((o) => rangesOverlap(o, r));
      if (clash) report(path, `${r.from}-${r.to} overlaps ${pathText(clash.path)} (${clash.from}-${clash.to})`);
      seenRanges[kind].push({ ...r, path });
      if (kind === 'vlan') {
        for (const [seg, v] of special) if (Number.isInteger(v) && v >= r.from && v <= r.to) report(path, `${r.from}-${r.to} contains the ${seg} VLAN ${v}`);
      }
    }
    const cidr = asCidr(p?.supernet);
    const path: Path = ['segments', 'pools', i, 'supernet'];
    if (!cidr) return;
    const clash = supernets.find((o) => overlaps(o.cidr, cidr));
    if (clash) report(path, `${formatCidr(cidr)} overlaps ${pathText(clash.path)} (${formatCidr(clash.cidr)})`);
    supernets.push({ path, cidr });
    for (const m of managementAddresses(inv)) {
      if (overlaps(cidr, { base: m.address, prefix: 32 })) report(path, `${formatCidr(cidr)} contains the management address at ${pathText(m.path)}`);
    }
  });
}

/** Fabric link ends and server NICs: known switches and ports, each port cabled once. */
function checkCabling(inv: any, report: Report): void {
  const ports = new Map(list(inv?.switches).filter((s) => str(s?.id)).map((s) => [s.id as string, portsOf(s)]));
  const cabled = claims(report, (k, first) => `port ${k} is already cabled to ${pathText(first)}`);
  const end = (ref: any, path: Path) => {
    const sw = str(ref?.switch);
    const port = str(ref?.port);
    if (sw === undefined || port === undefined) return;
    if (!ports.has(sw)) return report([...path, 'switch'], `unknown switch "${sw}"`);
    if (!ports.get(sw)!.has(port)) return report([...path, 'port'], `switch "${sw}" has no port "${port}" in inventory`);
    cabled(`${sw}/${port}`, path);
  };
  list(inv?.fabric_links).forEach((l, i) => {
    if (str(l?.a?.switch) !== undefined && l?.a?.switch === l?.b?.switch) report(['fabric_links', i], `a fabric link joins two switches, not "${l.a.switch}" to itself`);
    end(l?.a, ['fabric_links', i, 'a']);
    end(l?.b, ['fabric_links', i, 'b']);
  });
  list(inv?.servers).forEach((s, i) => list(s?.nics).forEach((n, j) => end(n, ['servers', i, 'nics', j])));
}

/** Sites, racks, servers: unique ids/serials/MACs and every reference known. */
function checkServers(inv: any, report: Report): void {
  const racks = new Set<string>();
  const rackClaim = claims(report, (k) => `duplicate rack id "${k}"`);
  const siteClaim = claims(report, (k) => `duplicate site id "${k}"`);
  list(inv?.sites).forEach((site, i) => {
    siteClaim(str(site?.id), ['sites', i, 'id']);
    list(site?.racks).forEach((r, j) => {
      rackClaim(str(r), ['sites', i, 'racks', j]);
      if (str(r)) racks.add(r);
    });
  });
  const knownRack = (r: unknown, path: Path) => typeof r === 'string' && !racks.has(r) && report(path, `unknown rack "${r}"; racks are declared under sites:`);
  list(inv?.switches).forEach((s, i) => knownRack(s?.rack, ['switches', i, 'rack']));
  const profiles = inv?.profiles && typeof inv.profiles === 'object' ? inv.profiles : {};
  const creds = inv?.credentials && typeof inv.credentials === 'object' ? inv.credentials : {};
  const ids = claims(report, (k) => `duplicate server id "${k}"`);
  const serials = claims(report, (k, first) => `serial "${k}" is already used by ${pathText(first)}`);
  const macs = claims(report, (k, first) => `MAC ${k} is already used by ${pathText(first)}`);
  list(inv?.servers).forEach((s, i) => {
    const at = (...p: Path): Path => ['servers', i, ...p];
    ids(str(s?.id), at('id'));
    serials(str(s?.serial), at('serial'));
    knownRack(s?.rack, at('rack'));
    const cred = str(s?.bmc?.credentials);
    if (cred !== undefined && !Object.hasOwn(creds, cred)) report(at('bmc', 'credentials'), `credentials "${cred}" are not defined under credentials:`);
    else if (cred !== undefined && creds[cred] && creds[cred].password === undefined) {
      report(at('bmc', 'credentials'), `credentials "${cred}" have no password; BMCs log in with a password`);
    }
    const nicNames = claims(report, (k) => `duplicate NIC name "${k}"`);
    list(s?.nics).forEach((n, j) => {
      nicNames(str(n?.name), at('nics', j, 'name'));
      macs(normalizeMac(str(n?.mac) ?? ''), at('nics', j, 'mac'));
    });
    checkServerOs(s, at, creds, report);
    const name = str(s?.profile);
    if (name === undefined) return;
    const p = profiles[name];
    if (!Object.hasOwn(profiles, name)) return report(at('profile'), `unknown profile "${name}"; profiles are declared under profiles:`);
    if (Number.isInteger(p?.nics) && list(s?.nics).length < p.nics) report(at('nics'), `profile "${name}" needs ${p.nics} NIC(s); this server lists ${list(s?.nics).length}`);
    if (list(s?.disks).length < list(p?.disks).length) report(at('disks'), `profile "${name}" needs ${list(p.disks).length} disk(s); this server lists ${list(s?.disks).length}`);
  });
}

/** A server's `os:` block: known credentials, and an interface that is one of the server's NICs. */
function checkServerOs(s: any, at: (...p: Path) => Path, creds: Record<string, unknown>, report: Report): void {
  if (s?.os === undefined || s?.os === null) return;
  const cred = str(s.os.credentials);
  if (cred !== undefined && !Object.hasOwn(creds, cred)) report(at('os', 'credentials'), `credentials "${cred}" are not defined under credentials:`);
  const nics = list(s?.nics).map((n) => str(n?.name)).filter((n): n is string => n !== undefined);
  const iface = str(s.os.interface);
  if (iface !== undefined && interfaceNameViolation('', iface) === null && nics.length > 0 && !nics.includes(iface)) {
    report(at('os', 'interface'), `interface "${iface}" is not one of this server's NICs (${nics.join(', ')})`);
  }
}

/** Every topology rule; `inv` may be partially invalid. */
export function checkTopology(inv: any, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  checkServers(inv, report);
  checkCabling(inv, report);
  checkPools(inv, report);
}
