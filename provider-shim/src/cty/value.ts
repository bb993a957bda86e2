// Checks on in-memory cty values: does a value fit a type, are two values equal.

import { CtyValueError, isRecord } from './path-error';
import { toWire, type WireWriter } from './to-wire';
import { typeEquals } from './type-json';
import { DynamicValue, unknown, type CtyType, type CtyValue } from './types';

// Walks exactly as the encoders do, so "conforms" means "will encode".
const checker: WireWriter = { unknown: () => null, dynamic: () => null };

/**
 * null when `value` fits `type` (and would therefore encode): every object
 * attribute present (those the type lists as optional may be missing), no
 * undeclared ones, primitives of the right kind, tuples of the right length.
 * null and unknown fit anywhere. Otherwise a message with the path of the
 * first misfit, e.g. `.ports[2].name: expected number, got string`.
 */
export function conformsTo(value: CtyValue, type: CtyType): string | null {
  try {
    toWire(value, type, checker);
    return null;
  } catch (err) {
    if (err instanceof CtyValueError) return err.message;
    throw err;
  }
}

/**
 * Deep equality of two values. null equals only null; unknown equals only
 * unknown. Given the type, sets (at any depth) compare regardless of order;
 * without it every array compares in order. A DynamicValue equals another of
 * the same type and content, or a plain value equal to its content.
 */
export function valuesEqual(a: CtyValue, b: CtyValue, type?: CtyType): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === unknown || b === unknown) return false;
  if (a instanceof DynamicValue || b instanceof DynamicValue) return dynamicsEqual(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return arraysEqual(a, b, type);
  if (isRecord<CtyValue>(a) && isRecord<CtyValue>(b)) return recordsEqual(a, b, type);
  return false;
}

function dynamicsEqual(a: CtyValue, b: CtyValue): boolean {
  if (a instanceof DynamicValue && b instanceof DynamicValue) {
    return typeEquals(a.type, b.type) && valuesEqual(a.value, b.value, a.type);
  }
  const [dynamic, plain] = a instanceof DynamicValue ? [a, b] : [b as DynamicValue, a];
  return valuesEqual(dynamic.value, plain, dynamic.type);
}

function arraysEqual(a: CtyValue[], b: CtyValue[], type: CtyType | undefined): boolean {
  if (a.length !== b.length) return false;
  if (typeof type === 'object' && 'set' in type) return sameMembers(a, b, type.set);
  return a.every((v, i) => valuesEqual(v, b[i], elementType(type, i)));
}

function elementType(type: CtyType | undefined, i: number): CtyType | undefined {
  if (typeof type !== 'object') return undefined;
  if ('list' in type) return type.list;
  return 'tuple' in type ? type.tuple[i] : undefined;
}

/** Order-insensitive comparison of equal-length arrays, each member of `b` matched at most once. */
function sameMembers(a: CtyValue[], b: CtyValue[], element: CtyType): boolean {
  const unmatched = [...b];
  return a.every((v) => {
    const i = unmatched.findIndex((w) => valuesEqual(v, w, element));
    return i >= 0 && unmatched.splice(i, 1).length === 1;
  });
}

function recordsEqual(a: Record<string, CtyValue>, b: Record<string, CtyValue>, type: CtyType | undefined): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k], b[k], attributeType(type, k)));
}

function attributeType(type: CtyType | undefined, key: string): CtyType | undefined {
  if (typeof type !== 'object') return undefined;
  if ('map' in type) return type.map;
  return 'object' in type && Object.hasOwn(type.object, key) ? type.object[key] : undefined;
}
