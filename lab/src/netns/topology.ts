// Netns lab topology files: leaves with ports, servers with NICs cabled to leaf ports and disks, and the lab's address plan.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { expandPortRange } from '../../../engine/src/inventory/port-range';

const vlan = z.number().int().min(1).max(4094);
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'an id is 1-31 lowercase letters, digits and dashes');
/** A Linux interface name: at most 15 characters, no `/`, `:` or spaces. */
const ifname = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/, 'an interface name is a letter, then at most 14 letters, digits, "_", "." or "-"');
/** An IPv4 prefix `a.b.c.d/len` with len 8..30 (room for the lab's hosts). */
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/([89]|[12]\d|30)$/, 'a CIDR like 198.18.0.0/24 (prefix length 8..30)');

/**
 * Default address plan: all of it inside 198.18.0.0/15, the range RFC 2544
 * reserves for benchmarking, which no real network routes. Management: the
 * root namespace's one link and every leaf's and server's sshd; underlay:
 * the leaves' VXLAN tunnel endpoints; tenant: free for tenancies (the lab
 * assigns nothing there).
 */
export const DEFAULT_ADDRESSING = { management: '198.18.0.0/24', underlay: '198.18.1.0/24', tenant: '198.19.0.0/16' } as const;

const ENTRY = z.strictObject({
  segments: z.strictObject({ quarantine: z.strictObject({ vlan }), provisioning: z.strictObject({ vlan }) }),
  addressing: z.strictObject({ management: cidr, underlay: cidr, tenant: cidr }).default({ ...DEFAULT_ADDRESSING }),
  leaves: z.array(z.strictObject({ id, ports: z.array(z.string()).min(1) })).min(1),
  servers: z
    .array(
      z.strictObject({
        id,
        /** Inventory profile (default `lab`) and rack (default `rack1`), as in simulator mode. */
        profile: id.default('lab'),
        rack: id.default('rack1'),
        nics: z.array(z.strictObject({ name: ifname, leaf: id, port: ifname })).min(1),
        /** At least one: the first is the server's root (sshd's home, the installer's target, the engine's `os.root_dir`). */
        disks: z
          .array(z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/), size_gib: z.number().int().positive() }))
          .min(1, 'a server needs at least one disk (the first is its root)')
          .default([{ id: 'Disk.0', size_gib: 480 }]),
      }),
    )
    .default([]),
});

export type NetnsTopology = z.infer<typeof ENTRY>;
export type NetnsLeaf = NetnsTopology['leaves'][number];
export type NetnsServer = NetnsTopology['servers'][number];

/** The id of the namespace that holds the lab's bridges; no leaf or server may have it. */
export const FABRIC_ID = 'fabric';

/** Every port of a leaf, ranges expanded (`swp1-8`). */
export function leafPorts(leaf: NetnsLeaf): string[] {
  return leaf.ports.flatMap(expandPortRange);
}

/** Cross-references: unique ids, NICs cabled to existing leaf ports, each port cabled once, names that fit Linux. */
function crossReferenceProblems(t: NetnsTopology): string[] {
  const problems: string[] = [];
  const ids = [...t.leaves, ...t.servers].map((d) => d.id);
  for (const dup of ids.filter((d, i) => ids.indexOf(d) !== i)) problems.push(`id "${dup}" is used twice`);
  if (ids.includes(FABRIC_ID)) problems.push(`id "${FABRIC_ID}" is reserved for the lab's own namespace`);
  const ports = new Map(t.leaves.map((l) => [l.id, new Set(leafPorts(l))]));
  for (const [leaf, names] of ports) {
    for (const p of names) if (!ifname.safeParse(p).success) problems.push(`leaves.${leaf}: port "${p}" is not a Linux interface name (at most 15 characters)`);
  }
  const cabled = new Set<string>();
  for (const s of t.servers) {
    for (const nic of s.nics) {
      const where = `servers.${s.id}.nics.${nic.name}`;
      if (!ports.has(nic.leaf)) problems.push(`${where}: no leaf "${nic.leaf}"`);
      else if (!ports.get(nic.leaf)!.has(nic.port)) problems.push(`${where}: leaf ${nic.leaf} has no port "${nic.port}"`);
      if (cabled.has(`${nic.leaf}/${nic.port}`)) problems.push(`${where}: ${nic.leaf} port ${nic.port} is already cabled`);
      cabled.add(`${nic.leaf}/${nic.port}`);
      if (nic.name === 'mgmt0' || nic.name === 'lo') problems.push(`${where}: "${nic.name}" is reserved by the lab`);
    }
  }
  return problems;
}

/** Reads and validates a netns topology file; throws one Error listing every problem with its path. */
export function loadNetnsTopology(file: string): NetnsTopology {
  const result = ENTRY.safeParse(parse(readFileSync(file, 'utf8')));
  const problems = result.success ? crossReferenceProblems(result.data) : result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  if (problems.length > 0) throw new Error(`${file}: invalid netns lab topology:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return result.data!;
}
