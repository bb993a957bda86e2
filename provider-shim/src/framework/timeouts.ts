// Resource timeouts: the `timeouts { create = "30m" }` block and duration parsing.

import type { CtyValue } from '../cty/types';
import type { AttributeDef, BlockDef } from './schema';
import type { Validator } from './validators';

export type TimeoutOperation = 'create' | 'read' | 'update' | 'delete';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/** Parses a Go-style duration ("90s", "1h30m", "250ms"); null when malformed. */
export function parseDuration(text: string): number | null {
  if (!DURATION.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

const durationValidator: Validator = (v) => (parseDuration(v as string) === null ? `must be a duration such as "30s", "10m" or "1h30m"; got ${JSON.stringify(v)}` : null);

/** The `timeouts` block for the given operations. */
export function timeoutsBlock(operations: TimeoutOperation[], defaults: Partial<Record<TimeoutOperation, string>>): BlockDef {
  const attributes: Record<string, AttributeDef> = {};
  for (const op of operations) {
    attributes[op] = {
      type: 'string',
      optional: true,
      description: `How long the ${op} may take before it is stopped${defaults[op] ? ` (default ${defaults[op]})` : ''}, as a duration such as "30s" or "10m".`,
      validators: [durationValidator],
    };
  }
  return { nesting: 'single', description: 'Time limits for each operation.', attributes };
}

/** The timeout in ms for `op` from a resource value's `timeouts` block, else the default. */
export function timeoutFor(value: Record<string, CtyValue> | null, op: TimeoutOperation, fallback: string): number {
  const block = value?.timeouts as Record<string, CtyValue> | null | undefined;
  const text = block && typeof block[op] === 'string' ? (block[op] as string) : fallback;
  return parseDuration(text) ?? (parseDuration(fallback) as number);
}
