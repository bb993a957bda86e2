// The type a plain value implies, used when a value without a DynamicValue wrapper lands in a `dynamic` slot.

import { CtyValueError, describeValue, isRecord, type CtyPathStep } from './path-error';
import { DynamicValue, unknown, type CtyType, type CtyValue } from './types';

/**
 * Infers the narrowest structural type of a plain value, as go-cty does for
 * JSON: string -> string, number -> number, boolean -> bool, array -> tuple of
 * the elements' types, record -> object of the attributes' types. A
 * DynamicValue contributes its own type; null and unknown contribute `dynamic`
 * (they encode the same whatever their type). Lists, sets and maps are never
 * inferred: wrap the value in a DynamicValue to send one of those.
 * Throws CtyValueError at the first part that is not a cty value (undefined,
 * a function, bytes, NaN).
 */
export function inferType(value: CtyValue, path: readonly CtyPathStep[] = []): CtyType {
  if (value instanceof DynamicValue) return value.type;
  if (value === null || value === unknown) return 'dynamic';
  if (Array.isArray(value)) return { tuple: value.map((v, index) => inferType(v, [...path, { index }])) };
  if (!isRecord<CtyValue>(value)) return inferPrimitive(value, path);
  const object: Record<string, CtyType> = {};
  for (const [attribute, v] of Object.entries(value)) object[attribute] = inferType(v, [...path, { attribute }]);
  return { object };
}

function inferPrimitive(value: unknown, path: readonly CtyPathStep[]): CtyType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' && !Number.isNaN(value)) return 'number';
  throw new CtyValueError(path, `cannot infer a type for ${describeValue(value)}; wrap it in a DynamicValue`);
}
