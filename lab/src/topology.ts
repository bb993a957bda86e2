// Lab topology files: which simulated devices `maestro lab up` starts.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { expandPortRange } from '../../engine/src/inventory/port-range';
import { simulatedDialects } from './ssh-switch/dialects';

const vlan = z.number().int().min(1).max(4094);

const topologySchema = z.object({
  segments: z.object({ quarantine: z.object({ vlan }), provisioning: z.object({ vlan }) }).strict(),
  switches: z
    .array(
      z
        .object({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a switch id is lowercase letters, digits and dashes'),
          dialect: z.string().refine((d) => d in simulatedDialects, { message: `no simulator for this dialect; known: ${Object.keys(simulatedDialects).join(', ')}` }),
          ports: z.array(z.string()).min(1),
        })
        .strict(),
    )
    .min(1),
});

export type Topology = z.infer<typeof topologySchema>;

/** Reads and validates a topology file; throws one Error listing every problem with its path. */
export function loadTopology(file: string): Topology {
  const result = topologySchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new Error(`${file}: invalid lab topology:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** Every port of a switch entry, ranges expanded. */
export function topologyPorts(entry: Topology['switches'][number]): string[] {
  return entry.ports.flatMap(expandPortRange);
}
