// Lab topology files: which simulated devices `maestro lab up` starts.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { expandPortRange } from '../../engine/src/inventory/port-range';
import { simulatedDialects } from './ssh-switch/dialects';

const vlan = z.number().int().min(1).max(4094);
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lowercase letters, digits and dashes');

const topologySchema = z.object({
  segments: z
    .object({
      quarantine: z.object({ vlan }),
      provisioning: z.object({ vlan }),
      /** Segment pools for tenancies, copied into the inventory as they are (the engine validates them); default one pool `tenants` over 198.19.0.0/16. */
      pools: z.array(z.record(z.string(), z.unknown())).optional(),
    })
    .strict(),
  switches: z
    .array(
      z
        .object({
          id,
          dialect: z.string().refine((d) => d in simulatedDialects, { message: `no simulator for this dialect; known: ${Object.keys(simulatedDialects).join(', ')}` }),
          ports: z.array(z.string()).min(1),
        })
        .strict(),
    )
    .min(1),
  /** Servers: a Redfish BMC simulator each, NICs cabled to switch ports. */
  servers: z
    .array(
      z.strictObject({
        id,
        /** Inventory profile (default `lab`: 32 cores, 64 GiB, at least one NIC) and rack (default `rack1`). */
        profile: id.default('lab'),
        rack: id.default('rack1'),
        nics: z.array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9]{0,14}$/), switch: id, port: z.string() })).min(1),
        disks: z.array(z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/), size_gib: z.number().int().positive() })).default([{ id: 'Disk.0', size_gib: 480 }]),
      }),
    )
    .default([]),
});

export type Topology = z.infer<typeof topologySchema>;
export type TopologyServer = Topology['servers'][number];

/** Cross-references: unique ids, NICs cabled to existing switch ports, each port cabled once. */
function crossReferenceProblems(t: Topology): string[] {
  const problems: string[] = [];
  const ids = [...t.switches, ...t.servers].map((d) => d.id);
  for (const dup of ids.filter((d, i) => ids.indexOf(d) !== i)) problems.push(`id "${dup}" is used twice`);
  const ports = new Map(t.switches.map((s) => [s.id, new Set(topologyPorts(s))]));
  const cabled = new Set<string>();
  t.servers.forEach((server, i) =>
    server.nics.forEach((nic, j) => {
      const where = `servers.${i}.nics.${j}`;
      if (!ports.has(nic.switch)) problems.push(`${where}.switch: no switch "${nic.switch}"`);
      else if (!ports.get(nic.switch)!.has(nic.port)) problems.push(`${where}.port: switch ${nic.switch} has no port "${nic.port}"`);
      if (cabled.has(`${nic.switch}/${nic.port}`)) problems.push(`${where}.port: ${nic.switch} port ${nic.port} is already cabled`);
      cabled.add(`${nic.switch}/${nic.port}`);
    }),
  );
  return problems;
}

/** Reads and validates a topology file; throws one Error listing every problem with its path. */
export function loadTopology(file: string): Topology {
  const result = topologySchema.safeParse(parse(readFileSync(file, 'utf8')));
  const problems = result.success ? crossReferenceProblems(result.data) : result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  if (problems.length > 0) throw new Error(`${file}: invalid lab topology:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return result.data!;
}

/** Every port of a switch entry, ranges expanded. */
export function topologyPorts(entry: Topology['switches'][number]): string[] {
  return entry.ports.flatMap(expandPortRange);
}
