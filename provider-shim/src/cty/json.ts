// terraform's JSON DynamicValue encoding and raw state (UpgradeResourceState), driven by the schema type.

import { fromWire, type WireReader } from './from-wire';
import { CtyValueError, isRecord } from './path-error';
import { toWire, type WireWriter } from './to-wire';
import { typeFromJson, typeToJson } from './type-json';
import type { CtyType, CtyValue } from './types';

const writer: WireWriter = {
  unknown: (path) => {
    throw new CtyValueError(path, 'unknown values cannot be written as JSON');
  },
  dynamic: (type, content) => ({ value: content, type: typeToJson(type) }),
};

const reader: WireReader = {
  // Raw state may come from an older schema: attributes removed since then must not fail the upgrade.
  dropExtraAttributes: true,
  dynamic: (wire, path) => {
    if (!isRecord(wire) || !Object.hasOwn(wire, 'type')) {
      throw new CtyValueError(path, 'expected a dynamic value {"value": ..., "type": ...}');
    }
    try {
      return { type: typeFromJson(wire.type), content: wire.value ?? null };
    } catch (err) {
      throw new CtyValueError(path, `bad type in dynamic value: ${(err as Error).message}`);
    }
  },
};

/**
 * Decodes JSON (DynamicValue.json, or RawState.json in UpgradeResourceState) as
 * `type`. Lenient on object shape because state written by an older schema
 * must load: a missing attribute is null, an attribute the type does not
 * declare is dropped. Numbers may be JSON numbers or decimal strings; dynamic
 * values are {"value": ..., "type": ...}. Throws an Error for invalid JSON and
 * CtyValueError (with the path) for a value of the wrong kind.
 */
export function decodeJson(buf: Uint8Array | string, type: CtyType): CtyValue {
  const text = typeof buf === 'string' ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
  let wire: unknown;
  try {
    wire = JSON.parse(text);
  } catch (err) {
    throw new Error(`invalid JSON value (${text.length} characters): ${(err as Error).message}`);
  }
  return fromWire(wire, type, reader);
}

/**
 * Encodes `value` as JSON for `type` (keys sorted; dynamic as {"value","type"}).
 * JSON cannot carry unknowns: throws CtyValueError at the first unknown, and
 * at any part that does not fit the type (same strict object rule as msgpack).
 */
export function encodeJson(value: CtyValue, type: CtyType): Buffer {
  return Buffer.from(JSON.stringify(toWire(value, type, writer)), 'utf8');
}
