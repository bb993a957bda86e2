// Type-driven walk from an in-memory cty value to a format's plain wire tree (shared by msgpack, JSON and checks).

import { inferType } from './infer-type';
import { CtyValueError, isRecord, mismatch, step, unexpectedAttribute, type CtyPathStep } from './path-error';
import { typeEquals, typeName } from './type-json';
import { DynamicValue, unknown, type CtyType, type CtyValue } from './types';

/** What a wire format writes differently; everything else is arrays, records and primitives. */
export interface WireWriter {
  /** The wire form of an unknown value. Throws CtyValueError when the format cannot carry unknowns. */
  unknown(path: readonly CtyPathStep[]): unknown;
  /** The wire form of a value in a `dynamic` slot, given its concrete type and its already-written content. */
  dynamic(type: CtyType, content: unknown): unknown;
}

/**
 * Writes `value` as `type` into a tree of null/string/number/boolean, arrays and
 * null-prototype records (keys sorted, as go-cty writes them), with whatever
 * the writer returns for unknown and dynamic values.
 *
 * Strict, because terraform rejects a misshapen object without saying where:
 * every object must carry exactly the attributes of its type (an attribute
 * listed as optional in the type may be missing and is written as null).
 * A DynamicValue in a non-dynamic slot is unwrapped when its type is that
 * slot's type. A plain value in a `dynamic` slot is sent with its inferred
 * type (see inferType). Throws CtyValueError naming the first offending path.
 */
export function toWire(value: CtyValue, type: CtyType, writer: WireWriter, path: readonly CtyPathStep[] = []): unknown {
  if (value === null) return null;
  if (value === unknown) return writer.unknown(path);
  if (type === 'dynamic') return dynamicToWire(value, writer, path);
  if (value instanceof DynamicValue) return unwrapDynamic(value, type, writer, path);
  if (typeof type === 'string') return primitiveToWire(value, type, path);
  if ('list' in type) return elementsToWire(value, type.list, type, writer, path);
  if ('set' in type) return elementsToWire(value, type.set, type, writer, path);
  if ('tuple' in type) return tupleToWire(value, type.tuple, writer, path);
  if ('map' in type) return mapToWire(value, type.map, writer, path);
  return objectToWire(value, type, writer, path);
}

function dynamicToWire(value: CtyValue, writer: WireWriter, path: readonly CtyPathStep[]): unknown {
  const type = value instanceof DynamicValue ? value.type : inferType(value, path);
  const content = value instanceof DynamicValue ? value.value : value;
  return writer.dynamic(type, toWire(content, type, writer, path));
}

function unwrapDynamic(value: DynamicValue, type: CtyType, writer: WireWriter, path: readonly CtyPathStep[]): unknown {
  if (!typeEquals(value.type, type)) {
    throw new CtyValueError(path, `expected ${typeName(type)}, got a dynamic value of type ${typeName(value.type)}`);
  }
  return toWire(value.value, type, writer, path);
}

function primitiveToWire(value: CtyValue, type: 'string' | 'number' | 'bool', path: readonly CtyPathStep[]): unknown {
  const ok = type === 'bool' ? typeof value === 'boolean' : typeof value === type;
  if (!ok) throw mismatch(path, type, value);
  // cty has infinities but JSON does not, and nothing in Maestro needs them.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new CtyValueError(path, `expected a finite number, got ${value}`);
  }
  return value;
}

function elementsToWire(value: CtyValue, element: CtyType, type: CtyType, writer: WireWriter, path: readonly CtyPathStep[]): unknown[] {
  if (!Array.isArray(value)) throw mismatch(path, typeName(type), value);
  return value.map((v, index) => toWire(v, element, writer, step(path, { index })));
}

function tupleToWire(value: CtyValue, elements: CtyType[], writer: WireWriter, path: readonly CtyPathStep[]): unknown[] {
  if (!Array.isArray(value)) throw mismatch(path, 'tuple', value);
  if (value.length !== elements.length) {
    throw new CtyValueError(path, `expected a tuple of ${elements.length} elements, got ${value.length}`);
  }
  return value.map((v, index) => toWire(v, elements[index], writer, step(path, { index })));
}

function mapToWire(value: CtyValue, element: CtyType, writer: WireWriter, path: readonly CtyPathStep[]): unknown {
  if (!isRecord<CtyValue>(value)) throw mismatch(path, `map of ${typeName(element)}`, value);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) out[key] = toWire(value[key], element, writer, step(path, { key }));
  return out;
}

function objectToWire(
  value: CtyValue,
  type: { object: Record<string, CtyType>; optional?: string[] },
  writer: WireWriter,
  path: readonly CtyPathStep[],
): unknown {
  if (!isRecord<CtyValue>(value)) throw mismatch(path, 'object', value);
  const names = Object.keys(type.object);
  const extra = Object.keys(value).find((k) => !Object.hasOwn(type.object, k));
  if (extra !== undefined) throw unexpectedAttribute(path, extra, names);
  const out: Record<string, unknown> = Object.create(null);
  for (const attribute of names.sort()) {
    const at = step(path, { attribute });
    const v = value[attribute];
    if (v === undefined && !type.optional?.includes(attribute)) {
      throw new CtyValueError(at, 'attribute is missing; an object carries every attribute of its type (null when unset)');
    }
    out[attribute] = toWire(v ?? null, type.object[attribute], writer, at);
  }
  return out;
}
