// Random protobuf messages for codec tests: drawn from protobufjs' reflection, so independent of proto-codec.ts.

import * as protobuf from 'protobufjs';

/** A deterministic PRNG (mulberry32), so a failure reproduces. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random messages of `type` drawn from protobufjs' reflection (independent of proto-codec.ts): any field may be absent. */
export function randomMessage(type: protobuf.Type, rand: () => number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const oneofsUsed = new Set<string>();
  const int = (lo: number, hi: number) => Math.floor(lo + rand() * (hi - lo));
  const scalar = (field: protobuf.Field): unknown => {
    if (field.resolvedType instanceof protobuf.Enum) {
      const names = Object.keys(field.resolvedType.values);
      return names[int(0, names.length)];
    }
    if (field.resolvedType) return depth < 4 ? randomMessage(field.resolvedType as protobuf.Type, rand, depth + 1) : {};
    switch (field.type) {
      case 'string': return ['', 'x', 'maestro_switch_port', 'é ✓ 🚀', 'a'.repeat(int(100, 300))][int(0, 5)];
      case 'bytes': return Buffer.from(Array.from({ length: int(0, [3, 200][int(0, 2)]) }, () => int(0, 256)));
      case 'bool': return rand() < 0.5;
      case 'int32': return int(-2147483648, 2147483648);
      case 'uint32': return int(0, 4294967296);
      default: return [0, 1, -1, int(-1e15, 1e15), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER][int(0, 6)];
    }
  };
  for (const field of type.fieldsArray) {
    if (rand() < 0.3 || (field.partOf && oneofsUsed.has(field.partOf.name))) continue;
    if (field.partOf) oneofsUsed.add(field.partOf.name);
    const count = int(0, 4);
    if (field.map) out[field.name] = Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, scalar(field)]));
    else if (field.repeated) out[field.name] = Array.from({ length: count }, () => scalar(field));
    else out[field.name] = scalar(field);
  }
  return out;
}
