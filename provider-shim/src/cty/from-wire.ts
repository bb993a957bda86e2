// Type-driven walk from a format's decoded wire tree back to an in-memory cty value (shared by msgpack and JSON).

import { CtyValueError, isRecord, mismatch, step, unexpectedAttribute, type CtyPathStep } from './path-error';
import { typeName } from './type-json';
import { DynamicValue, unknown, type CtyType, type CtyValue } from './types';

/** What a wire format reads differently; everything else is arrays, records and primitives. */
export interface WireReader {
  /**
   * Splits the wire form of a non-null value in a `dynamic` slot into its
   * concrete type and content. Throws CtyValueError when it is malformed.
   */
  dynamic(wire: unknown, path: readonly CtyPathStep[]): { type: CtyType; content: unknown };
  /**
   * true: attributes an object type does not declare are dropped (state written
   * by an older schema must still load); false: they are an error.
   */
  readonly dropExtraAttributes: boolean;
}

/** A cty number sent as text: terraform does this when a float64 would lose precision. */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Reads a decoded wire tree as `type`. The `unknown` sentinel (which the
 * msgpack reader substitutes for every extension value) reads as unknown at
 * any type; null as null. Numbers may be numbers or decimal strings. A missing
 * object attribute reads as null (absent and null mean the same to cty).
 * Sets keep the wire order and are not de-duplicated.
 * Throws CtyValueError naming the first path that does not fit the type.
 */
export function fromWire(wire: unknown, type: CtyType, reader: WireReader, path: readonly CtyPathStep[] = []): CtyValue {
  if (wire === null) return null;
  if (wire === unknown) return unknown;
  if (type === 'dynamic') return dynamicFromWire(wire, reader, path);
  if (typeof type === 'string') return primitiveFromWire(wire, type, path);
  if ('list' in type) return elementsFromWire(wire, type.list, type, reader, path);
  if ('set' in type) return elementsFromWire(wire, type.set, type, reader, path);
  if ('tuple' in type) return tupleFromWire(wire, type.tuple, reader, path);
  if ('map' in type) return mapFromWire(wire, type.map, reader, path);
  return objectFromWire(wire, type.object, reader, path);
}

function dynamicFromWire(wire: unknown, reader: WireReader, path: readonly CtyPathStep[]): DynamicValue {
  const { type, content } = reader.dynamic(wire, path);
  return new DynamicValue(type, fromWire(content, type, reader, path));
}

function primitiveFromWire(wire: unknown, type: 'string' | 'number' | 'bool', path: readonly CtyPathStep[]): CtyValue {
  if (type === 'number' && typeof wire === 'string' && DECIMAL.test(wire)) return Number(wire);
  const ok = type === 'bool' ? typeof wire === 'boolean' : typeof wire === type;
  if (!ok) throw mismatch(path, type, wire);
  return wire as CtyValue;
}

function elementsFromWire(wire: unknown, element: CtyType, type: CtyType, reader: WireReader, path: readonly CtyPathStep[]): CtyValue[] {
  if (!Array.isArray(wire)) throw mismatch(path, typeName(type), wire);
  return wire.map((w, index) => fromWire(w, element, reader, step(path, { index })));
}

function tupleFromWire(wire: unknown, elements: CtyType[], reader: WireReader, path: readonly CtyPathStep[]): CtyValue[] {
  if (!Array.isArray(wire)) throw mismatch(path, 'tuple', wire);
  if (wire.length !== elements.length) {
    throw new CtyValueError(path, `expected a tuple of ${elements.length} elements, got ${wire.length}`);
  }
  return wire.map((w, index) => fromWire(w, elements[index], reader, step(path, { index })));
}

function mapFromWire(wire: unknown, element: CtyType, reader: WireReader, path: readonly CtyPathStep[]): CtyValue {
  if (!isRecord(wire)) throw mismatch(path, `map of ${typeName(element)}`, wire);
  const out: Record<string, CtyValue> = {};
  for (const [key, w] of Object.entries(wire)) {
    // Assigning "__proto__" would replace the prototype instead of adding a key.
    if (key === '__proto__') throw new CtyValueError(path, 'the map key "__proto__" is not supported');
    out[key] = fromWire(w, element, reader, step(path, { key }));
  }
  return out;
}

function objectFromWire(wire: unknown, attributes: Record<string, CtyType>, reader: WireReader, path: readonly CtyPathStep[]): CtyValue {
  if (!isRecord(wire)) throw mismatch(path, 'object', wire);
  const names = Object.keys(attributes);
  const extra = Object.keys(wire).find((k) => !Object.hasOwn(attributes, k));
  if (extra !== undefined && !reader.dropExtraAttributes) throw unexpectedAttribute(path, extra, names);
  const out: Record<string, CtyValue> = {};
  for (const attribute of names) {
    const w = Object.hasOwn(wire, attribute) ? wire[attribute] : null;
    out[attribute] = fromWire(w, attributes[attribute], reader, step(path, { attribute }));
  }
  return out;
}
